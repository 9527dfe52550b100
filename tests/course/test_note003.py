"""Note 003 (a two-layer network f(x) = b^T sigma(A x), L = (y - f(x))^2): the forward
pass z1..z4 and the closed forms of dL/db and dL/dA, through `nl.explain`."""

import numpy as np
from course_helpers import linear
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite.explain import notation as n

A = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1.0, 1.0, -1.0]])  # h x m
b, x, y = np.array([1.0, -2.0, 0.5, 3.0]), np.array([0.4, -1.2, 0.9]), 2.5


def explained():
    net = nl.Sequential(linear(A.T), nl.activation("sigmoid"), linear(b[:, None]))
    return nl.explain(net, x, np.array([[y]]), nl.MSELoss(reduction="sum"))


def test_forward_pass_z1_to_z4():
    """003: z1 = A x, z2 = sigma(z1), z3 = b^T z2, z4 = y - z3, L = z4^2."""
    e = explained()
    z1 = A @ x
    z2 = 1 / (1 + np.exp(-z1))
    z3 = b @ z2
    assert_allclose(e.layers[0].z[0], z1, rtol=1e-14)
    assert_allclose(e.layers[0].a[0], z2, rtol=1e-14)
    assert_allclose(e.output[0, 0], z3, rtol=1e-14)
    assert_allclose(e.loss, (y - z3) ** 2, rtol=1e-14)


def test_dL_db_is_minus_2_z4_z2():
    """003 (a): dL/db = -2 (y - z3) z2 = -2 z4 z2 (an h-vector)."""
    e = explained()
    z2 = e.layers[0].a[0]
    z4 = y - e.output[0, 0]
    assert_allclose(e.layers[1].dW[:, 0], -2 * z4 * z2, rtol=1e-12)


def test_dL_dA_is_minus_2_z4_b_sigma_prime_x_transpose():
    """003 (b): dL/dA = -2 z4 (b ⊙ sigma'(z1)) x^T, h x m, with sigma' = sigma (1 - sigma).
    (The note prints the derivative as "sigma(x)/x"; it means d sigma/dx.) nnlite's
    weight is A^T, so dL/dA is dW^T."""
    e = explained()
    z2 = e.layers[0].a[0]
    z4 = y - e.output[0, 0]
    dA = -2 * z4 * np.outer(b * z2 * (1 - z2), x)
    assert dA.shape == A.shape
    assert_allclose(e.layers[0].dW.T, dA, rtol=1e-12)
    assert_allclose(e.layers[0].g_prime[0], z2 * (1 - z2), rtol=1e-14)


def test_explained_in_the_notes_own_variables():
    """003 as the note writes it: notation="003" prints z1 = A x, z2 = σ(z1), z3 = b^T z2,
    z4 = y - z3, L = z4^2 with A_ij and b_i (not W^(1)_ji), ∂L/∂z4 = 2 z4 and
    ∂L/∂A h × m like A."""
    net = nl.Sequential(linear(A.T), nl.activation("sigmoid"), linear(b[:, None]))
    text = str(nl.explain(net, x, np.array([[y]]), nl.MSELoss(reduction="sum"),
                          notation="003"))
    z2 = 1 / (1 + np.exp(-(A @ x)))
    z4 = y - b @ z2
    assert "Here: z1 = A x; z2 = sigmoid(z1); z3 = b^T z2; z4 = y - z3; L = z4^2." in text
    assert f"  z4 = y - z3 = 2.5 - {n.factor(b @ z2)} = {n.num(z4)}" in text
    assert f"  ∂L/∂z4 = 2·z4 = {n.product([2, z4])} = {n.num(2 * z4)}" in text
    assert "  ∂L/∂A_12 = ∂L/∂z1_1 · x_2 = " in text and "W^(1)_21" not in text
    assert "∂L/∂A = ∂L/∂z1 x^T: 4 × 3, like A =" in text
