"""Note 002 §2, "Revisiting Jacobians": the seven Jacobians with their shapes, by
`nl.jacobian` (central differences), with X (n, d), W (k, d) and w (d,). A Jacobian has
shape (shape of the output) x (shape of the input)."""

import numpy as np
from numpy.testing import assert_allclose

import nnlite as nl

N, D, K = 4, 3, 2
RNG = np.random.default_rng(13)
X = RNG.standard_normal((N, D))
W = RNG.standard_normal((K, D))
w = RNG.standard_normal(D)


def test_constant_has_a_zero_row_of_shape_1_by_d():
    """002 §2.1: f(w) = c: J is the 1 x d row of zeros."""
    J = nl.jacobian(lambda v: np.array([7.5]), w)
    assert J.shape == (1, D)
    assert_allclose(J, np.zeros((1, D)), atol=0)


def test_squared_norm_is_2_w_transpose():
    """002 §2.2: f(w) = ||w||^2: J = 2 w^T, 1 x d."""
    J = nl.jacobian(lambda v: np.array([v @ v]), w)
    assert J.shape == (1, D)
    assert_allclose(J, 2 * w[None], rtol=1e-8)


def test_dot_product_is_x_i_transpose():
    """002 §2.3: f(w) = w^T x_i: J = x_i^T, 1 x d."""
    x_i = X[1]
    J = nl.jacobian(lambda v: np.array([v @ x_i]), w)
    assert J.shape == (1, D)
    assert_allclose(J, x_i[None], rtol=1e-8)


def test_matrix_vector_product_is_X():
    """002 §2.4: f(w) = X w: J = X, n x d."""
    J = nl.jacobian(lambda v: X @ v, w)
    assert J.shape == (N, D)
    assert_allclose(J, X, rtol=1e-8)


def test_identity_is_I_d():
    """002 §2.5: f(w) = w: J = I_d. f returns its very input, which a Jacobian that
    perturbs x in place and keeps f's output uncopied reads as all zeros."""
    J = nl.jacobian(lambda v: v, w)
    assert J.shape == (D, D)
    assert_allclose(J, np.eye(D), rtol=1e-8, atol=1e-12)


def test_elementwise_square_is_diag_2w():
    """002 §2.6: f(w) = w^2 elementwise: J = diag(2 w_1, ..., 2 w_d)."""
    J = nl.jacobian(lambda v: v**2, w)
    assert_allclose(J, np.diag(2 * w), rtol=1e-7, atol=1e-9)


def test_X_W_transpose_is_X_il_times_1_j_equals_k():
    """002 §2.7: f(W) = X W^T, (n, k): J has shape (n, k, k, d) and
    J_ijkl = d f_ij / d W_kl = X_il 1{j = k}. (The notes print 1{i = k}: the output's
    column j is the row of W it reads, so the indicator compares j, not i, with k.)"""
    J = nl.jacobian(lambda V: X @ V.T, W)
    assert J.shape == (N, K, K, D)
    expected = np.einsum("il,jk->ijkl", X, np.eye(K))
    assert_allclose(J, expected, rtol=1e-7, atol=1e-9)
    as_printed = np.einsum("il,ik,j->ijkl", X, np.eye(N, K), np.ones(K))
    assert not np.allclose(J, as_printed)
