"""`nl.explain`: its numbers against the model's own backward and central differences,
its text, paths and figure, and that it leaves the model exactly as it was."""

import copy
import re
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite.explain import notation as n
from nnlite.explain.figure import size

F64 = np.float64


def small_net(**kw):
    return nl.mlp([3, 4, 2], activation="tanh", rng=1, dtype=F64, **kw)


def batch():
    rng = np.random.default_rng(5)
    return rng.standard_normal((5, 3)), rng.standard_normal((5, 2))


@pytest.mark.parametrize("loss", ["mse", nl.MSELoss(reduction="sum", half=True)])
def test_layers_match_the_model_backward_and_central_differences(loss):
    model = small_net()
    x, y = batch()
    e = nl.explain(model, x, y, loss)
    loss_fn = nl.loss("mse") if isinstance(loss, str) else copy.deepcopy(loss)
    assert e.loss == pytest.approx(loss_fn(model(x), y), rel=1e-12)
    model.zero_grad()
    dx = model.backward(loss_fn.backward(), input_grad=True)  # the data's gradient, asked for
    linears = [m for m in model if isinstance(m, nl.Linear)]
    assert len(e.layers) == 2
    for layer, linear in zip(e.layers, linears):
        assert_allclose(layer.dW, linear.weight.grad, rtol=1e-12)
        assert_allclose(layer.db, linear.bias.grad, rtol=1e-12)
        assert layer.dW.shape == linear.weight.shape and layer.z.shape == (5, layer.units)
    assert_allclose(e.dx, dx, rtol=1e-12)
    # independent of the model's backward: central differences on the weights and x
    for k, linear in enumerate(linears):
        def loss_at(W, k=k):
            probe = copy.deepcopy(model)
            [m for m in probe if isinstance(m, nl.Linear)][k].weight.data[...] = W
            return np.array(loss_fn(probe(x), y))
        assert_allclose(nl.jacobian(loss_at, linear.weight.data), e.layers[k].dW, rtol=1e-6)
    assert_allclose(nl.jacobian(lambda u: np.array(loss_fn(model(u), y)), x), e.dx, rtol=1e-6)
    first = e.layers[0]
    assert_allclose(first.a, np.tanh(first.z), rtol=1e-14)
    assert_allclose(first.dz, first.da * (1 - np.tanh(first.z) ** 2), rtol=1e-12)
    assert_allclose(e.layers[1].a, e.output)


def test_the_model_its_gradients_caches_and_random_state_are_untouched():
    model = nl.mlp([3, 4, 4, 2], activation="relu", dropout=0.5, rng=2, dtype=F64)
    x, y = batch()
    model.train()
    model(x)
    model.backward(np.ones((5, 2)))
    before = copy.deepcopy(model)
    caches = [copy.deepcopy(vars(m)) for m in model.modules()]
    e = nl.explain(model, x, y, "mse")
    for (name, p), (_, q) in zip(model.named_parameters(), before.named_parameters()):
        assert np.array_equal(p.data, q.data) and np.array_equal(p.grad, q.grad), name
    assert model.training and all(m.training for m in model.modules())
    for m, cached in zip(model.modules(), caches):
        for key, value in cached.items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(vars(m)[key], value), (type(m).__name__, key)
    dropout = next(m for m in model.modules() if isinstance(m, nl.Dropout))
    assert dropout.rng.random() == next(m for m in before.modules()
                                        if isinstance(m, nl.Dropout)).rng.random()
    assert e.dx.shape == x.shape and np.any(e.dx != 0)  # computed all the same


def test_no_loss_differentiates_the_output_and_paths_sum_to_the_gradient():
    model = nl.mlp([2, 3, 3, 1], activation="sigmoid", rng=4, dtype=F64)
    x = np.array([0.7, -1.2])
    e = nl.explain(model, x)
    assert e.symbol == "H" and e.loss == pytest.approx(model(x[None])[0, 0], rel=1e-14)
    for ell, layer in enumerate(e.layers, start=1):
        for i in range(layer.W.shape[0]):
            for j in range(layer.units):
                found = e.paths(1, f"W^({ell})_{i + 1}{j + 1}")
                assert found.total == pytest.approx(layer.dW[i, j], rel=1e-10, abs=1e-15)
                assert len(found) == (3 if ell == 1 else 1)  # W^(1)_ij: one per unit of layer 2
    for i in range(2):
        assert e.paths(1, (i + 1,)).total == pytest.approx(e.dx[0, i], rel=1e-10)
    assert len(e.paths(1, "x_1")) == 9  # 3 x 3 ways through two hidden layers


def test_text_states_both_conventions_and_the_chain_rule():
    model = nl.mlp([2, 2, 1], activation="relu", rng=0, dtype=F64)
    e = nl.explain(model, [[1.0, 2.0]], [[0.5]], "mse")
    text = str(e)
    assert "W^(l)_ij connects unit i of layer l-1 to unit j of layer l" in text
    assert "z = A x + b with A = (W^(l))^T" in text
    assert text.index("Forward") < text.index("Backward")
    assert "∂ℓ/∂z^(1)_1 = ∂ℓ/∂a^(1)_1 · g'(z^(1)_1)" in text
    assert "∂ℓ/∂W^(2)_11 = a^(1)_1 · ∂ℓ/∂z^(2)_1" in text
    md = e.to_markdown()
    assert md.startswith("# Forward and backward pass") and "## Backward" in md
    assert md.count("```") % 2 == 0
    wide = nl.explain(nl.mlp([2, 8, 1], rng=0, dtype=F64), np.ones((4, 2)), np.ones((4, 1)),
                      "bce_with_logits")
    assert "∂ℓ/∂W^(1) = (a^(0))^T ∂ℓ/∂z^(1)" in str(wide)  # matrices beyond a few units


def test_softmax_output_is_a_jacobian_product_not_elementwise():
    model = nl.mlp([3, 4, 3], activation="tanh", output_activation="softmax", rng=3, dtype=F64)
    x, _ = batch()
    e = nl.explain(model, x[:1])
    last = e.layers[-1]
    assert last.g_prime is None and "J_g(z^(2))^T" in str(e)
    s = last.a[0]
    assert_allclose(last.dz[0], (np.diag(s) - np.outer(s, s)).T @ last.da[0], atol=1e-15)
    with pytest.raises(ValueError, match="not elementwise"):
        e.paths(1, "W^(1)_11")


def test_bad_arguments_are_clear():
    model = small_net()
    with pytest.raises(ValueError, match="a target was given without a loss"):
        nl.explain(model, np.ones((1, 3)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="a loss needs a target"):
        nl.explain(model, np.ones((1, 3)), loss="mse")
    with pytest.raises(ValueError, match="Tanh after a Residual block acts on x [+] f"):
        nl.explain(nl.Sequential(nl.Residual(nl.Linear(3, 3)), nl.activation("tanh"),
                                 nl.Linear(3, 1)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="unknown loss"):
        nl.explain(model, np.ones((1, 3)), np.ones((1, 2)), "msee")
    e = nl.explain(model, np.ones((1, 3)))
    with pytest.raises(ValueError, match="names no weight or input"):
        e.paths(1, "V_12")
    with pytest.raises(ValueError, match="is not in this 3-4-2 network"):
        e.paths(1, "W^(1)_51")
    with pytest.raises(ValueError, match="output unit 3 does not exist"):
        e.paths(3, "x_1")


def test_figure_draws_values_and_gradients(tmp_path):
    e = nl.explain(nl.mlp([2, 2, 1], activation="relu", rng=0, dtype=F64), [[1.0, 2.0]])
    fig = e.figure()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "$x_{1}$ = 1" in texts
    w = e.layers[1].W[1, 0]
    assert (f"$W^{{(2)}}_{{21}}$ = {n.num(w)}\n$\\partial H/\\partial W$ = "
            f"{n.num(e.layers[1].dW[1, 0])}") in texts
    assert any(r"$\partial H/\partial z^{(1)}$ = " in t for t in texts)
    e.save_figure(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").read_bytes()[:4] == b"\x89PNG"


def test_explaining_imports_no_matplotlib():
    probe = ("import sys, numpy as np, nnlite as nl\n"
             "e = nl.explain(nl.mlp([2, 2, 1], rng=0), np.ones((1, 2)))\n"
             "str(e); e.paths(1, 'x_1'); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_figure_of_a_wide_network_shows_a_gap_not_every_unit():
    e = nl.explain(nl.mlp([2, 64, 3], rng=0, dtype=F64), np.ones((2, 2)))
    fig = e.figure()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "⋮ 53 more units" in texts
    assert sum(t.startswith("$z^{(1)}_{") for t in texts) == 11
    assert any(t.startswith("$z^{(1)}_{64}$ = ") for t in texts)
    twelve = nl.explain(nl.mlp([2, 12, 3], rng=0, dtype=F64), np.ones((2, 2)))
    assert tuple(fig.get_size_inches()) == size(twelve)  # no taller than 12 units
    assert "layer 2: too many weights to label" in fig.axes[0].get_title()


def test_repr_is_one_line():
    e = nl.explain(nl.mlp([2, 3, 1], rng=0, dtype=F64), np.ones((2, 2)), np.ones((2, 1)), "mse")
    assert repr(e).startswith("Explanation(ℓ = ") and "a 2-3-1 network, 2 sample(s)" in repr(e)
    assert "\n" not in repr(e)


def test_paths_say_which_sample_and_output_they_differentiate_and_refuse_bad_indices():
    model = nl.mlp([2, 3, 1], activation="tanh", rng=0, dtype=np.float64)
    x = np.array([[0.5, -1.0], [1.0, 2.0]])
    e = nl.explain(model, x)
    found = e.paths(1, "W^(1)_11", sample=1)
    assert "a^(2)_1 (sample 1)" in str(found)  # not H: two samples, each its own value
    one = nl.explain(model, x[1:])
    assert one.paths(1, "W^(1)_11").total == pytest.approx(found.total, rel=1e-12)
    for bad, message in [({"sample": 2}, "sample=2 is not in the batch; use 0..1"),
                         ({"sample": -1}, "sample=-1"),
                         ({"weight": (0, 1, 2)}, "weights count layers from 1")]:
        with pytest.raises(ValueError, match=re.escape(message)):
            e.paths(1, **{"weight": "W^(1)_11", **bad})


def test_a_module_before_the_first_linear_or_a_wrong_width_is_refused_in_words():
    tanh_first = nl.Sequential(nl.activation("tanh"), nl.Linear(4, 2, dtype=F64, rng=0))
    with pytest.raises(ValueError, match="Tanh comes before the first Linear layer"):
        nl.explain(tanh_first, np.ones((2, 4)))
    with pytest.raises(ValueError, match=re.escape("x has shape (2, 3); the first layer takes "
                                                   "(N, 4)")):
        nl.explain(nl.mlp([4, 2], rng=0, dtype=F64), np.ones((2, 3)))


def test_the_half_squared_error_says_so_where_it_is_printed():
    loss = nl.MSELoss(reduction="sum", half=True)
    assert repr(loss) == "MSELoss(reduction='sum', half=True)"
    assert "half=True" in str(nl.explain(nl.mlp([2, 1], rng=0, dtype=F64), [[1.0, 2.0]],
                                         [[0.0]], loss))
