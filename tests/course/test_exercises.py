"""nl.course's exercises that are functions: every right solution passes, and each kind
of mistake a student makes is named (in the notes' notation), with a deliberately
wrong implementation of each."""

import numpy as np
import pytest

import nnlite as nl

course = nl.course


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_the_issue_s_exercises_are_there_with_their_signatures():
    signatures = {e.name: e.signature for e in course.exercises()}
    assert signatures["linear_backward"] == "linear_backward(x, W, b, dout) -> (dx, dW, db)"
    assert signatures["softmax_backward"] == "softmax_backward(z, dout) -> dz"
    assert signatures["mse_backward"] == "mse_backward(yhat, y) -> dyhat"
    assert signatures["two_layer_gradients"] == \
        "two_layer_gradients(x, y, A, b) -> (dL_dA, dL_db)"
    assert {"sigmoid_backward", "tanh_backward", "relu_backward", "residual_block",
            "dropout", "sgd_step", "linear_layer"} <= set(signatures)


@pytest.mark.parametrize("name", [e.name for e in nl.course.exercises()])
def test_the_right_solution_passes(name):
    exercise = next(e for e in course.exercises() if e.name == name)
    result = course.check(name, exercise.reference)
    assert result.passed, result.diagnosis
    assert result.diagnosis.startswith(f"{name}: passed.") and not result.findings


def test_the_truth_is_central_differences_not_one_formula():
    """Another right formula passes: σ'(z) = (1 − tanh²(z/2)) / 4."""
    result = course.check("sigmoid_backward", lambda z, dout: dout * (1 - np.tanh(z / 2) ** 2) / 4)
    assert result.passed
    for words in ("central differences (float64)", "float32", "float64", "(2, 3)", "(4, 2)"):
        assert words in result.diagnosis


# (exercise, a wrong attempt, what the diagnosis must say)
WRONG = {
    "missing g'(z)": ("sigmoid_backward", lambda z, dout: dout, "missing g'(z)"),
    "σ for σ'": ("sigmoid_backward", lambda z, dout: dout * sigmoid(z),
                 "used σ(z) where its derivative σ'(z) = σ(z)(1 − σ(z)) belongs"),
    "tanh without the square": ("tanh_backward", lambda z, dout: dout * (1 - np.tanh(z)),
                                "forgot the square"),
    "g' alone": ("relu_backward", lambda z, dout: (z > 0) * 1.0, "dropped ∂L/∂a^(l)"),
    "mask from dout": ("relu_backward", lambda z, dout: dout * (dout > 0),
                       "took g'(z) from the sign of dout"),
    "W vs W^T": ("linear_backward", lambda x, W, b, dout: (dout @ W, x.T @ dout, dout.sum(0)),
                 "dx (∂L/∂a^(l-1) = ∂L/∂z^(l) (W^(l))^T): W where W^T belongs"),
    "dW transposed": ("linear_backward",
                      lambda x, W, b, dout: (dout @ W.T, dout.T @ x, dout.sum(0)),
                      "dW (∂L/∂W^(l) = (a^(l-1))^T ∂L/∂z^(l)): W where W^T belongs"),
    "A vs W": ("two_layer_gradients",
               lambda x, y, A, b: (-2 * (y - b @ sigmoid(A @ x)) *
                                   np.outer(x, b * sigmoid(A @ x) * (1 - sigmoid(A @ x))),
                                   -2 * (y - b @ sigmoid(A @ x)) * sigmoid(A @ x)),
               "A against W"),
    "missing 1/N": ("mse_backward", lambda yhat, y: 2 * (yhat - y), "missing 1/N"),
    "1/N over rows only": ("mse_backward", lambda yhat, y: 2 * (yhat - y) / len(yhat),
                           "divided by N (the rows) only"),
    "missing batch sum": ("linear_backward", lambda x, W, b, dout: (dout @ W.T, x.T @ dout, dout),
                          "db (∂L/∂b^(l) = Σ_n ∂L/∂z^(l)_n): missing the sum over the batch"),
    "averaged over the batch": ("linear_backward",
                                lambda x, W, b, dout: (dout @ W.T, x.T @ dout / len(x),
                                                       dout.sum(0)),
                                "dW (∂L/∂W^(l) = (a^(l-1))^T ∂L/∂z^(l)): divided by N"),
    "flipped sign": ("mse_backward", lambda yhat, y: 2 * (y - yhat) / yhat.size,
                     "has the sign flipped"),
    "flipped sign (any)": ("tanh_backward", lambda z, dout: -dout * (1 - np.tanh(z) ** 2),
                           "has the sign flipped: it is minus the right gradient"),
    "sign of z4": ("two_layer_gradients",
                   lambda x, y, A, b: (2 * (y - b @ sigmoid(A @ x)) *
                                       np.outer(b * sigmoid(A @ x) * (1 - sigmoid(A @ x)), x),
                                       -2 * (y - b @ sigmoid(A @ x)) * sigmoid(A @ x)),
                   "dL_dA (∂L/∂A = −2 z4 (b ⊙ σ'(z1)) x^T): has the sign flipped: z4 = y − z3"),
    "wrong axis summed": ("linear_backward",
                          lambda x, W, b, dout: (dout @ W.T, x.T @ dout, dout.sum(axis=1)),
                          "db (∂L/∂b^(l) = Σ_n ∂L/∂z^(l)_n): summed over the wrong axis"),
    "softmax's wrong axis": ("softmax_backward",
                             lambda z, dout: softmax(z) * (dout - (dout * softmax(z)).sum(
                                 axis=0, keepdims=True)), "summed over the wrong axis"),
    "softmax's diagonal only": ("softmax_backward",
                                lambda z, dout: dout * softmax(z) * (1 - softmax(z)),
                                "used only the diagonal σ_i(1 − σ_i) of the Jacobian"),
    "softmax overflows": ("softmax_backward",
                          lambda z, dout: (np.exp(z) / np.exp(z).sum(1, keepdims=True)) * (
                              dout - (dout * np.exp(z) / np.exp(z).sum(1, keepdims=True)).sum(
                                  1, keepdims=True)),
                          "e^z overflowed; subtract each row's maximum first"),
    "z1 for z2": ("two_layer_gradients",
                  lambda x, y, A, b: (-2 * (y - b @ sigmoid(A @ x)) *
                                      np.outer(b * sigmoid(A @ x) * (1 - sigmoid(A @ x)), x),
                                      -2 * (y - b @ sigmoid(A @ x)) * (A @ x)),
                  "used z1 = A x where z2 = σ(z1) belongs"),
}


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_each_mistake_is_named(kind):
    name, attempt, says = WRONG[kind]
    result = course.check(name, attempt)
    assert not result.passed
    assert says in result.diagnosis, result.diagnosis


def relu_in_place(z, dout):
    dout[z <= 0] = 0
    return dout


def test_an_input_modified_in_place_is_named_even_when_the_values_are_right():
    result = course.check("relu_backward", relu_in_place)
    assert not result.passed and len(result.findings) == 1
    assert result.findings[0].startswith("changed its argument dout in place")
    assert "dz = dout * (z > 0)" in result.findings[0]


def test_a_shape_error_on_some_trials_says_where_and_what_the_rest_show(tmp_path):
    attempt = tmp_path / "attempt.py"
    attempt.write_text("def linear_backward(x, W, b, dout):\n"
                       "    dx = dout @ W\n"
                       "    return dx, x.T @ dout, dout.sum(axis=0)\n")
    result = course.check("linear_backward", str(attempt))
    raised, wrong = result.findings
    assert raised.startswith("raised ValueError") and "at line 2 of attempt.py: dx = dout @ W" \
        in raised and "(on 2 of 4 trials" in raised
    assert "W where W^T belongs" in wrong and "only runs when W is square" in wrong


def test_otherwise_it_says_which_entries_differ_and_by_how_much():
    result = course.check("sigmoid_backward", lambda z, dout: dout * 0.24)
    [finding] = result.findings
    assert "on trial z of shape (2, 3), float64, seed 0, 6 of 6 entries differ" in finding
    assert "largest difference" in finding and "yours" in finding and "right" in finding


def test_a_wrong_return_is_named():
    assert "it must return the tuple (dx, dW, db)" in course.check(
        "linear_backward", lambda x, W, b, dout: (dout @ W.T, x.T @ dout)).diagnosis
    assert "has shape (1, D_out)" in course.check(
        "linear_backward",
        lambda x, W, b, dout: (dout @ W.T, x.T @ dout, dout.sum(0, keepdims=True))).diagnosis


@pytest.mark.parametrize("name", ["relu_backward", "linear_backward", "dropout", "sgd_step"])
def test_the_stub_is_a_file_whose_check_says_not_written_yet(name, tmp_path, capsys):
    import runpy

    stub = tmp_path / f"{name}.py"
    stub.write_text(course.stub(name))
    result = course.check(name, stub)
    assert not result.passed and "not written yet" in result.diagnosis
    runpy.run_path(str(stub), run_name="__main__")  # `python stub.py` checks itself
    assert "not written yet" in capsys.readouterr().out


def test_a_solution_by_file_module_or_module_name(tmp_path, monkeypatch):
    (tmp_path / "my_mse.py").write_text("def mse_backward(yhat, y):\n"
                                        "    return 2 * (yhat - y) / yhat.size\n")
    assert course.check("mse_backward", tmp_path / "my_mse.py").passed
    monkeypatch.syspath_prepend(str(tmp_path))
    assert course.check("mse_backward", "my_mse").passed
    import my_mse

    assert course.check("mse_backward", my_mse).passed


def test_a_solution_that_cannot_be_loaded_is_one_clear_error(tmp_path):
    (tmp_path / "other.py").write_text("def mse_grad(yhat, y):\n    return yhat\n")
    (tmp_path / "broken.py").write_text("def mse_backward(yhat, y):\n    return (\n")
    with pytest.raises(ValueError, match=r"defines no mse_backward \(it defines mse_grad\)"):
        course.check("mse_backward", tmp_path / "other.py")
    with pytest.raises(ValueError, match=r"broken.py, line \d: SyntaxError"):
        course.check("mse_backward", tmp_path / "broken.py")
    with pytest.raises(ValueError, match="no such file"):
        course.check("mse_backward", tmp_path / "missing.py")
    with pytest.raises(ValueError, match="Did you mean 'relu_backward'"):
        course.check("relu_backwards", lambda z, dout: dout)
    with pytest.raises(TypeError, match="must be a function, a class"):
        course.check("relu_backward", 3)


def test_nl_course_loads_on_first_use_and_yaml_only_for_a_worked_example():
    import subprocess
    import sys

    probe = ("import sys, nnlite as nl\n"
             "print('nnlite.course' in sys.modules)\n"
             "nl.course.check('relu_backward', lambda z, dout: dout * (z > 0))\n"
             "nl.course.grade(nl.course.make_quiz(1), {})\n"
             "print('yaml' in sys.modules)\n"
             "nl.course.verify('note002_xor')\n"
             "print('yaml' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "True"]
