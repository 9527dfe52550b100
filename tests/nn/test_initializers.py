"""Initializers: shapes, dtype, the (in, out) fan layout, and sample statistics vs formulas.

Statistics are checked on large seeded draws: the sample standard deviation of n normal
draws is within ~1/sqrt(2n) relative of the true one, so 2% tolerance on ~10^5 draws is
generous yet still tells gain 1 from sqrt(2) or fan_in from fan_out.
"""

import math

import numpy as np
import pytest

from nnlite import init

SEED = 20240601
IN, OUT = 300, 500  # unequal, so fan_in and fan_out cannot be confused


def draw(fn, shape=(IN, OUT), **hyper):
    return fn(shape, np.random.default_rng(SEED), **hyper)


def assert_std(x, expected, rel=0.02):
    assert abs(x.mean()) < 5 * expected / math.sqrt(x.size)
    assert x.std() == pytest.approx(expected, rel=rel)


ALL = [
    (init.zeros, {}),
    (init.constant, {"value": 0.5}),
    (init.normal, {}),
    (init.uniform, {}),
    (init.xavier_uniform, {}),
    (init.xavier_normal, {}),
    (init.he_uniform, {}),
    (init.he_normal, {}),
    (init.lecun_normal, {}),
    (init.orthogonal, {}),
]


@pytest.mark.parametrize("fn, hyper", ALL, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (2, 3, 4)])
def test_shape_and_float64(fn, hyper, shape):
    out = fn(shape, np.random.default_rng(0), **hyper)
    assert out.shape == shape
    assert out.dtype == np.float64


@pytest.mark.parametrize("fn, hyper", ALL, ids=lambda v: getattr(v, "__name__", ""))
def test_same_seed_same_values(fn, hyper):
    np.testing.assert_array_equal(draw(fn, (4, 6), **hyper), draw(fn, (4, 6), **hyper))


def test_fans_follow_in_out_layout():
    assert init.fans((IN, OUT)) == (IN, OUT)
    assert init.fans((7,)) == (7, 7)
    assert init.fans((3, 4, 5, 2)) == (3 * 10, 4 * 10)  # receptive field 5*2
    with pytest.raises(ValueError, match=r"\(\)"):
        init.fans(())


def test_gain_values_match_calculate_gain():
    assert init.gain("linear") == 1.0
    assert init.gain("identity") == 1.0
    assert init.gain("sigmoid") == 1.0
    assert init.gain("tanh") == pytest.approx(5 / 3)
    assert init.gain("relu") == pytest.approx(math.sqrt(2))
    assert init.gain("selu") == pytest.approx(0.75)
    assert init.gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.gain("leaky_relu", 0) == pytest.approx(math.sqrt(2))


def test_unknown_gain_lists_allowed():
    with pytest.raises(ValueError, match="swish") as err:
        init.gain("swish")
    assert "tanh" in str(err.value) and "leaky_relu" in str(err.value)


def test_zeros_and_constant():
    assert not draw(init.zeros).any()
    assert (draw(init.constant, value=-2.5) == -2.5).all()


def test_normal_mean_and_std():
    x = draw(init.normal, mean=1.5, std=0.3)
    assert x.mean() == pytest.approx(1.5, abs=5 * 0.3 / math.sqrt(x.size))
    assert x.std() == pytest.approx(0.3, rel=0.02)


def test_uniform_bounds_and_variance():
    x = draw(init.uniform, a=-1.0, b=3.0)
    assert x.min() >= -1.0 and x.max() < 3.0
    assert x.min() < -0.99 and x.max() > 2.99
    assert x.var() == pytest.approx(16 / 12, rel=0.02)


@pytest.mark.parametrize("gain_value", [1.0, 2.0])
def test_xavier_normal_std(gain_value):
    expected = gain_value * math.sqrt(2 / (IN + OUT))
    assert_std(draw(init.xavier_normal, gain=gain_value), expected)


def test_xavier_uniform_bound_and_std():
    x = draw(init.xavier_uniform, gain=1.5)
    bound = 1.5 * math.sqrt(6 / (IN + OUT))
    assert np.abs(x).max() <= bound
    assert np.abs(x).max() > 0.99 * bound
    assert_std(x, bound / math.sqrt(3))


@pytest.mark.parametrize(
    "hyper, fan, gain_value",
    [
        ({}, IN, math.sqrt(2)),  # PyTorch defaults: leaky_relu with a=0 == relu
        ({"nonlinearity": "relu"}, IN, math.sqrt(2)),
        ({"mode": "fan_out"}, OUT, math.sqrt(2)),
        ({"a": 0.2}, IN, math.sqrt(2 / 1.04)),
        ({"nonlinearity": "tanh", "mode": "fan_out"}, OUT, 5 / 3),
        ({"nonlinearity": "linear"}, IN, 1.0),
    ],
)
def test_he_std(hyper, fan, gain_value):
    expected = gain_value / math.sqrt(fan)
    assert_std(draw(init.he_normal, **hyper), expected)
    x = draw(init.he_uniform, **hyper)
    assert np.abs(x).max() <= math.sqrt(3) * expected
    assert_std(x, expected)


def test_he_normal_uses_receptive_field():
    x = draw(init.he_normal, shape=(20, 30, 5, 5))
    assert_std(x, math.sqrt(2) / math.sqrt(20 * 25))


def test_lecun_normal_std():
    assert_std(draw(init.lecun_normal), 1 / math.sqrt(IN))


@pytest.mark.parametrize("shape", [(60, 40), (40, 60), (30, 30), (4, 6, 3)])
@pytest.mark.parametrize("gain_value", [1.0, 0.5])
def test_orthogonal(shape, gain_value):
    w = draw(init.orthogonal, shape=shape, gain=gain_value)
    flat = w.reshape(shape[0], -1)
    rows, cols = flat.shape
    gram = flat.T @ flat if rows >= cols else flat @ flat.T
    np.testing.assert_allclose(gram, gain_value**2 * np.eye(min(rows, cols)), atol=1e-12)


def test_orthogonal_is_not_biased_by_qr_signs():
    # numpy's Householder QR gives R[0, 0] the opposite sign of the column's first entry,
    # so without PyTorch's sign fix W[0, 0] would be negative every time.
    rng = np.random.default_rng(1)
    first_entries = np.array([init.orthogonal((8, 8), rng)[0, 0] for _ in range(400)])
    assert 0.4 < np.mean(first_entries > 0) < 0.6


def test_empty_shapes_give_empty_arrays():
    for fn, hyper in ALL:
        assert fn((0, 5), np.random.default_rng(0), **hyper).shape == (0, 5)


@pytest.mark.parametrize(
    "fn, hyper, bad",
    [
        (init.normal, {"std": -0.5}, "-0.5"),
        (init.uniform, {"a": 1.0, "b": 1.0}, "b=1.0"),
        (init.uniform, {"a": 2.0, "b": 1.0}, "b=1.0"),
        (init.xavier_normal, {"gain": -1.0}, "gain=-1.0"),
        (init.xavier_uniform, {"gain": -2.0}, "gain=-2.0"),
        (init.he_normal, {"mode": "fan_avg"}, "fan_avg"),
        (init.he_uniform, {"nonlinearity": "swish"}, "swish"),
        (init.he_normal, {"a": 0.1, "nonlinearity": "relu"}, "a=0.1"),
        (init.orthogonal, {"gain": -1.0}, "gain=-1.0"),
        (init.constant, {"value": "big"}, "big"),
    ],
)
def test_bad_hyperparameters_raise_naming_value(fn, hyper, bad):
    with pytest.raises(ValueError, match=fn.__name__) as err:
        draw(fn, (3, 4), **hyper)
    assert bad in str(err.value)


@pytest.mark.parametrize("fn, hyper", ALL, ids=lambda v: getattr(v, "__name__", ""))
def test_negative_dimension_raises(fn, hyper):
    with pytest.raises(ValueError, match=r"\(3, -1\)"):
        fn((3, -1), np.random.default_rng(0), **hyper)


def test_orthogonal_needs_two_dimensions():
    with pytest.raises(ValueError, match="orthogonal"):
        init.orthogonal((5,), np.random.default_rng(0))
