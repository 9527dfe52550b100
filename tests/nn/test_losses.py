"""Losses: values against formulas, gradients against central differences, stability."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlite as nl
from nnlite.nn.gradcheck import numerical_gradient

# Central differences with step 1e-6 cannot resolve a float64 loss's rounding (~1e-16 of
# an O(1) intermediate such as log(1 + 1e-7)) below ~1e-10, so a nearly-zero gradient
# (a confident right answer: loss ~1e-7) is compared against this floor, not itself.
GRADIENT_NORM_FLOOR = 1e-3


def loss_gradient_error(loss, pred, target):
    """||analytic - numeric|| / max(||analytic|| + ||numeric||, GRADIENT_NORM_FLOOR)."""
    loss(pred, target)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: loss(pred, target), pred)
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), GRADIENT_NORM_FLOOR)
    return float(np.linalg.norm(analytic - numeric) / scale)


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 6), width=st.integers(1, 4), seed=st.integers(0, 2**16),
       reduction=st.sampled_from(["mean", "sum"]), half=st.booleans())
def test_mse_gradient(batch, width, seed, reduction, half):
    r = np.random.default_rng(seed)
    pred, target = r.normal(size=(batch, width)), r.normal(size=(batch, width))
    assert loss_gradient_error(nl.MSELoss(reduction, half=half), pred, target) < 1e-6


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 6), width=st.integers(1, 4), seed=st.integers(0, 2**16),
       reduction=st.sampled_from(["mean", "sum"]))
def test_bce_with_logits_gradient(batch, width, seed, reduction):
    r = np.random.default_rng(seed)
    pred = r.normal(scale=3.0, size=(batch, width))
    target = r.uniform(size=(batch, width))
    assert loss_gradient_error(nl.BCEWithLogitsLoss(reduction), pred, target) < 1e-6


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 6), classes=st.integers(2, 5), seed=st.integers(0, 2**16),
       reduction=st.sampled_from(["mean", "sum"]), smoothing=st.sampled_from([0.0, 0.1, 0.5]))
def test_cross_entropy_gradient(batch, classes, seed, reduction, smoothing):
    r = np.random.default_rng(seed)
    pred = r.normal(scale=3.0, size=(batch, classes))
    labels = r.integers(0, classes, size=batch)
    loss = nl.CrossEntropyLoss(reduction, label_smoothing=smoothing)
    assert loss_gradient_error(loss, pred, labels) < 1e-6


def test_mse_values():
    pred, target = np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]])
    assert nl.MSELoss()(pred, target) == pytest.approx(2.5)
    assert nl.MSELoss("sum")(pred, target) == pytest.approx(5.0)
    half = nl.MSELoss("sum", half=True)
    assert half(pred, target) == pytest.approx(2.5)
    np.testing.assert_allclose(half.backward(), pred - target)


def test_bce_matches_the_naive_formula_where_it_is_safe():
    z, y = np.array([[-2.0, 0.3, 4.0]]), np.array([[0.0, 1.0, 1.0]])
    s = 1 / (1 + np.exp(-z))
    expected = np.mean(-(y * np.log(s) + (1 - y) * np.log(1 - s)))
    assert nl.BCEWithLogitsLoss()(z, y) == pytest.approx(expected)


def test_cross_entropy_matches_the_naive_formula_and_smoothing():
    z, labels = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]), np.array([1, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert nl.CrossEntropyLoss()(z, labels) == pytest.approx(-np.mean(np.log(p[[0, 1], labels])))
    q = np.full((2, 3), 0.1 / 3)
    q[[0, 1], labels] += 0.9
    smoothed = nl.CrossEntropyLoss(label_smoothing=0.1)(z, labels)
    assert smoothed == pytest.approx(-np.mean((q * np.log(p)).sum(axis=1)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_classification_losses_are_finite_at_logits_of_1e4(dtype):
    z = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = nl.BCEWithLogitsLoss()
        value = bce(z, np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype))
        grad = bce.backward()
        ce = nl.CrossEntropyLoss()
        ce_value = ce(z, np.array([1, 0]))
        ce_grad = ce.backward()
    assert value == pytest.approx(1e4) and ce_value == pytest.approx(2e4)
    assert np.all(np.isfinite(grad)) and np.all(np.isfinite(ce_grad))
    assert grad.dtype == dtype and ce_grad.dtype == dtype


def test_float32_predictions_give_float32_gradients():
    pred = np.ones((4, 1), dtype=np.float32)
    for loss in (nl.MSELoss(), nl.BCEWithLogitsLoss()):
        loss(pred, np.zeros((4, 1)))
        assert loss.backward().dtype == np.float32


def test_shape_mismatch_is_an_error_not_a_broadcast():
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\)"):
        nl.MSELoss()(np.zeros((4, 1)), np.zeros(4))


def test_cross_entropy_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        nl.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="integers"):
        nl.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.0, 1.0]))


def test_bad_reduction_and_backward_before_forward():
    with pytest.raises(ValueError, match="'avg'"):
        nl.MSELoss("avg")
    with pytest.raises(RuntimeError, match="before the loss was computed"):
        nl.MSELoss().backward()


def test_losses_by_registry_name():
    assert isinstance(nl.loss("cross_entropy", label_smoothing=0.1), nl.CrossEntropyLoss)
    assert isinstance(nl.loss("bce_with_logits"), nl.BCEWithLogitsLoss)
    assert isinstance(nl.loss("mse", reduction="sum"), nl.MSELoss)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_gradient_is_sigmoid_minus_target_to_rounding(dtype):
    z = np.linspace(-40, 40, 161, dtype=dtype).reshape(-1, 1)
    y = np.zeros_like(z)
    bce = nl.BCEWithLogitsLoss("sum")
    bce(z, y)
    exact = 1.0 / (1.0 + np.exp(-z.astype(np.float64)))
    np.testing.assert_allclose(bce.backward(), exact, rtol=4 * np.finfo(dtype).eps, atol=0)


def test_cross_entropy_rejects_negative_labels_of_any_integer_type():
    for labels in (np.array([-1, 0]), np.array([0, -2], dtype=np.int32)):
        with pytest.raises(ValueError, match=r"\[0, 3\)"):
            nl.CrossEntropyLoss()(np.zeros((2, 3)), labels)


def test_integer_predictions_are_promoted_to_float64_not_rounded():
    pred, target = np.array([[1], [2]]), np.array([[1.5], [2.5]])
    mse = nl.MSELoss()
    assert mse(pred, target) == pytest.approx(0.25)
    np.testing.assert_allclose(mse.backward(), [[-0.5], [-0.5]])
    assert mse.backward().dtype == np.float64
    bce = nl.BCEWithLogitsLoss("sum")
    value = bce(np.array([[0], [0]]), np.array([[0.5], [1.0]]))
    assert value == pytest.approx(2 * np.log(2))
    np.testing.assert_allclose(bce.backward(), [[0.0], [-0.5]])
    assert bce.backward().dtype == np.float64


def test_float32_predictions_keep_float32_with_float64_targets():
    pred = np.array([[0.5], [-1.0]], dtype=np.float32)
    for loss in (nl.MSELoss(), nl.BCEWithLogitsLoss()):
        loss(pred, np.array([[1.0], [0.0]]))
        assert loss.backward().dtype == np.float32


@pytest.mark.parametrize("loss, shape", [(nl.MSELoss(), (0, 1)), (nl.MSELoss("sum"), (0, 1)),
                                         (nl.BCEWithLogitsLoss(), (0, 1)),
                                         (nl.CrossEntropyLoss(), (0, 3))])
def test_empty_batch_is_a_clear_error(loss, shape):
    target = np.zeros(shape) if not isinstance(loss, nl.CrossEntropyLoss) else np.zeros(0, int)
    expected = rf"{type(loss).__name__}: got an empty batch of shape \({shape[0]}, {shape[1]}\)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way to the error
        with pytest.raises(ValueError, match=expected):
            loss(np.zeros(shape), target)
