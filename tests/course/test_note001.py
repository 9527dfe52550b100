"""Note 001 (introduction to backpropagation): ReLU elbows, the chain rule over two
paths, what a node's gradient means, numerical against analytic derivatives, and
gradient descent with backpropagation as its subroutine."""

import math

import numpy as np
import pytest
from course_helpers import F64, linear
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite import graph


def test_relu_network_is_piecewise_linear_with_elbows_at_minus_b_over_w():
    """001 §1: a 1-H-1 ReLU network is a sum of hinges max(0, w_j x + b_j), each bending at
    x = -b_j / w_j; between elbows it is linear (training moves the elbows: the relu_fit
    experiment draws them)."""
    net = nl.mlp([1, 6, 1], activation="relu", bias_init=nl.initializer("uniform", a=-1.0, b=1.0),
                 rng=3, dtype=F64)
    w, b = net[0].weight.data[0], net[0].bias.data
    elbows = np.sort(-b / w)
    xs = np.linspace(-4, 4, 4001)[:, None]
    slope = np.diff(net(xs)[:, 0]) / np.diff(xs[:, 0])
    bends = xs[1:-1, 0][np.abs(np.diff(slope)) > 1e-9]
    inside = elbows[(elbows > -4) & (elbows < 4)]
    assert len(inside) >= 2
    for bend in bends:
        assert np.min(np.abs(inside - bend)) < 8 / 4000 * 1.01  # every bend is an elbow


def test_chain_rule_two_paths():
    """001 2(a): l = h(f(x), g(x)) with f = x^2, g = x, h = x1^2 + x2^2, so
    l = (x^2)^2 + x^2 and dl/dx = 4x^3 + 2x: 2(b), the sum over x's two paths."""
    for at in (-2.0, -0.5, 0.0, 1.0, 3.0):
        (x,) = graph.inputs(x=at)
        work = graph.backward(graph.add(graph.square(graph.square(x)), graph.square(x)))
        assert work.output.value == at**4 + at**2
        assert_allclose(work["x"].grad, 4 * at**3 + 2 * at, rtol=1e-14)
        numeric = nl.jacobian(lambda u: np.array(u[0] ** 4 + u[0] ** 2), [at])
        assert_allclose(numeric, [4 * at**3 + 2 * at], rtol=1e-7, atol=1e-8)
        assert len(work.consumers[id(x)]) == 2


def test_a_node_gradient_is_the_output_change_per_unit_change_of_the_node():
    """001 2(f): df/dh is how much f moves when node h alone moves: in
    f = ln x + e^y z, nudging h2 = e^y by eps (y, z fixed) moves f by eps df/dh2 = 2 eps."""
    x, y, z = graph.inputs(x=1.0, y=3.0, z=2.0)
    work = graph.backward(graph.add(graph.ln(x), graph.mul(graph.exp(y), z)))
    eps = 1e-3
    moved = math.log(1.0) + (math.exp(3.0) + eps) * 2.0
    assert (moved - work.output.value) / eps == pytest.approx(work["h2"].grad, rel=1e-9)
    assert work["h2"].grad == 2.0


class Counting(nl.Module):
    """Wraps a model and counts its forward passes."""

    def __init__(self, model):
        self.model, self.calls = model, 0

    def forward(self, x):
        self.calls += 1
        return self.model.forward(x)

    def backward(self, dout):
        return self.model.backward(dout)


def test_numerical_gradient_costs_a_forward_pass_per_weight():
    """001 2(e): the analytic gradient of l w.r.t. W^(1) costs one forward and one backward
    pass; a numerical one needs a forward pass per weight (two with central differences),
    so O(d^2) passes for a d x d matrix, each O(d^2): O(d^4) against O(d^2)."""
    d = 6
    model = Counting(nl.mlp([d, d, d], activation="tanh", rng=0, dtype=F64))
    x, y = np.ones((1, d)), np.zeros((1, d))
    loss = nl.MSELoss(reduction="sum", half=True)
    e = nl.explain(model.model, x, y, loss)
    W = model.model[0].weight

    def l_at(values):
        W.data[...] = values
        return np.array(loss(model(x), y))

    original = W.data.copy()
    numeric = nl.jacobian(l_at, original)
    W.data[...] = original
    assert model.calls == 1 + 2 * d * d  # one to check the output, two per weight
    assert_allclose(numeric, e.layers[0].dW, rtol=1e-6)


def test_gradient_descent_uses_backprop_as_its_subroutine():
    """001 2(g): repeat {gradients of f w.r.t. W by backprop, W <- W - eps grad} with x and
    y fixed: f(W, x, y) = (y - sum_i sigma(w_i^T x + b_i))^2 goes to 0."""
    rng = np.random.default_rng(1)
    W, b, x, y = rng.standard_normal((4, 3)), np.zeros(4), rng.standard_normal(3), 3.1
    net = nl.Sequential(linear(W.T, b), nl.activation("sigmoid"), linear(np.ones((4, 1))))
    values = []
    for _ in range(200):
        e = nl.explain(net, x, np.array([[y]]), nl.MSELoss(reduction="sum"))
        values.append(e.loss)
        net[0].weight.data -= 0.5 * e.layers[0].dW
        net[0].bias.data -= 0.5 * e.layers[0].db
    assert values[0] > 1.0 and values[-1] < 1e-3
    assert all(later <= earlier + 1e-12 for earlier, later in zip(values, values[1:]))
