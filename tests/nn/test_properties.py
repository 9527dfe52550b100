"""Property-based tests (hypothesis) of every built-in activation, layer and loss: over
random shapes, both float dtypes and inputs up to the extremes of float32, outputs and
gradients are finite wherever the mathematics is, keep the input's dtype, and raise no
warning (pytest turns RuntimeWarning into an error)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import nnlite as nl
from nnlite.plugins.factories import activation, layer, loss

ACTIVATIONS = ["elu", "gelu", "identity", "leaky_relu", "log_softmax", "relu", "sigmoid",
               "softmax", "softplus", "tanh"]
DTYPES = st.sampled_from([np.float32, np.float64])
# Large enough to overflow exp() and x**3 in either dtype, small enough that the true
# values of every activation (at most |x|) and of x * dout (|dout| <= 1) are finite.
EXTREME = 1e30
SETTINGS = settings(max_examples=40, deadline=None)


def values(dtype, shape, bound=EXTREME):
    bound = float(dtype(bound))  # hypothesis wants bounds the dtype holds exactly
    floats = st.floats(-bound, bound, allow_nan=False, width=32 if dtype == np.float32 else 64)
    return arrays(dtype, shape, elements=floats)


@pytest.mark.parametrize("name", ACTIVATIONS)
@SETTINGS
@given(data=st.data())
def test_activations_are_finite_and_keep_their_dtype(name, data):
    dtype = data.draw(DTYPES)
    shape = data.draw(array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=5))
    x = data.draw(values(dtype, shape))
    dout = data.draw(values(dtype, shape, bound=1.0))
    module = activation(name)
    y = module(x)
    dx = module.backward(dout)
    assert y.dtype == dtype and dx.dtype == dtype and y.shape == x.shape == dx.shape
    assert np.isfinite(y).all() and np.isfinite(dx).all(), (name, x[~np.isfinite(y)])


@SETTINGS
@given(data=st.data())
def test_linear_sequential_residual_dropout_flatten_are_finite(data):
    dtype = data.draw(DTYPES)
    n, d = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    x = data.draw(values(dtype, (n, d), bound=1e4))
    dout = data.draw(values(dtype, (n, d), bound=1.0))
    seed = data.draw(st.integers(0, 2**32 - 1))
    model = layer("sequential",
                  layer("linear", d, d, rng=seed, dtype=dtype),
                  layer("residual", layer("linear", d, d, rng=seed + 1, dtype=dtype)),
                  layer("dropout", data.draw(st.floats(0.0, 0.9)), rng=seed),
                  layer("flatten"))
    y = model(x)
    dx = model.backward(dout)
    assert y.dtype == dtype and dx.dtype == dtype and y.shape == (n, d)
    assert np.isfinite(y).all() and np.isfinite(dx).all()
    for p in model.parameters():
        assert p.grad.dtype == dtype and np.isfinite(p.grad).all()


@SETTINGS
@given(data=st.data())
def test_losses_are_finite_and_their_gradients_keep_the_dtype(data):
    dtype = data.draw(DTYPES)
    n, c = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 5))
    logits = data.draw(values(dtype, (n, c)))
    binary = data.draw(arrays(dtype, (n, c), elements=st.sampled_from([0.0, 1.0])))
    labels = data.draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    near = data.draw(values(dtype, (n, c), bound=1e4))  # squares stay finite
    reduction = data.draw(st.sampled_from(["mean", "sum"]))
    for fn, pred, target in ((loss("bce_with_logits", reduction=reduction), logits, binary),
                             (loss("cross_entropy", reduction=reduction,
                                   label_smoothing=data.draw(st.floats(0.0, 0.5))),
                              logits, labels),
                             (loss("mse", reduction=reduction), near, near[::-1].copy())):
        value = fn(pred, target)
        grad = fn.backward()
        assert np.isfinite(value), (fn, pred, target)
        assert grad.dtype == dtype and grad.shape == pred.shape and np.isfinite(grad).all()


@SETTINGS
@given(data=st.data())
def test_an_mlp_step_on_large_inputs_is_finite(data):
    dtype = data.draw(DTYPES)
    x = data.draw(values(dtype, (4, 3), bound=1e3))
    y = data.draw(arrays(dtype, (4, 1), elements=st.sampled_from([0.0, 1.0])))
    act = data.draw(st.sampled_from(["tanh", "relu", "gelu", "elu", "sigmoid", "softplus"]))
    model = nl.mlp([3, 5, 1], activation=act, rng=data.draw(st.integers(0, 100)), dtype=dtype)
    fn = nl.BCEWithLogitsLoss()
    value = fn(model(x), y)
    model.backward(fn.backward())
    assert np.isfinite(value)
    assert all(np.isfinite(p.grad).all() and p.grad.dtype == dtype for p in model.parameters())
