"""Note 004 (quizzes 06 and 07): parameter counts, ReLU backprop with numbers, the
fill-in-the-blank path sums and the True/False statements, all through `nl.explain`."""

import numpy as np
import pytest
from course_helpers import F64, linear, row, three_layer_relu
from numpy.testing import assert_allclose

import nnlite as nl


@pytest.mark.parametrize("sizes, count", [([3, 4, 2, 1], 29), ([2, 5, 3, 1], 37)])
def test_gradient_dimensionality(sizes, count):
    """004 quiz-06 and quiz-07 (each asked twice): with biases, 3-4-2-1 has 16 + 10 + 3 = 29
    parameters and 2-5-3-1 has 15 + 18 + 4 = 37, the length of the gradient vector."""
    model = nl.mlp(sizes, dtype=F64, rng=0)
    assert model.num_parameters() == count
    e = nl.explain(model, np.ones((1, sizes[0])))
    assert sum(layer.dW.size + layer.db.size for layer in e.layers) == count


@pytest.mark.parametrize("W2, dz2, z1, da1, dz1, dW11, dW21", [
    ([[5, 1], [1, 2]], (-3, 1), (3, -2), (-14, -1), (-14, 0), -9, 0),
    ([[3, -1], [-1, 2]], (-1, 2), (2, 4), (-5, 5), (-5, 5), -2, -4),
])
def test_relu_backprop_quiz(W2, dz2, z1, da1, dz1, dW11, dW21):
    """004 quiz-07, both versions: dH/da^(1)_i = sum_k W^(2)_ik dH/dz^(2)_k,
    dH/dz^(1) = dH/da^(1) g'(z^(1)), dH/dW^(2)_i1 = a^(1)_i dH/dz^(2)_1. The quiz gives
    z^(1) and dH/dz^(2); a network with W^(1) = I, x = z^(1) and output weights
    W^(3) = dH/dz^(2) (every z^(2) > 0, so g' = 1 there) reproduces both."""
    net = three_layer_relu(np.eye(2), W2, np.array(dz2, dtype=F64)[:, None])
    e = nl.explain(net, row(*z1))
    assert_allclose(e.layers[0].z, row(*z1))
    assert_allclose(e.layers[1].dz, row(*dz2))
    assert_allclose(e.layers[0].da, row(*da1))
    assert_allclose(e.layers[0].dz, row(*dz1))
    assert e.layers[1].dW[0, 0] == dW11 and e.layers[1].dW[1, 0] == dW21
    W, d = np.array(W2), dz2
    assert (f"∂H/∂a^(1)_1 = W^(2)_11 ∂H/∂z^(2)_1 + W^(2)_12 ∂H/∂z^(2)_2 = "
            f"{W[0, 0]}·{d[0] if d[0] >= 0 else f'({d[0]})'} + "
            f"{W[0, 1] if W[0, 1] >= 0 else f'({W[0, 1]})'}·{d[1]} = {da1[0]}") in str(e)


def all_active_2_2_2_1():
    """A 2-2-2-1 ReLU network, no biases, every unit active at x = (1, 2)."""
    return three_layer_relu([[1.0, 0.5], [0.5, 1.0]], [[0.7, 0.2], [0.4, 1.1]],
                            [[1.5], [-0.8]]), row(1.0, 2.0)


def test_fill_in_the_blank_weight_path():
    """004: dH/dW^(1)_12 = x_1 g'(z^(1)_2) [W^(2)_21 g'(z^(2)_1) W^(3)_11 +
    W^(2)_22 g'(z^(2)_2) W^(3)_21]; the blank is W^(2)_22 g'(z^(2)_2) W^(3)_21."""
    net, x = all_active_2_2_2_1()
    e = nl.explain(net, x)
    paths = e.paths(1, "W^(1)_12")
    assert [p.symbols for p in paths] == [
        ("x_1", "g'(z^(1)_2)", "W^(2)_21", "g'(z^(2)_1)", "W^(3)_11"),
        ("x_1", "g'(z^(1)_2)", "W^(2)_22", "g'(z^(2)_2)", "W^(3)_21")]
    assert paths[1].symbols[2:] == ("W^(2)_22", "g'(z^(2)_2)", "W^(3)_21")  # the blank
    assert paths.total == pytest.approx(e.layers[0].dW[0, 1], rel=1e-14)
    assert paths[1].value == pytest.approx(1.0 * 1 * 1.1 * 1 * -0.8, rel=1e-14)


def test_fill_in_the_blank_input_path():
    """004: in a 2-2-1 ReLU network, dH/dx_1 = W^(1)_11 g'(z^(1)_1) W^(2)_11 +
    W^(1)_12 g'(z^(1)_2) W^(2)_21; the blank is the second term."""
    net = nl.Sequential(linear([[2.0, -1.0], [1.0, 3.0]]), nl.activation("relu"),
                        linear([[0.5], [4.0]]))
    e = nl.explain(net, row(1.0, 1.0))
    paths = e.paths(1, "x_1")
    assert [p.symbols for p in paths] == [("W^(1)_11", "g'(z^(1)_1)", "W^(2)_11"),
                                          ("W^(1)_12", "g'(z^(1)_2)", "W^(2)_21")]
    assert [p.value for p in paths] == [1.0, -4.0]
    assert paths.total == e.dx[0, 0] == -3.0


def saturated(output_activation):
    x = row(0.3, -1.1, 2.0)
    net = nl.mlp([3, 5, 4, 1], activation="tanh", output_activation=output_activation,
                 rng=7, dtype=F64)
    net[-2].bias.data += 20.0 - net[:-1].forward(x)[0]  # output pre-activation z = 20
    return nl.explain(net, x)


def test_true_sigmoid_output_near_one_makes_every_gradient_near_zero():
    """004 T/F (True): a sigmoid output with H ~ 1 has sigma'(z_out) ~ 0 in every
    dH/dW^(l)_ij. The same network with a ReLU output (g' = 1 there) does not (False)."""
    sig, relu = saturated("sigmoid"), saturated("relu")
    assert sig.loss == pytest.approx(1.0, abs=1e-8) and relu.loss == pytest.approx(20.0)
    scale = max(np.abs(layer.dW).max() for layer in relu.layers)
    assert scale > 0.1
    sigma_prime = sig.layers[-1].g_prime[0, 0]
    assert sigma_prime < 1e-8
    for a, b in zip(sig.layers, relu.layers):
        assert np.abs(a.dW).max() < 1e-8 * scale
        assert_allclose(a.dW, sigma_prime * b.dW, rtol=1e-6, atol=1e-300)


def test_square_loss_point_with_H_equal_y_contributes_nothing():
    """004: the contribution of (x1, y1) with H(x1) = y1 = 1 to the square-loss gradient
    carries the factor H - y = 0, so it is 0."""
    net = nl.mlp([2, 4, 1], activation="tanh", rng=3, dtype=F64)
    X = np.array([[0.5, -1.0], [1.5, 2.0]])
    net[-1].bias.data += 1.0 - net.forward(X[:1])[0]  # H(x1) = 1
    Y = np.array([[1.0], [-0.7]])
    alone = nl.explain(net, X[:1], Y[:1], nl.MSELoss(reduction="sum"))
    assert alone.layers[-1].da[0, 0] == pytest.approx(0.0, abs=1e-12)
    assert all(np.all(np.abs(layer.dW) < 1e-12) for layer in alone.layers)
    both = nl.explain(net, X, Y, nl.MSELoss(reduction="sum"))
    other = nl.explain(net, X[1:], Y[1:], nl.MSELoss(reduction="sum"))
    for a, b in zip(both.layers, other.layers):
        assert_allclose(a.dW, b.dW, rtol=1e-12, atol=1e-12)


def test_true_false_statements_on_a_2_2_2_1_network():
    """004 T/F on H = z^(3)_1 (linear output, no biases, activation g):
    True:  dH/dz^(2)_1 = W^(3)_11 g'(z^(2)_1);
    True:  dH/dW^(2)_21 = W^(3)_11 g'(z^(2)_1) a^(1)_2;
    False: dH/da^(1)_2 = W^(3)_11 g'(z^(2)_1) W^(2)_21 -- it has a second term,
           W^(3)_21 g'(z^(2)_2) W^(2)_22, through unit 2 of layer 2."""
    net = nl.mlp([2, 2, 2, 1], activation="tanh", bias_init="zeros", rng=11, dtype=F64)
    e = nl.explain(net, row(0.4, -0.9))
    l1, l2, l3 = e.layers
    gp = l2.g_prime[0]
    assert l2.dz[0, 0] == pytest.approx(l3.W[0, 0] * gp[0], rel=1e-14)
    assert l2.dW[1, 0] == pytest.approx(l3.W[0, 0] * gp[0] * l1.a[0, 1], rel=1e-14)
    one_term = l3.W[0, 0] * gp[0] * l2.W[1, 0]
    second = l3.W[1, 0] * gp[1] * l2.W[1, 1]
    assert abs(second) > 1e-3 and l1.da[0, 1] != pytest.approx(one_term, rel=1e-3)
    assert l1.da[0, 1] == pytest.approx(one_term + second, rel=1e-14)
    assert "∂H/∂a^(1)_2 = W^(2)_21 ∂H/∂z^(2)_1 + W^(2)_22 ∂H/∂z^(2)_2" in str(e)


def test_dead_unit_does_not_make_every_gradient_zero():
    """004 T/F (False): x = (-2, 3), z^(1) = (-13, 9), z^(2) = (0, 9), H = -18: not every
    dH/dW is 0; the output weight from a^(2)_2 gets dH/dz^(3) a^(2)_2 = 9. The note calls
    it W^(3)_12; by its own convention (unit i of layer 2 to unit j of layer 3) it is
    W^(3)_21. Weights chosen to give the stated values (the rest is free):
    W1_11 (-2) + W1_21 3 = -13, W1_12 (-2) + W1_22 3 = 9; with a^(1)_1 = 0, z^(2) = (0, 9)
    forces W2_21 = 0, W2_22 = 1; H = 9 W3_21 = -18 forces W3_21 = -2."""
    e = nl.explain(three_layer_relu([[5, 0], [-1, 3]], [[4, -1], [0, 1]], [[7], [-2]]),
                   row(-2, 3))
    assert_allclose(e.layers[0].z, row(-13, 9))
    assert_allclose(e.layers[0].a, row(0, 9))
    assert_allclose(e.layers[1].z, row(0, 9))
    assert e.loss == -18
    assert e.layers[2].dW[1, 0] == 9
    assert "∂H/∂W^(3)_21 = a^(2)_2 · ∂H/∂z^(3)_1 = 9·1 = 9" in str(e)
    # g'(0) = 0 (the note's convention): nothing flows through z^(2)_1 = 0
    assert e.layers[2].dW[0, 0] == 0 and np.all(e.layers[1].dW[:, 0] == 0)


@pytest.mark.parametrize("W1", [[[2, 1], [3, 1]], [[5, -2], [2, 2]], [[-1, 4], [4, 0]]])
def test_three_layer_relu_example(W1):
    """004 (last quiz): x = (1, 3), z^(1) = (11, 4), z^(2) = (22, 15), H = 36, W^(3) = (3, -2);
    dH/dz^(2)_1 = 3, dH/dz^(2)_2 = -2, dH/da^(1)_1 = 3·2 + (-2)·1 = 4, dH/dz^(1)_1 = 4,
    dH/dW^(1)_11 = x_1 · 4 = 4. W^(2) from the stated values: W2_11 = 2, W2_12 = 1 (used in
    the answer), 2·11 + W2_21·4 = 22 gives W2_21 = 0 and 11 + W2_22·4 = 15 gives W2_22 = 1.
    W^(1) is not determined (W1_11 + 3 W1_21 = 11, W1_12 + 3 W1_22 = 4): several work."""
    e = nl.explain(three_layer_relu(W1, [[2, 1], [0, 1]], [[3], [-2]]), row(1, 3))
    assert_allclose(e.layers[0].z, row(11, 4))
    assert_allclose(e.layers[1].z, row(22, 15))
    assert e.loss == 36
    assert_allclose(e.layers[1].dz, row(3, -2))
    assert_allclose(e.layers[0].da, row(4, -2))
    assert_allclose(e.layers[0].dz, row(4, -2))
    assert e.layers[0].dW[0, 0] == 4
    assert "∂H/∂a^(1)_1 = W^(2)_11 ∂H/∂z^(2)_1 + W^(2)_12 ∂H/∂z^(2)_2 = 2·3 + 1·(-2) = 4" \
        in str(e)
