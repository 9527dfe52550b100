"""The worked examples of the course notes nnlite grew from (notes 000-004: computation
graphs, two-layer backprop, ReLU backprop quizzes), checked through nnlite.

Each test reproduces one example with the notes' own numbers. Layout reminder: an
nnlite Linear computes y = x @ W + b with W of shape (in, out), so W[i, j] connects
unit i of layer l-1 to unit j of layer l (the quizzes' W_ij); a math-layout matrix A
in z = A x is stored as weight = A.T. Everything is float64 so numbers compare exactly.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite import graph

F64 = np.float64
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=F64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=F64)


def linear(weight, bias=None):
    """A float64 nn.Linear with the given (in, out) weight and optional bias."""
    weight = np.asarray(weight, dtype=F64)
    layer = nl.Linear(*weight.shape, bias=bias is not None, dtype=F64)
    layer.weight.data[...] = weight
    if bias is not None:
        layer.bias.data[...] = bias
    return layer


def row(*values):
    """A batch of one: shape (1, len(values)), float64."""
    return np.array([values], dtype=F64)


def train_xor(model, steps, lr):
    """Full-batch SGD on XOR with BCE-on-logits; returns the final accuracy."""
    loss, opt = nl.BCEWithLogitsLoss(), nl.optimizer("sgd", model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss(model.forward(XOR_X), XOR_Y)
        model.backward(loss.backward())
        opt.step()
    return float(np.mean((model.forward(XOR_X) > 0) == XOR_Y))


def test_parameter_counts():
    """Notes 000 3(b): d = [8, 10, 10, 3] has 8*10 + 10*10 + 10*3 = 210 weights (233 with
    biases); notes 004: [3, 4, 2, 1] has 29 parameters and [2, 5, 3, 1] has 37."""
    model = nl.mlp([8, 10, 10, 3], dtype=F64)
    weights = sum(p.data.size for name, p in model.named_parameters() if name.endswith("weight"))
    assert weights == 210
    assert model.num_parameters() == 233
    assert nl.mlp([3, 4, 2, 1]).num_parameters() == 29
    assert nl.mlp([2, 5, 3, 1]).num_parameters() == 37


def test_handset_relu_network_computes_xor():
    """Notes 002 §4.2: W1 = [[1, 1], [1, 1]], b1 = (0, -1), W2 = (1, -2), b2 = 0 with a
    ReLU hidden layer outputs 0, 1, 1, 0 on (0,0), (0,1), (1,0), (1,1)."""
    net = nl.Sequential(linear([[1, 1], [1, 1]], [0, -1]), nl.activation("relu"),
                        linear([[1], [-2]], [0]))
    assert_allclose(net.forward(XOR_X), XOR_Y, atol=0)


def test_sigmoid_and_tanh_derivatives():
    """Notes 002 §3.2: sigma'(z) = sigma(z)(1 - sigma(z)) and tanh'(z) = 1 - tanh(z)^2."""
    z = np.array([[-6.0, -2.0, -0.5, 0.0, 0.3, 1.0, 4.0]])
    sig, tanh = nl.activation("sigmoid"), nl.activation("tanh")
    s = 1.0 / (1.0 + np.exp(-z))
    assert_allclose(sig.forward(z), s, rtol=1e-12)
    assert_allclose(sig.backward(np.ones_like(z)), s * (1 - s), rtol=1e-12)
    assert_allclose(tanh.forward(z), np.tanh(z), rtol=1e-12)
    assert_allclose(tanh.backward(np.ones_like(z)), 1 - np.tanh(z) ** 2, rtol=1e-12)
    assert sig.forward(row(0.0)) == 0.5 and sig.backward(row(1.0)) == 0.25


def test_softmax_jacobian_is_diag_s_minus_s_sT():
    """Notes 002 §3.6: J_softmax(z) = diag(s) - s s^T; backward applies J^T to dout."""
    z = np.array([0.5, -1.0, 2.0, 0.0], dtype=F64)
    softmax = nl.activation("softmax")
    s = softmax.forward(z[None])[0]
    expected = np.diag(s) - np.outer(s, s)
    assert_allclose(nl.jacobian(lambda v: softmax.forward(v[None])[0], z), expected, atol=1e-9)
    g = np.random.default_rng(0).standard_normal(4)
    softmax.forward(z[None])
    assert_allclose(softmax.backward(g[None])[0], expected.T @ g, rtol=1e-12, atol=1e-15)


def test_ln_exp_graph_forward_and_backward():
    """Notes 002 §5: at (x, y, z) = (1, 3, 2): h1 = 0, h2 = e^3 ~ 20.0855, h3 = f ~ 40.171;
    local gradients dh3/dh2 = z = 2, dh3/dz = h2; df/dh2 = 2, df/dx = 1,
    df/dy = z e^y ~ 40.171, df/dz = e^y ~ 20.0855."""
    x, y, z = graph.inputs(x=1.0, y=3.0, z=2.0)
    work = graph.backward(graph.add(graph.ln(x), graph.mul(graph.exp(y), z)))
    assert_allclose([work[h].value for h in ("h1", "h2", "h3", "f")],
                    [0, 20.0855, 40.171, 40.171], rtol=1e-5)
    assert work["h3"].local == (2.0, math.exp(3)) and work["h1"].local == (1.0,)
    assert [work[h].grad for h in ("h1", "h2", "h3")] == [1.0, 2.0, 1.0]
    grads = [work[v].grad for v in ("x", "y", "z")]
    assert_allclose(grads, [1.0, 40.171, 20.0855], rtol=1e-5)
    assert_allclose(grads, [1.0, 2 * math.exp(3), math.exp(3)], rtol=1e-14)

    def f(v):
        return np.array(math.log(v[0]) + math.exp(v[1]) * v[2])

    assert_allclose(nl.jacobian(f, [1.0, 3.0, 2.0]), grads, rtol=1e-8)


def test_chain_rule_two_paths():
    """Notes 001 2(a): l = h(f(x), g(x)) with f = x^2, g = x, h = x1^2 + x2^2, so
    l = (x^2)^2 + x^2 and dl/dx = 4x^3 + 2x, the sum over x's two paths (2(b))."""
    for at in (-2.0, -0.5, 0.0, 1.0, 3.0):
        (x,) = graph.inputs(x=at)
        work = graph.backward(graph.add(graph.square(graph.square(x)), graph.square(x)))
        assert work.output.value == at**4 + at**2
        assert_allclose(work["x"].grad, 4 * at**3 + 2 * at, rtol=1e-14)
        numeric = nl.jacobian(lambda u: np.array(u[0] ** 4 + u[0] ** 2), [at])
        assert_allclose(numeric, [4 * at**3 + 2 * at], rtol=1e-7, atol=1e-8)


def test_two_layer_sigmoid_network_closed_forms():
    """Notes 003 (a), (b): L = (y - b^T sigma(A x))^2 gives dL/db = -2 (y - z3) z2 and
    dL/dA = -2 (y - z3) (b * sigma'(z1)) x^T, with z1 = A x, z2 = sigma(z1), z3 = b^T z2."""
    A = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1.0, 1.0, -1.0]])  # h x m
    b, x, y = np.array([1.0, -2.0, 0.5, 3.0]), np.array([0.4, -1.2, 0.9]), 2.5
    net = nl.Sequential(linear(A.T), nl.activation("sigmoid"), linear(b[:, None]))
    loss = nl.MSELoss(reduction="sum")
    L = loss(net.forward(x[None]), np.array([[y]]))
    net.backward(loss.backward())
    z1 = A @ x
    z2 = 1 / (1 + np.exp(-z1))
    z3 = b @ z2
    assert_allclose(L, (y - z3) ** 2, rtol=1e-14)
    assert_allclose(net[2].weight.grad[:, 0], -2 * (y - z3) * z2, rtol=1e-12)
    dA = -2 * (y - z3) * np.outer(b * z2 * (1 - z2), x)
    assert_allclose(net[0].weight.grad.T, dA, rtol=1e-12)  # nnlite's weight is A.T


@pytest.mark.parametrize("W2, dz2, z1, da1, dz1, dW11, dW21", [
    ([[5, 1], [1, 2]], (-3, 1), (3, -2), (-14, -1), (-14, 0), -9, 0),
    ([[3, -1], [-1, 2]], (-1, 2), (2, 4), (-5, 5), (-5, 5), -2, -4),
])
def test_relu_backprop_quiz(W2, dz2, z1, da1, dz1, dW11, dW21):
    """Notes 004 (quiz-07, both versions): dH/da1 = W2 dH/dz2, dH/dz1 = dH/da1 * g'(z1),
    dH/dW2_i1 = a_i^(1) dH/dz1^(2)."""
    relu, layer = nl.activation("relu"), linear(W2)
    layer.forward(relu.forward(row(*z1)))
    got_da1 = layer.backward(row(*dz2))
    assert_allclose(got_da1, row(*da1))
    assert_allclose(relu.backward(got_da1), row(*dz1))
    assert layer.weight.grad[0, 0] == dW11 and layer.weight.grad[1, 0] == dW21


def three_layer_relu(W1, W2, W3):
    """x -> Linear(W1) -> ReLU -> Linear(W2) -> ReLU -> Linear(W3), no biases."""
    return nl.Sequential(linear(W1), nl.activation("relu"), linear(W2), nl.activation("relu"),
                         linear(W3))


def backward_by_layer(net, dout):
    """Run net.backward layer by layer; returns the gradient w.r.t. each layer's input."""
    upstream = [dout]
    for layer in reversed(list(net)):
        upstream.insert(0, layer.backward(upstream[0]))
    return upstream  # upstream[k] = dH / d(input of net[k]); upstream[-1] = dout


@pytest.mark.parametrize("W1", [[[2, 1], [3, 1]], [[5, -2], [2, 2]], [[-1, 4], [4, 0]]])
def test_three_layer_relu_example(W1):
    """Notes 004 (last quiz): x = (1, 3), z^(1) = (11, 4), z^(2) = (22, 15), H = 36, W3 = (3, -2);
    dH/dz1^(2) = 3, dH/dz2^(2) = -2, dH/da1^(1) = 4, dH/dz1^(1) = 4.

    Derivation: the answer uses W2_11 = 2, W2_12 = 1; z1^(2) = 2*11 + W2_21*4 = 22 gives
    W2_21 = 0 and z2^(2) = 1*11 + W2_22*4 = 15 gives W2_22 = 1. W1 is NOT determined: only
    W1_11 + 3 W1_21 = 11 and W1_12 + 3 W1_22 = 4, so the test runs several such W1 (all give
    the same values and the x-independent gradients; dH/dW1_11 = dH/dz1^(1) x_1 = 4)."""
    net = three_layer_relu(W1, [[2, 1], [0, 1]], [[3], [-2]])
    x = row(1, 3)
    assert_allclose(net[0].forward(x), row(11, 4))
    H = net.forward(x)
    assert_allclose(net[2].forward(net[1].forward(net[0].forward(x))), row(22, 15))
    assert_allclose(H, [[36]])
    dz1, da1, dz2, da2, dH = backward_by_layer(net, np.ones_like(H))[1:]
    assert_allclose(dz2, row(3, -2))
    assert_allclose(da1, row(4, -2))
    assert_allclose(dz1, row(4, -2))
    assert net[0].weight.grad[0, 0] == 4


def test_relu_with_a_dead_unit_still_has_gradients():
    """Notes 004: x = (-2, 3), z^(1) = (-13, 9), z^(2) = (0, 9), H = -18: not every dH/dW is
    0; the output weight from a2^(2) (the notes' W^(3)_12; weight[1, 0] here) gets
    dH/dz^(3) * a2^(2) = 9. Weights chosen to reproduce the stated values: W1_11*(-2) +
    W1_21*3 = -13, W1_12*(-2) + W1_22*3 = 9; a1^(1) = 0 so z^(2) = 9 (W2_21, W2_22) forces
    W2_21 = 0, W2_22 = 1; H = 9 W3_21 = -18 forces W3_21 = -2. The rest is free."""
    net = three_layer_relu([[5, 0], [-1, 3]], [[4, -1], [0, 1]], [[7], [-2]])
    x = row(-2, 3)
    z1 = net[0].forward(x)
    z2 = net[2].forward(net[1].forward(z1))
    assert_allclose(z1, row(-13, 9))
    assert_allclose(z2, row(0, 9))
    H = net.forward(x)
    assert_allclose(H, [[-18]])
    net.backward(np.ones_like(H))
    assert net[4].weight.grad[1, 0] == 9
    assert any(np.any(p.grad != 0) for p in net.parameters())
    # g'(0) = 0 (the notes' convention): nothing flows through z1^(2) = 0
    assert net[4].weight.grad[0, 0] == 0 and np.all(net[2].weight.grad[:, 0] == 0)


def test_saturated_sigmoid_output_kills_all_gradients():
    """Notes 004: with a sigmoid output and H ~ 1 every dH/dW_ij^(l) ~ 0, since each carries
    sigma'(z_out) ~ 0; with a ReLU output at the same point they are not (g' = 1)."""
    x = row(0.3, -1.1, 2.0)
    out = {}
    for act in ("sigmoid", "relu"):
        net = nl.mlp([3, 5, 4, 1], activation="tanh", output_activation=act, rng=7, dtype=F64)
        net[-2].bias.data += 20.0 - net[:-1].forward(x)[0]  # output preactivation = 20
        out[act] = (net.forward(x)[0, 0], net)
        net.backward(np.ones((1, 1)))
    (h_sig, sig), (h_relu, relu) = out["sigmoid"], out["relu"]
    assert_allclose(h_sig, 1.0, atol=1e-8)
    assert_allclose(h_relu, 20.0, rtol=1e-12)
    scale = max(np.abs(p.grad).max() for p in relu.parameters())
    assert scale > 0.1
    for p_sig, p_relu in zip(sig.parameters(), relu.parameters()):
        assert np.abs(p_sig.grad).max() < 1e-8 * scale
        assert_allclose(p_sig.grad, h_sig * (1 - h_sig) * p_relu.grad, rtol=1e-6, atol=1e-300)


def test_square_loss_point_with_H_equal_y_contributes_nothing():
    """Notes 004: the square-loss gradient contribution of (x1, y1) with H(x1) = y1 = 1 is 0."""
    net = nl.mlp([2, 4, 1], activation="tanh", rng=3, dtype=F64)
    X = np.array([[0.5, -1.0], [1.5, 2.0]])
    net[-1].bias.data += 1.0 - net.forward(X[:1])[0]  # H(x1) = 1
    Y = np.array([[1.0], [-0.7]])
    loss = nl.MSELoss(reduction="sum")
    loss(net.forward(X), Y)
    dpred = loss.backward()
    assert dpred[0, 0] == pytest.approx(0.0, abs=1e-12)
    net.backward(dpred)
    both = [p.grad.copy() for p in net.parameters()]
    net.zero_grad()
    loss(net.forward(X[1:]), Y[1:])
    net.backward(loss.backward())
    for g_both, p in zip(both, net.parameters()):
        assert_allclose(g_both, p.grad, rtol=1e-12, atol=1e-12)


def assert_hidden_units_identical(model):
    """Columns of W1, entries of b1 and rows of W2 (one per hidden unit) all equal."""
    for per_unit in (model[0].weight.data.T, model[0].bias.data, model[2].weight.data):
        same = np.broadcast_to(per_unit[0], per_unit.shape)
        assert_allclose(per_unit, same, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("weight_init", ["zeros", nl.initializer("constant", value=0.5)],
                         ids=["zeros", "constant0.5"])
def test_symmetric_init_keeps_hidden_units_identical(activation, weight_init):
    """Notes 002 §1.1 (answer A), §4.3-4.4, notes 000 3(a): zero or constant initial weights
    make every hidden unit compute the same thing forever, so gradient descent cannot
    learn XOR (the net acts like one hidden unit, a monotone function of x1 + x2)."""
    model = nl.mlp([2, 8, 1], activation=activation, weight_init=weight_init, rng=0, dtype=F64)
    accuracy = train_xor(model, steps=500, lr=0.5)
    assert_hidden_units_identical(model)
    assert accuracy < 1.0
    if weight_init != "zeros":  # the units did train, just all in lockstep
        assert not np.allclose(model[0].weight.data, 0.5)


def test_relu_zero_init_stays_zero():
    """Notes 002 §4.3: ReLU net with all-zero weights and biases: W1, b1, W2 never move
    (only the output bias can), so it never learns XOR."""
    model = nl.mlp([2, 8, 1], activation="relu", weight_init="zeros", rng=0, dtype=F64)
    accuracy = train_xor(model, steps=300, lr=0.5)
    for p in (model[0].weight, model[0].bias, model[2].weight):
        assert np.all(p.data == 0)
    assert accuracy < 1.0


@pytest.mark.parametrize("activation, weight_init",
                         [("tanh", "xavier_normal"), ("relu", "he_normal")])
def test_random_init_learns_xor(activation, weight_init):
    """Notes 002 §1.1 contrast: random initialisation breaks the symmetry and learns XOR."""
    model = nl.mlp([2, 8, 1], activation=activation, weight_init=weight_init, rng=0, dtype=F64)
    assert train_xor(model, steps=2000, lr=0.5) == 1.0
    W = model[0].weight.data
    assert not np.allclose(W, W[:, :1])


def test_linear_two_layer_closed_forms_and_sgd_step():
    """Notes 000 (e)/(f) with Phi = identity: r = W2 (W1 x + b) - y,
    dl/dW2 = r (W1 x + b)^T, dl/db = W2^T r, dl/dW1 = W2^T r x^T, dl/dx = W1^T W2^T r;
    one SGD step: W1 <- W1 - eps W2^T r x^T, W2 <- W2 - eps r (W1 x + b)^T."""
    rng = np.random.default_rng(42)
    d, eps = 3, 0.05
    W1, W2, b, x, y = (rng.standard_normal(s) for s in ((d, d), (d, d), d, d, d))
    net = nl.Sequential(linear(W1.T, b), nl.activation("identity"), linear(W2.T))
    loss = nl.MSELoss(reduction="sum", half=True)
    value = loss(net.forward(x[None]), y[None])
    dx = net.backward(loss.backward())[0]
    x1 = W1 @ x + b
    r = W2 @ x1 - y
    assert_allclose(value, 0.5 * r @ r, rtol=1e-12)
    assert_allclose(dx, W1.T @ W2.T @ r, rtol=1e-12)
    assert_allclose(net[0].bias.grad, W2.T @ r, rtol=1e-12)
    assert_allclose(net[0].weight.grad.T, np.outer(W2.T @ r, x), rtol=1e-12)  # nnlite: W1.T
    assert_allclose(net[2].weight.grad.T, np.outer(r, x1), rtol=1e-12)
    nl.optimizer("sgd", net.parameters(), lr=eps).step()
    assert_allclose(net[0].weight.data.T, W1 - eps * W2.T @ np.outer(r, x), rtol=1e-12)
    assert_allclose(net[2].weight.data.T, W2 - eps * np.outer(W2 @ (W1 @ x + b) - y, W1 @ x + b),
                    rtol=1e-12)
    assert_allclose(net[0].bias.data, b - eps * W2.T @ r, rtol=1e-12)
