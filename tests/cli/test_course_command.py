"""`python -m nnlite course`: the activation and gradient-cost plots, through the real
command line."""

import re
import subprocess
import sys


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
