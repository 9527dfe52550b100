"""Activations: gradients against central differences, dtypes, stability at large |x|."""

import warnings

import numpy as np
import pytest
from conftest import assert_gradients_match
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlite as nl

ACTIVATIONS = [
    ("identity", {}), ("sigmoid", {}), ("tanh", {}), ("relu", {}),
    ("leaky_relu", {"negative_slope": 0.1}), ("elu", {"alpha": 0.7}), ("gelu", {}),
    ("softplus", {}), ("softmax", {}), ("log_softmax", {}),
]
KINK_AT_ZERO = {"relu", "leaky_relu", "elu"}


def away_from_kinks(x: np.ndarray, name: str) -> np.ndarray:
    """Central differences across a kink are wrong by design: keep |x| > 1e-3 there."""
    if name in KINK_AT_ZERO:
        x = np.where(np.abs(x) < 1e-3, 0.5, x)
    return x


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
@settings(max_examples=15, deadline=None)
@given(batch=st.integers(1, 5), width=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_activation_gradient_matches_central_differences(name, kwargs, batch, width, seed):
    x = np.random.default_rng(seed).normal(scale=2.0, size=(batch, width))
    assert_gradients_match(nl.activation(name, **kwargs), away_from_kinks(x, name))


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
def test_activation_keeps_float32(name, kwargs):
    act = nl.activation(name, **kwargs)
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    y = act.forward(x)
    dx = act.backward(np.ones_like(y))
    assert y.dtype == np.float32 and dx.dtype == np.float32
    assert y.shape == x.shape and dx.shape == x.shape


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_is_finite_at_huge_inputs_without_warnings(name, kwargs, dtype):
    act = nl.activation(name, **kwargs)
    x = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act.forward(x)
        dx = act.backward(np.ones_like(y))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))


def test_sigmoid_saturates_to_exact_limits_and_zero_gradient():
    act = nl.activation("sigmoid")
    y = act.forward(np.array([[-1e4, 1e4]]))
    np.testing.assert_array_equal(y, [[0.0, 1.0]])
    np.testing.assert_array_equal(act.backward(np.ones((1, 2))), [[0.0, 0.0]])


def test_softplus_matches_log1p_exp_in_its_safe_range():
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(nl.activation("softplus").forward(x), np.log1p(np.exp(x)))


def test_gelu_is_the_tanh_approximation():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    expected = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(nl.activation("gelu").forward(x), expected)


def test_softmax_rows_sum_to_one_and_backward_is_jacobian_vector_product(rng):
    x = rng.normal(size=(3, 5))
    act = nl.activation("softmax")
    s = act.forward(x)
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    g = rng.normal(size=(3, 5))
    dx = act.backward(g)
    for n in range(3):
        jac = np.diag(s[n]) - np.outer(s[n], s[n])
        np.testing.assert_allclose(dx[n], jac.T @ g[n], atol=1e-12)


def test_relu_derivative_at_zero_is_zero():
    act = nl.activation("relu")
    act.forward(np.array([[0.0, 1.0, -1.0]]))
    np.testing.assert_array_equal(act.backward(np.ones((1, 3))), [[0.0, 1.0, 0.0]])


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match="Tanh.backward called before forward"):
        nl.activation("tanh").backward(np.ones((1, 2)))


def test_bad_activation_keyword_names_the_signature():
    with pytest.raises(ValueError, match="leaky_relu.*negative_slope"):
        nl.activation("leaky_relu", slope=0.1)


def test_relu_is_right_for_every_shape_and_dtype_in_turn():
    relu = nl.activation("relu")
    for x in (np.array([[-1.0, 2.0]]), np.array([[3.0], [-4.0], [0.5]], dtype=np.float32),
              np.array([-2, 5]), np.array([[-1.0, 2.0]])):
        y = relu.forward(x)
        np.testing.assert_array_equal(y, np.maximum(x, 0.0))
        assert y.dtype == np.maximum(x, 0.0).dtype
        np.testing.assert_array_equal(relu.backward(np.ones_like(y)), (x > 0).astype(y.dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gelu_goes_to_zero_below_and_to_x_above(dtype):
    """x sigmoid(2u) with u = sqrt(2/pi)(x + 0.044715 x^3): -0 for very negative x (not x
    times the sigmoid at a clipped x), x for large x, in the input's dtype."""
    big = np.finfo(dtype).max / 2
    x = np.array([[-big, -1e4, -20.0, 20.0, 1e4, big]], dtype=dtype)
    gelu = nl.activation("gelu")
    y = gelu.forward(x)
    assert y.dtype == dtype
    assert np.all(y[0, :2] == 0) and abs(float(y[0, 2])) < 1e-30
    np.testing.assert_array_equal(y[0, 3:], x[0, 3:])
