"""Note 002 §3, "Activations per layer": why a nonlinearity, the three activations and
their derivatives, vanishing gradients, zero-centred outputs and the softmax Jacobian."""

import numpy as np
import pytest
from course_helpers import F64, XOR_X, XOR_Y, linear
from numpy.testing import assert_allclose

import nnlite as nl


def test_3_1_without_activations_a_network_is_one_linear_map():
    """§3.1: without a nonlinearity the layers compose to one affine map, which cannot fit
    XOR (least squares leaves error 1/4 on every point); a ReLU between them can (§4.2)."""
    a, b = nl.Linear(2, 5, dtype=F64, rng=0), nl.Linear(5, 1, dtype=F64, rng=1)
    net = nl.Sequential(a, b)
    one = linear(a.weight.data @ b.weight.data, a.bias.data @ b.weight.data + b.bias.data)
    xs = np.random.default_rng(0).standard_normal((9, 2))
    assert_allclose(net(xs), one(xs), rtol=1e-12)
    design = np.hstack([XOR_X, np.ones((4, 1))])
    coef, *_ = np.linalg.lstsq(design, XOR_Y, rcond=None)
    assert_allclose(design @ coef, 0.5 * np.ones((4, 1)), atol=1e-12)  # the best is 1/2


def test_3_2_formulas_and_derivatives():
    """§3.2: sigma(z) = 1/(1 + e^-z), sigma' = sigma (1 - sigma); ReLU(z) = max(0, z),
    ReLU' = 1 if z > 0 else 0 (taken 0 at z = 0); tanh' = 1 - tanh^2."""
    z = np.array([[-6.0, -2.0, -0.5, 0.0, 0.3, 1.0, 4.0]])
    s = 1.0 / (1.0 + np.exp(-z))
    expected = {"sigmoid": (s, s * (1 - s)), "tanh": (np.tanh(z), 1 - np.tanh(z) ** 2),
                "relu": (np.maximum(0, z), (z > 0).astype(F64))}
    for name, (value, derivative) in expected.items():
        act = nl.activation(name)
        assert_allclose(act(z), value, rtol=1e-12)
        assert_allclose(act.backward(np.ones_like(z)), derivative, rtol=1e-12)
        numeric = np.diag(nl.jacobian(lambda v, act=act: act(v[None])[0], z[0] + 1e-3))
        assert_allclose(numeric, act.backward(np.ones_like(z))[0] if name != "relu"
                        else ((z[0] + 1e-3) > 0), rtol=1e-5, atol=1e-7)
    assert nl.activation("sigmoid")(np.zeros((1, 1)))[0, 0] == 0.5


def test_3_3_sigmoid_and_tanh_gradients_vanish_away_from_zero():
    """§3.3: sigma' <= 1/4 and tanh' <= 1, both ~0 for large |z|, so products of them
    through many layers shrink; ReLU' is exactly 1 wherever a unit is active."""
    z = np.linspace(-20, 20, 4001)[None]
    derivative = {name: nl.activation(name) for name in ("sigmoid", "tanh", "relu")}
    for act in derivative.values():
        act(z)
    sig, tanh, relu = (act.backward(np.ones_like(z))[0] for act in derivative.values())
    assert sig.max() == pytest.approx(0.25) and tanh.max() == pytest.approx(1.0)
    far = np.abs(z[0]) > 10
    assert sig[far].max() < 5e-5 and tanh[far].max() < 1e-8
    assert np.all(relu[z[0] > 0] == 1)


def test_3_4_positive_inputs_give_every_incoming_weight_gradient_one_sign():
    """§3.4: sigmoid outputs are all positive, so for one sample dW_ij = a_i dz_j has the
    sign of dz_j for every i: a unit's incoming weights all move the same way (the zig-zag
    that zero-centred tanh outputs avoid)."""
    x = np.array([[0.3, -1.2, 0.8]])
    for act, one_sign in (("sigmoid", True), ("tanh", False)):
        net = nl.mlp([3, 6, 4, 1], activation=act, rng=5, dtype=F64)
        e = nl.explain(net, x, [[1.0]], "mse")
        signs = np.sign(e.layers[1].dW)
        same = all(len(set(signs[:, j])) == 1 for j in range(signs.shape[1]))
        assert same == one_sign


def test_3_5_softmax_derivative_is_s_i_times_delta_ij_minus_s_j():
    """§3.5: d softmax(z)_i / d z_j = s_i (delta_ij - s_j)."""
    z = np.array([0.5, -1.0, 2.0, 0.0])
    softmax = nl.activation("softmax")
    s = softmax(z[None])[0]
    J = nl.jacobian(lambda v: softmax(v[None])[0], z)
    for i in range(4):
        for j in range(4):
            assert J[i, j] == pytest.approx(s[i] * ((i == j) - s[j]), abs=1e-9)


def test_3_6_softmax_jacobian_is_diag_s_minus_s_sT():
    """§3.6: J_softmax(z) = diag(s) - s s^T (K x K); backward applies J^T to dout."""
    z = np.array([0.5, -1.0, 2.0, 0.0], dtype=F64)
    softmax = nl.activation("softmax")
    s = softmax.forward(z[None])[0]
    expected = np.diag(s) - np.outer(s, s)
    assert_allclose(nl.jacobian(lambda v: softmax.forward(v[None])[0], z), expected, atol=1e-9)
    g = np.random.default_rng(0).standard_normal(4)
    softmax.forward(z[None])
    assert_allclose(softmax.backward(g[None])[0], expected.T @ g, rtol=1e-12, atol=1e-15)
