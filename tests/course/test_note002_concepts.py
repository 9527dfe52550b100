"""Note 002 §1, "Concepts, intuitions and big picture": questions 2-10 with definite
answers (1 and 6, symmetric initialisation, are in test_note000.py)."""

import numpy as np
import pytest
from course_helpers import F64
from numpy.testing import assert_allclose

import nnlite as nl


def test_q2_false_forward_needs_a_loop_over_the_layers():
    """Q2 (False): each layer's input is the previous layer's output, so the layers run one
    after another: a network with a nonlinearity is not one linear map to vectorise into."""
    net = nl.mlp([3, 5, 4, 2], activation="relu", rng=0, dtype=F64)
    x = np.random.default_rng(0).standard_normal((6, 3))
    a = x
    for layer in net:
        a = layer.forward(a)
    assert_allclose(net(x), a, rtol=0)
    e = nl.explain(net, x)
    for below, above in zip(e.layers, e.layers[1:]):
        assert above.a_prev is below.a  # layer l reads a^(l-1), made by layer l-1
    u, v = x[:1], x[1:2]
    assert not np.allclose(net(u + v) - net(np.zeros_like(u)), net(u) + net(v) - 2 * net(0 * u))


def test_q3_true_tanh_is_zero_centred_sigmoid_is_not():
    """Q3 (True): on inputs symmetric about 0, tanh's outputs average 0 and sigmoid's 1/2."""
    z = np.linspace(-3, 3, 601)[None]
    assert abs(nl.activation("tanh")(z).mean()) < 1e-12
    assert nl.activation("sigmoid")(z).mean() == pytest.approx(0.5, abs=1e-12)


def test_q5_dropout_in_training_not_in_evaluation():
    """Q5: in training (inverted) dropout zeroes units with probability p and scales the rest
    by 1/(1-p), so the expected activation is unchanged; evaluation is deterministic, the
    identity, with nothing to rescale."""
    drop = nl.Dropout(0.5, rng=0)
    x = np.ones((2000, 50))
    out = drop(x)
    assert set(np.unique(out)) == {0.0, 2.0}
    assert out.mean() == pytest.approx(1.0, abs=0.01)
    drop.eval()
    assert drop(x) is x and np.array_equal(drop(x), drop(x))


def sigmoid_stack(weight_init, depth=5, residual=False):
    return nl.mlp([4] + [16] * depth + [1], activation="sigmoid", weight_init=weight_init,
                  residual=residual, rng=0, dtype=F64)


def test_q7_large_positive_weights_saturate_sigmoids_and_the_gradient_vanishes():
    """Q7 (no, a bad idea): with weights N(3, 1) every sigmoid's input is large and positive,
    its derivative ~0, and the first layer's gradient underflows to 0 relative to the
    last's; with Xavier the ratio is ~1e-4 (the usual sigma' <= 1/4 per layer)."""
    x = np.random.default_rng(1).standard_normal((32, 4))
    y = np.ones((32, 1))
    large = nl.explain(sigmoid_stack(nl.initializer("normal", mean=3.0, std=1.0)), x, y, "mse")
    xavier = nl.explain(sigmoid_stack("xavier_normal"), x, y, "mse")
    sigmoids = large.layers[:-1]
    assert np.mean([np.mean(layer.a > 0.99) for layer in sigmoids]) > 0.7  # saturated
    assert max(float(layer.g_prime.max()) for layer in sigmoids[2:]) < 1e-6

    def ratio(e):
        return np.linalg.norm(e.layers[0].dW) / np.linalg.norm(e.layers[-1].dW)

    assert ratio(large) < 1e-6 * ratio(xavier) and ratio(xavier) > 1e-5


def test_q8_residual_connections_carry_the_gradient_back():
    """Q8: y = x + f(x) has dx = dout + f.backward(dout): the identity path brings the
    gradient to early layers. A 10-block sigmoid stack: the first layer's gradient is
    ~1e-7 of the last's without skips, ~6e-3 with them."""
    x = np.random.default_rng(2).standard_normal((32, 4))

    def first_over_last(model):
        model(x)
        model.backward(np.ones((32, 1)))
        weights = [m.weight.grad for m in model.modules() if isinstance(m, nl.Linear)]
        return np.linalg.norm(weights[0]) / np.linalg.norm(weights[-1])

    plain = first_over_last(sigmoid_stack("xavier_normal", depth=10))
    skip = first_over_last(sigmoid_stack("xavier_normal", depth=10, residual=True))
    assert plain < 1e-5 and skip > 1e-3 and skip > 1000 * plain


def test_q8_the_explainer_walks_the_identity_path_as_a_term_of_its_own():
    """Q8 with numbers: in x -> tanh -> a^(1) + tanh(W a^(1)) -> out, ∂ℓ/∂a^(1) is
    ∂ℓ/∂a^(2) (the identity path) plus the path through layer 2, printed apart; even
    with layer 2 saturated, the identity term keeps ∂ℓ/∂a^(1) near ∂ℓ/∂a^(2)."""
    rng = np.random.default_rng(8)
    model = nl.Sequential(nl.Linear(2, 3, dtype=F64, rng=1), nl.activation("tanh"),
                          nl.Residual(nl.Sequential(nl.Linear(3, 3, dtype=F64, rng=2),
                                                    nl.activation("tanh"))),
                          nl.Linear(3, 1, dtype=F64, rng=3))
    model[2].module[0].weight.data *= 30  # saturated: tanh' ~ 0 through the block
    x, y = rng.standard_normal((1, 2)), np.array([[1.0]])
    e = nl.explain(model, x, y, "mse")
    first, block = e.layers[0], e.layers[1]
    through = block.dz @ block.W.T
    np.testing.assert_allclose(first.da, block.da + through, rtol=1e-12)
    assert np.abs(through).max() < 1e-3 * np.abs(block.da).max()
    text = str(e)
    assert "(the first term: the identity path a^(1)_1 → a^(2)_1)" in text
    h = nl.explain(model, x)  # ∂H/∂W^(1)_11 as a sum over paths, the skip's among them
    paths = h.paths(1, "W^(1)_11")
    assert len(paths) == 4 and sum("skip(" in " ".join(p.symbols) for p in paths) == 1
    assert paths.total == pytest.approx(h.layers[0].dW[0, 0], rel=1e-10)


def test_q9_forward_caches_what_backward_needs():
    """Q9 (A): values computed in the forward pass are cached for the backward pass:
    Linear keeps its input (dW = x^T dout), an activation its input or output."""
    layer, act = nl.Linear(3, 2, dtype=F64, rng=0), nl.activation("sigmoid")
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 2)))
    x = np.random.default_rng(3).standard_normal((4, 3))
    y = act(layer(x))
    assert layer._x is not None and np.array_equal(layer._x, x) and act.output is y
    layer.zero_grad()
    layer.backward(act.backward(np.ones_like(y)))
    assert_allclose(layer.weight.grad, x.T @ (y * (1 - y)), rtol=1e-12)


def test_q10_deeper_layers_compute_more_complex_functions_of_the_input():
    """Q10 (A): a first-layer pre-activation is an affine function of x (its second
    differences vanish); a second-layer one is a nonlinear function built from the first
    layer's features (they do not)."""
    net = nl.mlp([1, 8, 8, 1], activation="tanh", rng=4, dtype=F64)
    xs = np.linspace(-2, 2, 201)[:, None]
    e = nl.explain(net, xs)
    assert np.abs(np.diff(e.layers[0].z, 2, axis=0)).max() < 1e-12
    assert np.abs(np.diff(e.layers[1].z, 2, axis=0)).max() > 1e-4
