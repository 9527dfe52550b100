"""`python -m nnlite course`: the activation and gradient-cost plots, through the real
command line, and nl.course's exercises, quizzes and worked examples."""

import re
import subprocess
import sys

from conftest import cli_in_process, one_nnlite_line


def nnlite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnlite", "course", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=240)


def test_activations_and_their_derivatives(tmp_path):
    done = nnlite("activations", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "sigmoid: max g'(z) = 0.25 at z = 0" in done.stdout
    assert "tanh: max g'(z) = 1 at z = 0" in done.stdout
    assert "relu: max g'(z) = 1" in done.stdout and "g'(±6) = 0, 1" in done.stdout
    assert (tmp_path / "activations.png").read_bytes()[:4] == b"\x89PNG"
    done = nnlite("activations", "gelu", "-o", "g.png", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "g.png").is_file()
    bad = nnlite("activations", "rleu", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.startswith("nnlite: ") and "relu" in bad.stderr


def test_numerical_gradient_needs_2_d_squared_forward_passes(tmp_path):
    done = nnlite("gradient-cost", "-o", "cost.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = re.findall(r"^(\d+)\s+(\d+) / 1\s+(\S+) / (\S+)\s+(\S+)$", done.stdout, flags=re.M)
    assert [int(r[0]) for r in rows] == [2, 4, 8, 16, 32, 64]
    for d, forwards, numerical, analytic, difference in rows:
        assert int(forwards) == 2 * int(d) ** 2
        assert float(difference) < 1e-6  # the two gradients agree
    assert float(rows[-1][2]) > 10 * float(rows[-1][3])  # d = 64: numerical is far slower
    assert (tmp_path / "cost.png").read_bytes()[:4] == b"\x89PNG"
    assert nnlite("nope", cwd=tmp_path).returncode == 2


def test_activations_refuses_a_row_wise_activation_naming_the_elementwise_ones(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nnlite", "course", "activations", "softmax",
                             "-o", str(tmp_path / "a.png")], capture_output=True, text=True)
    assert result.returncode == 1 and not (tmp_path / "a.png").exists()
    assert "softmax act on a whole row" in result.stderr and "tanh" in result.stderr


def test_the_output_file_is_drawn_in_the_format_its_suffix_names(tmp_path):
    for suffix, magic in ((".pdf", b"%PDF"), (".png", b"\x89PNG")):
        out = tmp_path / f"a{suffix}"
        result = subprocess.run([sys.executable, "-m", "nnlite", "course", "activations", "tanh",
                                 "-o", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.png"]  # no temporary left


# -- nl.course on the command line: exercise, check, quiz, answer, verify ----------------
# In process (cli_in_process), apart from one test that compares two real processes.

RIGHT_RELU = "def relu_backward(z, dout):\n    return dout * (z > 0)\n"
IN_PLACE_RELU = "def relu_backward(z, dout):\n    dout[z <= 0] = 0\n    return dout\n"


def test_exercise_lists_writes_a_stub_and_never_overwrites(tmp_path, monkeypatch, capsys):
    assert cli_in_process(tmp_path, monkeypatch, "course", "exercise") == (0, "")
    assert "linear_backward(x, W, b, dout) -> (dx, dW, db)" in capsys.readouterr().out
    assert cli_in_process(tmp_path, monkeypatch, "course", "exercise", "relu_backward")[0] == 0
    stub = (tmp_path / "relu_backward.py").read_text()
    assert "def relu_backward(z, dout):" in stub and "(N, D)" in stub
    (tmp_path / "relu_backward.py").write_text(RIGHT_RELU)  # the student's work
    code, err = cli_in_process(tmp_path, monkeypatch, "course", "exercise", "relu_backward")
    assert code == 2 and "relu_backward.py exists" in one_nnlite_line(err)
    assert (tmp_path / "relu_backward.py").read_text() == RIGHT_RELU
    code, err = cli_in_process(tmp_path, monkeypatch, "course", "exercise", "relu_bakcward")
    assert code == 2 and "Did you mean 'relu_backward'" in one_nnlite_line(err)
    capsys.readouterr()
    assert cli_in_process(tmp_path, monkeypatch, "course", "exercise", "dropout", "-o", "-")[0] == 0
    assert "class Dropout(nl.Module):" in capsys.readouterr().out


def test_check_prints_the_diagnosis_and_exits_0_or_1(tmp_path, monkeypatch, capsys):
    (tmp_path / "right.py").write_text(RIGHT_RELU)
    (tmp_path / "wrong.py").write_text(IN_PLACE_RELU)
    (tmp_path / "broken.py").write_text("def relu_backward(z, dout)\n")
    assert cli_in_process(tmp_path, monkeypatch, "course", "check", "relu_backward",
                          "right.py") == (0, "")
    assert capsys.readouterr().out.startswith("relu_backward: passed.")
    assert cli_in_process(tmp_path, monkeypatch, "course", "check", "relu_backward",
                          "wrong.py") == (1, "")
    assert "changed its argument dout in place" in capsys.readouterr().out
    code, err = cli_in_process(tmp_path, monkeypatch, "course", "check", "relu_backward",
                               "broken.py")
    assert code == 1 and "broken.py, line 1: SyntaxError" in one_nnlite_line(err)
    for args in (("relu_backward", "missing.py"), ("relu_backward",), ("nope", "right.py")):
        code, err = cli_in_process(tmp_path, monkeypatch, "course", "check", *args)
        assert code == 2, args
        one_nnlite_line(err)


def test_quiz_then_answer(tmp_path, monkeypatch, capsys):
    from nnlite.course.quiz import make_quiz, solve
    from nnlite.course.quiz_file import dumps

    assert cli_in_process(tmp_path, monkeypatch, "course", "quiz", "--seed", "17", "-o",
                          "q.json") == (0, "")
    out = capsys.readouterr().out
    assert "Q1. What is ∂H/∂" in out and "course answer q.json Q1=..." in out
    assert (tmp_path / "q.json").read_text(encoding="utf-8") == dumps(make_quiz(17))
    quiz = make_quiz(17)
    right = [f"{q['id']}={solve(quiz, q)}" for q in quiz["questions"]]
    assert cli_in_process(tmp_path, monkeypatch, "course", "answer", "q.json", *right) == (0, "")
    assert "14 of 14 right" in capsys.readouterr().out
    code, _ = cli_in_process(tmp_path, monkeypatch, "course", "answer", "q.json", right[0],
                             "Q2=1000", "--show")
    out = capsys.readouterr().out
    assert code == 1 and "Q2   1000         wrong" in out and "Q3   not answered" in out
    assert "\n    ∂H/∂a^(1)_1 = W^(2)_11 ∂H/∂z^(2)_1" in out and "The whole pass" in out
    for args in (("q.json", "Q1"), ("q.json", "Q99=1"), ("missing.json", "Q1=1")):
        code, err = cli_in_process(tmp_path, monkeypatch, "course", "answer", *args)
        assert code == 2, args
        one_nnlite_line(err)
    code, err = cli_in_process(tmp_path, monkeypatch, "course", "quiz")
    assert code == 2 and "--seed" in one_nnlite_line(err)


def test_verify_checks_every_claim(tmp_path, monkeypatch, capsys):
    assert cli_in_process(tmp_path, monkeypatch, "course", "verify", "note004_quiz07_a") == (0, "")
    assert "10 claim(s), all right" in capsys.readouterr().out
    assert cli_in_process(tmp_path, monkeypatch, "course", "verify", "note002_graph") == (1, "")
    out = capsys.readouterr().out
    assert "WRONG  df/dh2: 1 claimed; it is 2" in out and "Backward (the chain rule" in out
    (tmp_path / "bad.yaml").write_text("network: []\nx: [1]\nclaims: {H: 1}\n")
    for args in (("bad.yaml",), (), ("missing.yaml",)):
        code, err = cli_in_process(tmp_path, monkeypatch, "course", "verify", *args)
        assert code == 2, args
        one_nnlite_line(err)


def test_a_quiz_is_the_same_bytes_from_another_process(tmp_path):
    for name in ("a.json", "b.json"):
        assert nnlite("quiz", "--seed", "5", "-o", name, cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
