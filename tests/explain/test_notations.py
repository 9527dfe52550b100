"""`nl.explain(..., notation=...)`: note 004's walk as it always printed, notes 000/001
and 003's own variables, and every number each prints checked against an independent
numpy pass (reference.py) for single samples and batches, each loss, a Residual skip
and a softmax."""

from pathlib import Path

import numpy as np
import pytest
from reference import (
    assert_every_number_is_a_value,
    bce,
    cross_entropy,
    mse,
    network,
    output_sum,
    reference,
    values,
)

import nnlite as nl
from nnlite.explain import notation as n

RNG = np.random.default_rng(7)
HIDDEN = [(RNG.normal(size=(2, 3)), RNG.normal(size=3), "tanh", None),
          (RNG.normal(size=(3, 3)), RNG.normal(size=3), "sigmoid", 1)]  # a Residual block
X1, XS = RNG.normal(size=(1, 2)), RNG.normal(size=(4, 2))
REGRESSION = HIDDEN + [(RNG.normal(size=(3, 2)), RNG.normal(size=2), "identity", None)]
SOFTMAX = HIDDEN + [(RNG.normal(size=(3, 3)), None, "softmax", None)]
CLASSES = HIDDEN + [(RNG.normal(size=(3, 3)), RNG.normal(size=3), "identity", None)]
Y1, YS = RNG.normal(size=(1, 2)), RNG.normal(size=(4, 2))
P1, PS = np.array([[0.2, 0.3, 0.5]]), np.full((4, 3), 1 / 3)
L1, LS = np.array([2]), np.array([0, 2, 1, 1])

# (layers, x, target, nnlite's loss, the reference's loss)
CASES = {
    "mse, one sample": (REGRESSION, X1, Y1, "mse", mse(Y1)),
    "half sum, batch": (REGRESSION, XS, YS, nl.MSELoss("sum", half=True), mse(YS, "sum", True)),
    "bce, batch": (REGRESSION, XS, (YS > 0) * 1.0, "bce_with_logits", bce((YS > 0) * 1.0)),
    "H, one sample": (REGRESSION, X1, None, None, output_sum),
    "softmax, one sample": (SOFTMAX, X1, P1, "mse", mse(P1)),
    "softmax, batch": (SOFTMAX, XS, PS, "mse", mse(PS)),
    "cross entropy, one": (CLASSES, X1, L1, "cross_entropy", cross_entropy(L1)),
    "smoothed, batch": (CLASSES, XS, LS, nl.CrossEntropyLoss(label_smoothing=0.1),
                        cross_entropy(LS, 0.1)),
}


@pytest.mark.parametrize("notation", ["004", "000", "003"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_number_printed_is_a_value_of_an_independent_pass(case, notation):
    layers, x, target, loss, ref_loss = CASES[case]
    r = reference(layers, x, ref_loss)
    e = nl.explain(network(layers), x, target, loss, notation=notation)
    assert e.loss == pytest.approx(r["loss"], rel=1e-12)
    np.testing.assert_allclose(e.dx, r["dx"], rtol=1e-10, atol=1e-14)
    for layer, dW in zip(e.layers, r["dW"]):
        np.testing.assert_allclose(layer.dW, dW, rtol=1e-10, atol=1e-14)
    found = assert_every_number_is_a_value(str(e), values(r, layers, target))
    assert len(found) > 60


def test_a_wrong_number_is_caught_by_the_check():
    layers, x, target, loss, ref_loss = CASES["mse, one sample"]
    r = reference(layers, x, ref_loss)
    text = str(nl.explain(network(layers), x, target, loss))
    right = n.num(r["z"][0][0, 0])
    wrong = text.replace(f"= {right}\n", f"= {n.num(r['z'][0][0, 0] * 1.01)}\n", 1)
    assert wrong != text
    with pytest.raises(AssertionError, match="is not a value of the pass"):
        assert_every_number_is_a_value(wrong, values(r, layers, target))


def test_note_004_is_the_default_and_prints_what_it_always_printed():
    """The walk of a 2-2-2-1 ReLU network without a loss, exactly as before notations
    were added (note004_walk.txt, printed by nnlite before this change)."""
    def linear(W, b=None):
        return network([(W, b, "identity", None)])[0]

    net = nl.Sequential(linear([[2, -1], [3, 1]], [0.5, -0.5]), nl.activation("relu"),
                        linear([[0.4, 1.1], [1.5, -0.8]]), nl.activation("relu"),
                        linear([[1.5], [-0.8]]))
    expected = (Path(__file__).parent / "note004_walk.txt").read_text().rstrip("\n")
    assert str(nl.explain(net, [1.0, 3.0])) == expected
    assert str(nl.explain(net, [1.0, 3.0], notation="004")) == expected


def test_an_unknown_notation_names_itself_and_the_allowed_ones():
    with pytest.raises(ValueError, match="notation='005' is not one of '004', '000', '001', "
                                         "'003'"):
        nl.explain(nl.mlp([2, 1], rng=0), [[1.0, 2.0]], notation="005")
    with pytest.raises(ValueError, match="notation=4 is not one of"):
        nl.explain(nl.mlp([2, 1], rng=0), [[1.0, 2.0]], notation=4)


def test_note_001_is_note_000s_notation():
    layers, x, target, loss, _ = CASES["mse, one sample"]
    model = network(layers)
    one = nl.explain(model, x, target, loss, notation="001")
    assert one.notation == "000" and str(one) == str(nl.explain(model, x, target, loss,
                                                                    notation="000"))


def test_note_000_prints_the_derivative_and_the_gradient_with_both_shapes():
    """Note 000's disclaimer: ∂ℓ/∂A is the derivative, A's shape transposed, and the
    gradient is its transpose; nnlite's dW is the derivative (W = A^T)."""
    layers, x, target, loss, ref_loss = CASES["mse, one sample"]
    r = reference(layers, x, ref_loss)
    text = str(nl.explain(network(layers), x, target, loss, notation="000"))
    A1 = np.asarray(layers[0][0]).T  # 3 × 2: A^(1) maps x (2) to x^(1) (3)
    derivative = r["dW"][0]
    assert derivative.shape == A1.T.shape
    assert ("∂ℓ/∂A^(1) = x ∂ℓ/∂x^(1), the derivative: 2 × 3, A^(1)'s shape transposed "
            "(nnlite's dW) =\n" + n.matrix(derivative)) in text
    assert ("∇_{A^(1)} ℓ = (∂ℓ/∂A^(1))^T, the gradient: 3 × 2, shaped like A^(1), what "
            "gradient descent subtracts =\n" + n.matrix(derivative.T)) in text
    assert "∂ℓ/∂b^(1) = ∂ℓ/∂x^(1), a row, 1 × 3 =\n" + n.matrix(r["db"][0][None]) in text
    assert "a row (1 × n) for a column v (n × 1)" in text
    # the intermediate variables, the error x - y and its derivative (2/n) x^T
    error = r["a"][-1] - target
    assert "x^(7) = x^(6) - y: 2 × 1" in text
    assert (f"  x^(7)_1 = x^(6)_1 - y_1 = {n.num(r['a'][-1][0, 0])} - "
            f"{n.factor(target[0, 0])} = {n.num(error[0, 0])}") in text
    # the mean over n = 2 values: (1/n) = ½, so ∂ℓ/∂x^(7) = (2/n) (x^(7))^T = (x^(7))^T
    assert f"ℓ = ½ ||x^(7)||^2 = ½ ({n.factor(error[0, 0])}^2 + " in text
    assert f"  ∂ℓ/∂x^(7)_1 = x^(7)_1 = {n.num(r['dout'][0, 0])}" in text
    assert np.allclose(r["dout"], error)
    A1_21 = A1[1, 0]  # from input 1 to unit 2
    assert f"A^(1)_21 x_1 + A^(1)_22 x_2 + b^(1)_2 = {n.product([A1_21, x[0, 0]])}" in text


def test_note_003_walks_z1_to_z4_with_the_notes_a_and_b():
    """Note 003's f(x) = b^T σ(A x), L = (y - f(x))^2 with its own variables: z4 = y - z3,
    L = z4^2, A_12 printed as A_12 (never W^(1)_21), b the output weights."""
    A = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    b, x, y = np.array([1.0, -2.0]), np.array([[0.4, -1.2, 0.9]]), np.array([[2.5]])
    layers = [(A.T, None, "sigmoid", None), (b[:, None], None, "identity", None)]
    e = nl.explain(network(layers), x, y, nl.MSELoss(reduction="sum"), notation="003")
    text = str(e)
    z1 = A @ x[0]
    z2 = 1 / (1 + np.exp(-z1))
    z3 = b @ z2
    z4 = y[0, 0] - z3
    assert "Here: z1 = A x; z2 = sigmoid(z1); z3 = b^T z2; z4 = y - z3; L = z4^2." in text
    assert (f"  z1_1 = A_11 x_1 + A_12 x_2 + A_13 x_3 = 0.5·0.4 + (-1)·(-1.2) + 2·0.9 = "
            f"{n.num(z1[0])}") in text
    assert f"  z3 = b_1 z2_1 + b_2 z2_2 = 1·{n.num(z2[0])} + (-2)·{n.num(z2[1])}" in text
    assert f"  z4 = y - z3 = 2.5 - {n.factor(z3)} = {n.num(z4)}" in text
    assert f"L = z4^2 = {n.factor(z4)}^2 = {n.num(z4**2)}" in text
    assert f"  ∂L/∂z4 = 2·z4 = {n.product([2, z4])} = {n.num(2 * z4)}" in text
    assert f"  ∂L/∂z3 = ∂L/∂z4 · (-1) = {n.product([2 * z4, -1])} = {n.num(-2 * z4)}" in text
    dA = -2 * z4 * np.outer(b * z2 * (1 - z2), x[0])  # the note's (b)
    assert "∂L/∂A = ∂L/∂z1 x^T: 2 × 3, like A =\n" + n.matrix(dA) in text
    assert "  ∂L/∂A_12 = ∂L/∂z1_1 · x_2 = " in text and "W^(1)" not in text.split("Here")[1]
    assert "∂L/∂b = ∂L/∂z3 z2: 2 × 1, like b =\n" + n.matrix((-2 * z4 * z2)[:, None]) in text
