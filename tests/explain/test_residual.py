"""Residual blocks walked (note 002 Q8): a^(l) = g(z^(l)) + a^(s), and backward adds the
identity path's term to ∂/∂a^(s) as a term of its own, printed, counted among the paths,
and checked against central differences in float64."""

import numpy as np
import pytest
from reference import mse, network, reference

import nnlite as nl
from nnlite.explain import notation as n

F64 = np.float64
RNG = np.random.default_rng(5)
LAYERS = [(RNG.normal(size=(2, 3)), RNG.normal(size=3), "tanh", None),
          (RNG.normal(size=(3, 3)), RNG.normal(size=3), "tanh", 1),
          (RNG.normal(size=(3, 1)), None, "identity", None)]
X, Y = np.array([[0.3, -0.8]]), np.array([[0.5]])


def central(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[k] = eps
        grad[k] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def test_the_identity_path_is_its_own_term_with_its_numbers():
    model = network(LAYERS)
    e = nl.explain(model, X, Y, "mse")
    r = reference(LAYERS, X, mse(Y))
    assert e.layers[1].skip == 1 and e.layers[0].skip is None
    np.testing.assert_allclose(e.layers[1].a, r["a"][1], rtol=1e-13)
    np.testing.assert_allclose(e.layers[0].da, r["da"][0], rtol=1e-12)
    text = str(e)
    assert "layer 2: Linear 3 -> 3, then tanh, plus a^(1) (the skip of a Residual block)" in text
    z2, a1, a2 = r["z"][1][0], r["a"][0][0], r["a"][1][0]
    assert (f"  a^(2)_1 = tanh(z^(2)_1) + a^(1)_1 = tanh({n.num(z2[0])}) + {n.factor(a1[0])} = "
            f"{n.num(a2[0])}") in text
    identity, through = r["da"][1][0], (r["dz"][1] @ LAYERS[1][0].T)[0]
    W2, dz2 = LAYERS[1][0], r["dz"][1][0]
    for i in range(3):
        terms = " + ".join(n.product([W2[i, k], dz2[k]]) for k in range(3))
        assert (f"= {n.factor(identity[i])} + {terms} = {n.num(identity[i] + through[i])}"
                f"   (the first term: the identity path a^(1)_{i + 1} → a^(2)_{i + 1})") in text
    loss = nl.MSELoss()
    np.testing.assert_allclose(e.dx, central(lambda u: loss(model(u), Y), X), rtol=1e-7)


def test_in_matrices_the_two_paths_and_their_sum_are_printed_apart():
    xs, ys = RNG.normal(size=(3, 2)), RNG.normal(size=(3, 1))
    r = reference(LAYERS, xs, mse(ys))
    for notation, head in (("004", "  ∂ℓ/∂a^(1) = ∂ℓ/∂z^(2) (W^(2))^T + ∂ℓ/∂a^(2)"),
                           ("000", "∂ℓ/∂x^(2) = ∂ℓ/∂x^(3) A^(2) + ∂ℓ/∂x^(5)")):
        text = str(nl.explain(network(LAYERS), xs, ys, "mse", notation=notation))
        assert head in text
        assert ("  through the layer =\n" + n.matrix(r["dz"][1] @ LAYERS[1][0].T)) in text
        assert "  the identity path =\n" + n.matrix(r["da"][1]) in text
        assert "  sum =\n" + n.matrix(r["da"][0]) in text


def test_paths_through_a_skip_include_the_identity_path_and_sum_to_the_gradient():
    layers = [(RNG.normal(size=(2, 2)), None, "tanh", None),
              (RNG.normal(size=(2, 2)), None, "tanh", 1),
              (RNG.normal(size=(2, 1)), None, "identity", None)]
    model = network(layers)
    e = nl.explain(model, X)
    found = e.paths(1, "W^(1)_12")
    assert len(found) == 3  # through unit 1 and unit 2 of layer 2, and straight across
    assert any("skip(a^(1)_2 → a^(2)_2)" in p.symbols for p in found)

    def output(W):
        probe = network([(W, None, "tanh", None), *layers[1:]])
        return probe(X)[0, 0]

    numeric = central(output, np.asarray(layers[0][0], dtype=F64))[0, 1]
    assert found.total == pytest.approx(numeric, rel=1e-7)
    assert e.paths(1, "x_1").total == pytest.approx(e.dx[0, 0], rel=1e-12)


def test_a_block_of_two_layers_skips_to_its_last_layer():
    """x + f(x) with f = Linear, tanh, Linear: the skip adds x to layer 2's output."""
    inner = network([(RNG.normal(size=(2, 3)), RNG.normal(size=3), "tanh", None),
                     (RNG.normal(size=(3, 2)), None, "identity", None)])
    model = nl.Sequential(nl.Residual(inner), nl.Linear(2, 1, dtype=F64, rng=0))
    e = nl.explain(model, X, Y, "mse")
    assert [layer.skip for layer in e.layers] == [None, 0, None]
    loss = nl.MSELoss()
    np.testing.assert_allclose(e.dx, central(lambda u: loss(model(u), Y), X), rtol=1e-7)
    assert "the first term: the identity path x_1 → a^(2)_1" in str(e)


@pytest.mark.parametrize("model, message", [
    (nl.Sequential(nl.Residual(nl.Residual(nl.Linear(2, 2)))), "a Residual inside a Residual"),
    (nl.Sequential(nl.Linear(2, 2), nl.Residual(nl.Sequential(nl.activation("tanh"),
                                                              nl.Linear(2, 2)))),
     "must start with a Linear layer, not Tanh"),
    (nl.Sequential(nl.Residual(nl.Linear(2, 2)), nl.activation("relu"), nl.Linear(2, 1)),
     "ReLU after a Residual block acts on x [+] f[(]x[)]"),
    (nl.Sequential(nl.Residual(nl.Linear(2, 3))), "maps 2 units to 3"),
])
def test_blocks_that_cannot_be_walked_are_refused_in_words(model, message):
    with pytest.raises(ValueError, match=message):
        nl.explain(model, X)
