"""Softmax's Jacobian shown (note 002 §3.6): J = diag(σ) - σσ^T for a small layer at the
explanation's sample, against numpy and central differences, and ∂/∂z = J^T ∂/∂a worked
unit by unit from it."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.explain import notation as n

F64 = np.float64


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def model(classes=3):
    return nl.mlp([2, 3, classes], activation="tanh", output_activation="softmax", rng=4,
                  dtype=F64)


@pytest.mark.parametrize("notation, a, z", [("004", "a^(2)", "z^(2)"), ("000", "x^(4)", "x^(3)"),
                                            ("003", "z4", "z3")])
def test_the_jacobian_is_diag_sigma_minus_sigma_sigma_t_and_gives_dz(notation, a, z):
    x, y = np.array([[0.4, -1.1]]), np.array([[0.1, 0.7, 0.2]])
    e = nl.explain(model(), x, y, "mse", notation=notation)
    last = e.layers[-1]
    sigma = softmax(last.z[0])
    J = np.diag(sigma) - np.outer(sigma, sigma)
    eps = 1e-6
    numeric = np.array([(softmax(last.z[0] + eps * d) - softmax(last.z[0] - eps * d)) / (2 * eps)
                        for d in np.eye(3)]).T  # J[i, j] = ∂σ_i/∂z_j
    np.testing.assert_allclose(J, numeric, atol=1e-9)
    text = str(e)
    assert (f"softmax's Jacobian at sample 0: J = ∂{a}/∂{z} = diag(σ) - σσ^T, σ = {a} = "
            f"{n.value(sigma)}:\n" + n.matrix(J)) in text
    da = last.da[0]
    np.testing.assert_allclose(last.dz[0], J.T @ da, rtol=1e-12)
    q = "L" if notation == "003" else "ℓ"
    for j in range(3):
        terms = " + ".join(f"J_{k + 1}{j + 1} ∂{q}/∂{a}_{k + 1}" for k in range(3))
        nums = " + ".join(n.product([J[k, j], da[k]]) for k in range(3))
        assert f"= {terms} = {nums} = {n.num((J.T @ da)[j])}" in text


def test_in_a_batch_it_is_shown_for_the_explanations_sample():
    xs = np.array([[0.4, -1.1], [2.0, 0.5], [-0.3, 0.3]])
    e = nl.explain(model(), xs, np.full((3, 3), 1 / 3), "mse", sample=2)
    sigma = softmax(e.layers[-1].z[2])
    assert (f"softmax's Jacobian at sample 2: J = ∂a^(2)/∂z^(2) = diag(σ) - σσ^T, σ = a^(2) = "
            f"{n.value(sigma)}:\n" + n.matrix(np.diag(sigma) - np.outer(sigma, sigma))) in str(e)


def test_a_wide_softmax_names_its_jacobian_without_printing_it():
    e = nl.explain(model(classes=8), np.array([[0.4, -1.1]]))
    assert "softmax's Jacobian J = ∂a^(2)/∂z^(2) = diag(σ) - σσ^T is 8 × 8, too large" in str(e)
