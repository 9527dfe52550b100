"""Note 002 §4, "Simulating XOR": one ReLU layer cannot, the note's two-layer weights do,
and zero or constant initial weights keep gradient descent from finding any."""

import numpy as np
import pytest
from course_helpers import F64, XOR_X, XOR_Y, linear, train_xor
from numpy.testing import assert_allclose

import nnlite as nl


def test_4_1_one_relu_layer_cannot_represent_xor():
    """§4.1: y = ReLU(w1 x1 + w2 x2 + b) has one linear boundary. Since
    z(0,1) + z(1,0) = z(0,0) + z(1,1) for every w, b, z cannot be above a threshold on both
    positives and below it on both negatives; trained, the layer stays at <= 3/4."""
    rng = np.random.default_rng(0)
    layer = nl.Linear(2, 1, dtype=F64, rng=0)
    for _ in range(200):
        layer.weight.data[...] = rng.normal(0, 3, (2, 1))
        layer.bias.data[...] = rng.normal(0, 3, 1)
        z = layer(XOR_X)[:, 0]
        assert z[1] + z[2] == pytest.approx(z[0] + z[3], abs=1e-12)
    for seed in range(5):
        single = nl.Sequential(nl.Linear(2, 1, dtype=F64, rng=seed))
        assert train_xor(single, steps=1000, lr=0.5) <= 0.75


def test_4_2_the_notes_weights_compute_xor():
    """§4.2: W1 = [[1, 1], [1, 1]], b1 = (0, -1), W2 = (1, -2), b2 = 0 with a ReLU hidden
    layer: h = (x1 + x2, max(0, x1 + x2 - 1)), y = h1 - 2 h2 = 0, 1, 1, 0."""
    net = nl.Sequential(linear([[1, 1], [1, 1]], [0, -1]), nl.activation("relu"),
                        linear([[1], [-2]], [0]))
    e = nl.explain(net, XOR_X)
    assert_allclose(e.layers[0].a, [[0, 0], [1, 0], [1, 0], [2, 1]], atol=0)
    assert_allclose(e.output, XOR_Y, atol=0)


def test_4_3_relu_zero_init_stays_zero():
    """§4.3: all weights and biases 0: h = 0 for every x, so dL/dW2 = dL/dz2 h^T = 0 and
    dL/dz1 = (W2^T dL/dz2) ⊙ ReLU'(z1) = 0; only the output bias b2 can move."""
    model = nl.mlp([2, 8, 1], activation="relu", weight_init="zeros", rng=0, dtype=F64)
    e = nl.explain(model, XOR_X, XOR_Y, "bce_with_logits")
    assert np.all(e.layers[0].a == 0) and np.all(e.layers[1].dW == 0)
    assert np.all(e.layers[0].dz == 0) and np.all(e.layers[0].dW == 0)
    assert e.layers[1].db[0] == 0  # on balanced XOR even b2's gradient cancels...
    assert nl.explain(model, XOR_X[1:], XOR_Y[1:], "bce_with_logits").layers[1].db[0] != 0
    assert train_xor(model, steps=300, lr=0.5) < 1.0
    for p in (model[0].weight, model[0].bias, model[2].weight):
        assert np.all(p.data == 0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_4_4_any_constant_init_keeps_units_identical(activation):
    """§4.4: equal initial weights give every hidden unit the same value and the same
    gradient, for any activation: they stay equal, and XOR is not learnt."""
    model = nl.mlp([2, 6, 1], activation=activation,
                   weight_init=nl.initializer("constant", value=0.3), rng=0, dtype=F64)
    e = nl.explain(model, XOR_X, XOR_Y, "bce_with_logits")
    dW = e.layers[0].dW
    assert_allclose(dW, np.broadcast_to(dW[:, :1], dW.shape), rtol=1e-12, atol=1e-15)
    assert train_xor(model, steps=500, lr=0.5) < 1.0
    W = model[0].weight.data
    assert_allclose(W, np.broadcast_to(W[:, :1], W.shape), rtol=1e-12)


@pytest.mark.parametrize("activation, weight_init",
                         [("tanh", "xavier_normal"), ("relu", "he_normal")])
def test_random_init_learns_xor(activation, weight_init):
    """§4 contrast: random initialisation breaks the symmetry and learns XOR."""
    model = nl.mlp([2, 8, 1], activation=activation, weight_init=weight_init, rng=0, dtype=F64)
    assert train_xor(model, steps=2000, lr=0.5) == 1.0
