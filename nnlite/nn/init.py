"""Weight initializers: PyTorch's `torch.nn.init` formulas, adapted to nnlite's layout.

Every initializer is a plain function `fn(shape, rng, **hyper) -> ndarray` that draws a
float64 array from the numpy Generator `rng` (the caller, `nl.initializer`, casts to the
model's dtype). nnlite's Linear weight is (in_features, out_features), the transpose of
PyTorch's (out, in), so `fans` reads fan_in from shape[0] and fan_out from shape[1];
otherwise the definitions (including `gain`, Kaiming's `a`/`mode`/`nonlinearity` and the
sign-fixed QR of `orthogonal`) are PyTorch's, so published recipes carry over unchanged.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

Shape = tuple[int, ...]

# calculate_gain's table; leaky_relu is computed from its slope.
_FIXED_GAINS = {
    "linear": 1.0,
    "identity": 1.0,
    "sigmoid": 1.0,
    "tanh": 5.0 / 3.0,
    "relu": math.sqrt(2.0),
    "selu": 3.0 / 4.0,
}
_LEAKY_RELU_DEFAULT_SLOPE = 0.01  # PyTorch's default when no slope is given


def _check_shape(shape: Shape, initializer: str) -> Shape:
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"{initializer}: negative dimension in shape={shape}")
    return shape


def _require_hyper(ok: bool, initializer: str, name: str, value: object, requirement: str) -> None:
    if not ok:
        raise ValueError(f"{initializer}: invalid {name}={value!r}; {requirement}")


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of `shape`, in nnlite's (in, out, *receptive) layout.

    1-D (a bias, length n): (n, n). 2-D (in_features, out_features): (shape[0], shape[1]).
    N-D (in, out, k1, k2, ...): both multiplied by the receptive field k1*k2*...
    """
    shape = _check_shape(shape, "fans")
    if len(shape) == 0:
        raise ValueError("fans: a 0-d shape () has no fan_in/fan_out; give at least one dimension")
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[2:])
    return shape[0] * receptive_field, shape[1] * receptive_field


def gain(activation: str, param: float | None = None) -> float:
    """The recommended scale for weights feeding `activation` (torch.nn.init.calculate_gain).

    linear/identity/sigmoid 1, tanh 5/3, relu sqrt(2), selu 3/4,
    leaky_relu sqrt(2 / (1 + slope**2)) with slope = `param` (default 0.01).
    `param` is ignored by the other activations, as in PyTorch.
    """
    if activation == "leaky_relu":
        slope = _LEAKY_RELU_DEFAULT_SLOPE if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, numbers.Real):
            raise ValueError(f"gain: negative_slope={slope!r} for leaky_relu is not a number")
        return math.sqrt(2.0 / (1.0 + float(slope) ** 2))
    if activation in _FIXED_GAINS:
        return _FIXED_GAINS[activation]
    allowed = sorted([*_FIXED_GAINS, "leaky_relu"])
    raise ValueError(f"gain: unknown activation {activation!r}; allowed: {', '.join(allowed)}")


def zeros(shape: Shape, rng: np.random.Generator) -> np.ndarray:
    """All zeros, shape `shape`, float64 (`rng` is unused; kept for the common signature)."""
    return np.zeros(_check_shape(shape, "zeros"))


def constant(shape: Shape, rng: np.random.Generator, value: float) -> np.ndarray:
    """Every entry equal to `value` (required: there is no sensible default), float64."""
    try:
        fill = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"constant: invalid value={value!r}; it must be a number") from None
    return np.full(_check_shape(shape, "constant"), fill)


def normal(
    shape: Shape, rng: np.random.Generator, mean: float = 0.0, std: float = 1.0
) -> np.ndarray:
    """Independent draws from N(mean, std**2), shape `shape`, float64."""
    shape = _check_shape(shape, "normal")
    _require_hyper(std >= 0, "normal", "std", std, "it must be >= 0")
    _require_hyper(math.isfinite(mean), "normal", "mean", mean, "it must be finite")
    return rng.normal(mean, std, size=shape)


def uniform(
    shape: Shape, rng: np.random.Generator, a: float = 0.0, b: float = 1.0
) -> np.ndarray:
    """Independent draws from U(a, b), shape `shape`, float64; requires a < b."""
    shape = _check_shape(shape, "uniform")
    _require_hyper(math.isfinite(a), "uniform", "a", a, "it must be finite")
    _require_hyper(math.isfinite(b) and b > a, "uniform", "b", b,
                   f"it must be finite and > a={a!r}")
    return rng.uniform(a, b, size=shape)


def _symmetric_uniform(shape: Shape, rng: np.random.Generator, std: float) -> np.ndarray:
    """U(-bound, bound) with bound = sqrt(3) * std, whose standard deviation is `std`."""
    bound = math.sqrt(3.0) * std
    return rng.uniform(-bound, bound, size=shape)


def _xavier_std(shape: Shape, initializer: str, gain_value: float) -> float:
    _require_hyper(gain_value >= 0, initializer, "gain", gain_value, "it must be >= 0")
    fan_in, fan_out = fans(shape)
    if fan_in + fan_out == 0:  # an empty weight: nothing will be drawn
        return 0.0
    return gain_value * math.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform(shape: Shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot uniform: U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)), float64."""
    shape = _check_shape(shape, "xavier_uniform")
    return _symmetric_uniform(shape, rng, _xavier_std(shape, "xavier_uniform", gain))


def xavier_normal(shape: Shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot normal: N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out)), float64."""
    shape = _check_shape(shape, "xavier_normal")
    return rng.normal(0.0, _xavier_std(shape, "xavier_normal", gain), size=shape)


def _kaiming_std(shape: Shape, initializer: str, a: float, mode: str, nonlinearity: str) -> float:
    _require_hyper(mode in ("fan_in", "fan_out"), initializer, "mode", mode,
                   "use 'fan_in' or 'fan_out'")
    # PyTorch silently ignores `a` unless nonlinearity is leaky_relu; a silent no-op hides typos.
    _require_hyper(
        a == 0 or nonlinearity == "leaky_relu", initializer, "a", a,
        f"the slope is only used with nonlinearity='leaky_relu', not {nonlinearity!r}",
    )
    try:
        gain_value = gain(nonlinearity, a)
    except ValueError as err:
        raise ValueError(f"{initializer}: {err}") from None
    fan_in, fan_out = fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:  # an empty weight: nothing will be drawn
        return 0.0
    return gain_value / math.sqrt(fan)


def he_uniform(
    shape: Shape,
    rng: np.random.Generator,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:
    """Kaiming uniform: U(-b, b), b = sqrt(3) * gain(nonlinearity, a) / sqrt(fan), float64.

    `a` is the leaky_relu negative slope (0 = relu, hence gain sqrt(2)); `mode` picks
    fan = fan_in (preserves forward variance) or fan_out (preserves backward variance).
    """
    shape = _check_shape(shape, "he_uniform")
    return _symmetric_uniform(shape, rng, _kaiming_std(shape, "he_uniform", a, mode, nonlinearity))


def he_normal(
    shape: Shape,
    rng: np.random.Generator,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:
    """Kaiming normal: N(0, std**2), std = gain(nonlinearity, a) / sqrt(fan), float64.

    Arguments as in `he_uniform` (PyTorch's kaiming_normal_ names and defaults).
    """
    shape = _check_shape(shape, "he_normal")
    return rng.normal(0.0, _kaiming_std(shape, "he_normal", a, mode, nonlinearity), size=shape)


def lecun_normal(shape: Shape, rng: np.random.Generator) -> np.ndarray:
    """LeCun normal: N(0, 1 / fan_in), float64 (the SELU recommendation; not in torch.nn.init)."""
    shape = _check_shape(shape, "lecun_normal")
    fan_in, _ = fans(shape)
    std = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
    return rng.normal(0.0, std, size=shape)


def orthogonal(shape: Shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """A (semi-)orthogonal matrix times `gain`, float64, as torch.nn.init.orthogonal_.

    The shape is viewed as (rows, cols) = (shape[0], prod(shape[1:])). With rows >= cols the
    columns are orthonormal (W.T @ W = gain**2 I), otherwise the rows are (W @ W.T = gain**2 I).
    Q comes from the QR of a standard normal matrix with each column's sign set by diag(R),
    which makes Q uniformly (Haar) distributed rather than biased by the QR routine.
    """
    shape = _check_shape(shape, "orthogonal")
    _require_hyper(len(shape) >= 2, "orthogonal", "shape", shape, "it needs at least 2 dimensions")
    _require_hyper(gain >= 0, "orthogonal", "gain", gain, "it must be >= 0")
    rows = shape[0]
    cols = math.prod(shape[1:])
    if rows * cols == 0:
        return np.zeros(shape)
    flat = rng.normal(0.0, 1.0, size=(rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return np.ascontiguousarray(q.reshape(shape) * gain)
