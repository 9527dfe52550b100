"""explain.png's drawing: labels in mathtext and the explanation's notation, every weight
and bias of a small network labelled, no label over another (measured with the renderer's
text boxes), and the sample drawn: for XOR, not the all-zero (0, 0)."""

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import nnlite as nl
from nnlite.explain import notation as n

F64 = np.float64
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=F64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=F64)


def xor_network(scale=1.0, seed=0):
    """The xor experiment's 2-8-1 tanh network; scale > 1 gives trained-size weights."""
    model = nl.mlp([2, 8, 1], activation="tanh", weight_init="xavier_normal", rng=seed,
                   dtype=F64)
    for p in model.parameters():
        p.data[...] = scale * p.data + (scale > 1) * np.random.default_rng(seed).normal(
            size=p.data.shape)
    return model


@pytest.fixture(scope="module")
def xor():
    e = nl.explain(xor_network(), XOR_X, XOR_Y, "bce_with_logits")
    return e, e.figure()


def boxes(fig):
    """Every text's box in display pixels, as drawn: its bbox patch where it has one."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    return texts, [(t.get_bbox_patch() or t).get_window_extent(renderer) for t in texts]


def assert_no_label_overlaps_another(fig):
    texts, extents = boxes(fig)
    for (t1, b1), (t2, b2) in itertools.combinations(zip(texts, extents), 2):
        assert not b1.overlaps(b2), (t1.get_text(), t2.get_text())
    return texts


def test_every_weight_is_labelled_in_mathtext_with_its_value_and_gradient(xor):
    e, fig = xor
    texts = {t.get_text() for t in fig.axes[0].texts}
    for layer in e.layers:
        for i, j in np.ndindex(layer.W.shape):
            symbol = f"$W^{{({layer.index})}}_{{{i + 1}{j + 1}}}$ = {n.num(layer.W[i, j])}"
            grad = rf"$\partial \ell/\partial W$ = {n.num(layer.dW[i, j])}"
            assert f"{symbol}\n{grad}" in texts or f"{symbol}, {grad}" in texts, symbol
    assert "unlabelled" not in fig.axes[0].get_title()


def test_layer_one_units_show_their_bias_and_its_gradient(xor):
    e, fig = xor
    texts = [t.get_text() for t in fig.axes[0].texts]
    first = e.layers[0]
    for j in range(8):
        assert any(rf"$b^{{(1)}}_{{{j + 1}}}$ = {n.num(first.b[j])}, $\partial \ell/\partial "
                   rf"b^{{(1)}}$ = {n.num(first.db[j])}" in t for t in texts), j


@pytest.mark.parametrize("scale", [1.0, 4.0], ids=["initial", "trained-size"])
def test_no_label_overlaps_another_on_xor(scale, xor):
    fig = xor[1] if scale == 1 else nl.explain(xor_network(scale), XOR_X, XOR_Y,
                                               "bce_with_logits").figure()
    texts = assert_no_label_overlaps_another(fig)
    assert len(texts) > 2 + 8 + 1 + 16 + 8  # the units, every edge, and the headings
    assert "unlabelled" not in fig.axes[0].get_title()


def test_no_label_overlaps_another_with_a_skip_in_note_000s_notation():
    model = nl.mlp([2, 3, 3, 1], activation="tanh", residual=True, rng=1, dtype=F64)
    fig = nl.explain(model, [[0.5, -1.0]], [[1.0]], "mse", notation="000").figure()
    texts = [t.get_text() for t in assert_no_label_overlaps_another(fig)]
    assert any(t.startswith("$A^{(2)}_{21}$ = ") for t in texts)  # A = W^T: A_21 = W_12
    assert any("tanh($x^{(3)}_{1}$) + $x^{(2)}_{1}$" in t for t in texts)
    assert "layer 2 (+ skip from layer 1, dashed)" in texts
    assert "unlabelled" not in fig.axes[0].get_title()


def test_note_003s_figure_names_a_and_b():
    A = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    model = nl.Sequential(nl.Linear(3, 2, bias=False, dtype=F64), nl.activation("sigmoid"),
                          nl.Linear(2, 1, bias=False, dtype=F64))
    model[0].weight.data[...] = A.T
    model[2].weight.data[...] = [[1.0], [-2.0]]
    fig = nl.explain(model, [[0.4, -1.2, 0.9]], [[2.5]], "mse", notation="003").figure()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("$A_{12}$ = -1\n") for t in texts)  # not W^(1)_21
    assert any(t.startswith("$b_{2}$ = -2\n") for t in texts)
    assert fig.axes[0].get_title().startswith("L = ")


def test_the_xor_figure_draws_a_sample_that_is_not_all_zeros(xor):
    e, fig = xor
    assert e.sample == 1 and not XOR_X[0].any()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "$x_{1}$ = 0" in texts and "$x_{2}$ = 1" in texts
    assert "values of sample 1 (from 0) of 4" in fig.axes[0].get_title()
    assert "The figure draws sample 1 (from 0): x = (0, 1)." in str(e)
    chosen = nl.explain(xor_network(), XOR_X, XOR_Y, "bce_with_logits", sample=3)
    assert chosen.sample == 3 and "x = (1, 1)" in str(chosen)
    assert nl.explain(xor_network(), XOR_X[1:]).sample == 0  # a first row that is not zero
    assert nl.explain(xor_network(), np.zeros((2, 2))).sample == 0  # nothing better


@pytest.mark.parametrize("bad", [4, -1, 1.5, True])
def test_a_sample_outside_the_batch_is_refused(bad):
    with pytest.raises(ValueError, match=f"sample={bad!r} is not in the batch; use 0..3"):
        nl.explain(xor_network(), XOR_X, sample=bad)
    with pytest.raises(ValueError, match=f"figure: sample={bad!r} is not in the batch"):
        nl.explain(xor_network(), XOR_X).figure(sample=bad)
