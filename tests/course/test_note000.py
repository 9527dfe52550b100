"""Note 000 (backpropagation practice, model intuition): the multivariate chain rule,
f(W, x, y) = (y - sum_i phi(w_i^T x + b_i))^2 with its gradients and one descent step,
1/2 ||W2 Phi(W1 x + b) - y||^2 with a nonlinear and with the identity Phi, symmetric
initialisation, parameter counts and networks A and B."""

import numpy as np
import pytest
from course_helpers import F64, linear, train_xor
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite import graph
from nnlite.explain import notation

RNG = np.random.default_rng(0)
n, d = 4, 3
W, bias, x, y = RNG.standard_normal((n, d)), RNG.standard_normal(n), RNG.standard_normal(d), 1.7


def test_chain_rule_sums_over_every_g_i():
    """000 2(a): d/dw f(g_1(w), ..., g_n(w)) = sum_i df/dx_i g_i'(w): with
    f = x_1 x_2 + x_3, g_1 = w^2, g_2 = e^w, g_3 = sigma(w)."""
    for at in (-0.7, 0.4, 1.3):
        (w,) = graph.inputs(w=at)
        x1, x2, x3 = graph.square(w), graph.exp(w), graph.sigmoid(w)
        work = graph.backward(x1 * x2 + x3)
        s = 1 / (1 + np.exp(-at))
        by_hand = x2.value * 2 * at + x1.value * np.exp(at) + 1 * s * (1 - s)
        assert work["w"].grad == pytest.approx(by_hand, rel=1e-14)
        assert len(work.consumers[id(w)]) == 3  # three paths out of w


def f_network():
    """f(W, x, y) as a network: x -> Linear(W^T, b) -> sigmoid -> sum (weights 1) -> f."""
    net = nl.Sequential(linear(W.T, bias), nl.activation("sigmoid"), linear(np.ones((n, 1))))
    return net, nl.explain(net, x, np.array([[y]]), nl.MSELoss(reduction="sum"))


def test_f_as_a_computation_graph_has_the_note_value():
    """000 2(b): the graph x, W, b -> w_i^T x + b_i -> phi -> sum -> y - . -> square."""
    _, e = f_network()
    s = 1 / (1 + np.exp(-(W @ x + bias)))
    assert e.loss == pytest.approx((y - s.sum()) ** 2, rel=1e-14)
    assert [layer.activation for layer in e.layers] == ["sigmoid", "identity"]


def test_f_drawn_and_worked_as_the_notes_graph_of_vectors():
    """000 2(b)-(c) in `nl.graph`: w_i and x are vector nodes, h = w_i^T x + b_i, σ, the
    sum over i, y - s and its square; the gradients are 2(c)'s closed forms, and the
    figure has a node per operation and no constant among them."""
    xs, y_node = graph.inputs(x=x, y=y)
    ws = graph.inputs(**{f"w{i + 1}": W[i] for i in range(n)})
    bs = graph.inputs(**{f"b{i + 1}": bias[i] for i in range(n)})
    s_node = graph.sum(graph.sigmoid(graph.dot(w, xs) + b_i) for w, b_i in zip(ws, bs))
    work = graph.backward(graph.square(y_node - s_node))
    s = 1 / (1 + np.exp(-(W @ x + bias)))
    r = y - s.sum()
    assert work.output.value == pytest.approx(r**2, rel=1e-14)
    for i in range(n):
        assert_allclose(work[f"w{i + 1}"].grad, -2 * r * s[i] * (1 - s[i]) * x, rtol=1e-12)
        assert work[f"b{i + 1}"].grad == pytest.approx(-2 * r * s[i] * (1 - s[i]), rel=1e-12)
    assert work["y"].grad == pytest.approx(2 * r, rel=1e-12)
    assert len(work.nodes) == 2 + 2 * n + 3 * n + 3 and not work.constants
    labels = [t.get_text() for t in work.figure().axes[0].texts if t.get_text()]
    assert sum("value" in t for t in labels) == len(work.nodes)


def test_derivatives_and_gradients_are_transposes_and_both_shapes_are_printed():
    """000's disclaimer: ∂ℓ/∂W is the derivative (here of A, the note's W, whose shape is
    transposed) and the gradient its transpose; notation="000" prints both, with 2(e)'s
    variables x1..x4 and ℓ = ½ ||x4||^2."""
    dim = 3
    W1, W2, b, xv, yv = (RNG.standard_normal(s) for s in ((2, dim), (dim, 2), 2, dim, dim))
    net = nl.Sequential(linear(W1.T, b), nl.activation("tanh"), linear(W2.T))
    e = nl.explain(net, xv, yv[None], nl.MSELoss(reduction="sum", half=True), notation="000")
    text = str(e)
    assert "Here: x^(1) = A^(1) x + b^(1); x^(2) = tanh(x^(1)); x^(3) = A^(2) x^(2);" in text
    assert "x^(4) = x^(3) - y; ℓ = ½ ||x^(4)||^2." in text
    x1 = W1 @ xv + b
    x4 = W2 @ np.tanh(x1) - yv
    dx1 = (1 - np.tanh(x1) ** 2) * (W2.T @ x4)
    derivative = np.outer(xv, dx1)  # x ∂ℓ/∂x1: 3 × 2, A^(1) = W1 is 2 × 3
    assert ("∂ℓ/∂A^(1) = x ∂ℓ/∂x^(1), the derivative: 3 × 2, A^(1)'s shape transposed "
            "(nnlite's dW) =\n" + notation.matrix(derivative)) in text
    assert ("∇_{A^(1)} ℓ = (∂ℓ/∂A^(1))^T, the gradient: 2 × 3, shaped like A^(1), what "
            "gradient descent subtracts =\n" + notation.matrix(derivative.T)) in text
    assert_allclose(e.layers[0].dW, derivative, rtol=1e-12)


def test_df_dw_i_and_df_db_i_with_sigmoid():
    """000 2(c): df/dw_i = -2 (y - sum_j sigma(w_j^T x + b_j)) sigma'(w_i^T x + b_i) x and
    df/db_i = -2 (y - sum_j sigma(.)) sigma'(w_i^T x + b_i)."""
    _, e = f_network()
    s = 1 / (1 + np.exp(-(W @ x + bias)))
    r = y - s.sum()
    dW = -2 * r * np.outer(s * (1 - s), x)  # row i is df/dw_i
    assert_allclose(e.layers[0].dW.T, dW, rtol=1e-12)
    assert_allclose(e.layers[0].db, -2 * r * s * (1 - s), rtol=1e-12)


def test_one_gradient_descent_step():
    """000 2(d): w_i <- w_i + 2 eps (y - sum sigma) sigma'(.) x, b_i likewise."""
    eps = 0.1
    net, e = f_network()
    s = 1 / (1 + np.exp(-(W @ x + bias)))
    r = y - s.sum()
    net.zero_grad()
    loss = nl.MSELoss(reduction="sum")
    loss(net(x[None]), np.array([[y]]))
    net.backward(loss.backward())
    net[2].weight.grad[...] = 0  # the summing weights are fixed at 1 in f
    nl.optimizer("sgd", net.parameters(), lr=eps).step()
    assert_allclose(net[0].weight.data.T, W + 2 * eps * r * np.outer(s * (1 - s), x), rtol=1e-12)
    assert_allclose(net[0].bias.data, bias + 2 * eps * r * s * (1 - s), rtol=1e-12)


@pytest.mark.parametrize("phi", ["tanh", "sigmoid"])
def test_half_squared_error_with_a_nonlinear_phi(phi):
    """000 2(e), 001 2(d): l = 1/2 ||W2 Phi(W1 x + b) - y||^2. With x1 = W1 x + b,
    x2 = Phi(x1), x3 = W2 x2, x4 = x3 - y: dl/dx4 = x4, dl/dW2 = x4 x2^T,
    dl/dx1 = Phi'(x1) ⊙ W2^T x4, dl/db = dl/dx1, dl/dW1 = dl/dx1 x^T, dl/dx = W1^T dl/dx1;
    every shape that of its variable (d x d matrices, d-vectors)."""
    dim = 3
    W1, W2, b, xv, yv = (RNG.standard_normal(s) for s in ((dim, dim), (dim, dim), dim, dim, dim))
    net = nl.Sequential(linear(W1.T, b), nl.activation(phi), linear(W2.T))
    e = nl.explain(net, xv, yv[None], nl.MSELoss(reduction="sum", half=True))
    x1 = W1 @ xv + b
    x2 = np.tanh(x1) if phi == "tanh" else 1 / (1 + np.exp(-x1))
    dphi = 1 - x2**2 if phi == "tanh" else x2 * (1 - x2)
    x4 = W2 @ x2 - yv
    dx1 = dphi * (W2.T @ x4)
    assert e.loss == pytest.approx(0.5 * x4 @ x4, rel=1e-12)
    assert_allclose(e.layers[1].dz[0], x4, rtol=1e-12)
    assert_allclose(e.layers[1].dW.T, np.outer(x4, x2), rtol=1e-12)
    assert_allclose(e.layers[0].db, dx1, rtol=1e-12)
    assert_allclose(e.layers[0].dW.T, np.outer(dx1, xv), rtol=1e-12)
    assert_allclose(e.dx[0], W1.T @ dx1, rtol=1e-12)
    assert e.layers[0].dW.shape == W1.shape and e.dx[0].shape == xv.shape
    numeric = nl.jacobian(lambda u: np.array(0.5 * np.sum((net(u) - yv) ** 2)), xv[None])
    assert_allclose(numeric, e.dx, rtol=1e-6)


def test_identity_phi_closed_forms_and_sgd_step():
    """000 2(f): Phi = identity: r = W2 (W1 x + b) - y, dl/dW2 = r (W1 x + b)^T,
    dl/dW1 = W2^T r x^T, dl/db = W2^T r; one step W1 <- W1 - eps W2^T r x^T,
    W2 <- W2 - eps r (W1 x + b)^T."""
    dim, eps = 3, 0.05
    W1, W2, b, xv, yv = (RNG.standard_normal(s) for s in ((dim, dim), (dim, dim), dim, dim, dim))
    net = nl.Sequential(linear(W1.T, b), nl.activation("identity"), linear(W2.T))
    e = nl.explain(net, xv, yv[None], nl.MSELoss(reduction="sum", half=True))
    x1 = W1 @ xv + b
    r = W2 @ x1 - yv
    assert_allclose(e.dx[0], W1.T @ W2.T @ r, rtol=1e-12)
    assert_allclose(e.layers[0].db, W2.T @ r, rtol=1e-12)
    assert_allclose(e.layers[0].dW.T, np.outer(W2.T @ r, xv), rtol=1e-12)
    assert_allclose(e.layers[1].dW.T, np.outer(r, x1), rtol=1e-12)
    loss = nl.MSELoss(reduction="sum", half=True)
    loss(net(xv[None]), yv[None])
    net.backward(loss.backward())
    nl.optimizer("sgd", net.parameters(), lr=eps).step()
    assert_allclose(net[0].weight.data.T, W1 - eps * W2.T @ np.outer(r, xv), rtol=1e-12)
    assert_allclose(net[2].weight.data.T, W2 - eps * np.outer(r, x1), rtol=1e-12)


def assert_hidden_units_identical(model):
    """Columns of W1, entries of b1 and rows of W2 (one per hidden unit) all equal."""
    for per_unit in (model[0].weight.data.T, model[0].bias.data, model[2].weight.data):
        assert_allclose(per_unit, np.broadcast_to(per_unit[0], per_unit.shape), rtol=1e-12,
                        atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("weight_init", ["zeros", nl.initializer("constant", value=0.5)],
                         ids=["zeros", "constant0.5"])
def test_symmetric_init_keeps_hidden_units_identical(activation, weight_init):
    """000 3(a), 002 §1.1 (answer A), §1.6, §4.3-4.4: zero or equal initial weights make
    every hidden unit compute the same thing and get the same gradient forever, so
    gradient descent cannot learn XOR (the net acts as one hidden unit)."""
    model = nl.mlp([2, 8, 1], activation=activation, weight_init=weight_init, rng=0, dtype=F64)
    accuracy = train_xor(model, steps=500, lr=0.5)
    assert_hidden_units_identical(model)
    assert accuracy < 1.0
    if weight_init != "zeros":  # the units did train, just all in lockstep
        assert not np.allclose(model[0].weight.data, 0.5)


def test_parameter_counts():
    """000 3(b): d = [8, 10, 10, 3] has 8*10 + 10*10 + 10*3 = 210 weights (233 with biases)."""
    model = nl.mlp([8, 10, 10, 3], dtype=F64)
    weights = sum(p.data.size for name, p in model.named_parameters() if name.endswith("weight"))
    assert weights == 210 and model.num_parameters() == 233


def test_network_b_adds_a_linear_layer_that_changes_no_function_class():
    """000 3(c): B is A with an added 10-unit linear layer. A has fewer parameters (cheaper,
    less to over-fit); B can be folded back into A (a linear layer composed with the next
    Linear is one Linear), so it represents nothing new, but it is a deeper, differently
    parameterised model. Folding B's two Linear layers gives A's outputs exactly."""
    a = nl.mlp([2, 16, 1], activation="tanh", rng=0, dtype=F64)
    b = nl.Sequential(*list(a)[:2], nl.Linear(16, 10, dtype=F64, rng=1),
                      nl.Linear(10, 1, dtype=F64, rng=2))
    assert b.num_parameters() - a.num_parameters() == (16 * 10 + 10 + 10 * 1 + 1) - (16 + 1)
    folded = nl.Sequential(*list(a)[:2], linear(b[2].weight.data @ b[3].weight.data,
                                                b[2].bias.data @ b[3].weight.data + b[3].bias.data))
    xs = RNG.standard_normal((7, 2))
    assert_allclose(folded(xs), b(xs), rtol=1e-12)
