"""Activation functions as Modules, each with its derivative written out.

Elementwise activations subclass `Elementwise` and give `f(x)` and `df(x, y)` (the
derivative, given the input x and the output y = f(x), whichever is cheaper); the base
class caches and applies the chain rule dx = dout * f'(x). Softmax and log-softmax
act along the last axis, so their backward is a Jacobian-vector product instead.
Every formula is the numerically stable form: no overflow warnings at |x| = 1e4.
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.nn.module import Module


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) computed from e^-|x| (never overflows): x >= 0: 1/(1+e^-x);
    x < 0: e^x/(1+e^x)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Elementwise(Module):
    """y = f(x) applied elementwise; backward dx = dout * df(x, y). Shapes: any -> same."""

    def __init__(self) -> None:
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None

    def f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def df(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        self._y = self.f(x)
        return self._y

    @property
    def output(self) -> np.ndarray | None:
        """The last forward's output y = f(x) (None before the first), for diagnostics."""
        return self._y

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._require_forward(self._x)
        return dout * self.df(self._x, self._y)


class Identity(Elementwise):
    """f(x) = x, f'(x) = 1."""

    def f(self, x):
        return x

    def df(self, x, y):
        return np.ones_like(x)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class Sigmoid(Elementwise):
    """f(x) = 1 / (1 + e^-x), f'(x) = f(x) (1 - f(x)) — at most 1/4, ~0 when saturated."""

    def f(self, x):
        return stable_sigmoid(x)

    def df(self, x, y):
        return y * (1.0 - y)


class Tanh(Elementwise):
    """f(x) = tanh(x), f'(x) = 1 - tanh(x)^2."""

    def f(self, x):
        return np.tanh(x)

    def df(self, x, y):
        return 1.0 - y * y


class ReLU(Elementwise):
    """f(x) = max(x, 0), f'(x) = 1 if x > 0 else 0 (0 at x = 0, as in the course notes).

    The max is taken against an array of zeros kept between calls: numpy's vectorized
    maximum wants two arrays, and is ~3x slower against the scalar 0.
    """

    def __init__(self) -> None:
        super().__init__()
        self._zeros = np.zeros(0)

    def f(self, x):
        x = np.asarray(x)
        if self._zeros.shape != x.shape or self._zeros.dtype != x.dtype:
            self._zeros = np.zeros(x.shape, dtype=np.result_type(x.dtype, 0.0))
        return np.maximum(x, self._zeros)

    def df(self, x, y):
        return (x > 0).astype(x.dtype)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._require_forward(self._x)
        return dout * (self._x > 0)  # a bool mask: one pass, no float copy of f'(x)


class LeakyReLU(Elementwise):
    """f(x) = x if x > 0 else negative_slope * x; f'(x) = 1 or negative_slope."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def f(self, x):
        return np.where(x > 0, x, x * self.negative_slope)

    def df(self, x, y):
        return np.where(x > 0, 1.0, self.negative_slope).astype(x.dtype)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Elementwise):
    """f(x) = x if x > 0 else alpha (e^x - 1); f'(x) = 1 or f(x) + alpha."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        if alpha < 0:
            raise ValueError(f"elu: alpha must be >= 0, got {alpha!r}")
        self.alpha = float(alpha)

    def f(self, x):
        # exp of min(x, 0): the positive branch is never exponentiated, so no overflow.
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))

    def df(self, x, y):
        return np.where(x > 0, 1.0, y + self.alpha).astype(x.dtype)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(Elementwise):
    """GELU in its tanh approximation (PyTorch's approximate="tanh"):
    f(x) = x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3);
    f'(x) = (1 + tanh u)/2 + x/2 (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
    Computed as (1 + tanh u)/2 = sigmoid(2u) and (1 - tanh^2 u) = 4 s (1 - s): for
    x < 0, 1 + tanh u cancels to nothing (x = -6: 1e-8 from two numbers near 1) while
    the sigmoid keeps full precision. (numpy has no erf, and the core stays numpy-only.)"""

    C = math.sqrt(2.0 / math.pi)
    K = 0.044715

    def _half_one_plus_tanh_u(self, x):
        # The cubic overflows float32 above |x| ~ 7e12; from |x| = 1e4 on the sigmoid is
        # exactly 0 or 1 already (e^-7e10), so clipping there changes nothing else.
        xc = np.clip(x, -1e4, 1e4)
        return stable_sigmoid(2.0 * self.C * (xc + self.K * xc**3)), xc

    def f(self, x):
        s, _ = self._half_one_plus_tanh_u(x)
        return x * s

    def df(self, x, y):
        s, xc = self._half_one_plus_tanh_u(x)
        return s + 2.0 * xc * s * (1.0 - s) * self.C * (1.0 + 3.0 * self.K * xc * xc)


class Softplus(Elementwise):
    """f(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|) (stable); f'(x) = sigmoid(x)."""

    def f(self, x):
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    def df(self, x, y):
        return stable_sigmoid(x)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x - max) / sum(exp(x - max)) along `axis`: shifting by the max avoids overflow."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """x - logsumexp(x) along `axis`, with the max shifted out first."""
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class Softmax(Module):
    """s = softmax(x) along the last axis. x: (N, C) -> s: (N, C).

    The Jacobian is diag(s) - s s^T; backward applies it to dout without building it:
    dx = s * (dout - sum(dout * s)).
    """

    def __init__(self) -> None:
        self._s: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._s = softmax(x)
        return self._s

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._require_forward(self._s)
        s = self._s
        return s * (dout - (dout * s).sum(axis=-1, keepdims=True))


class LogSoftmax(Module):
    """y = x - logsumexp(x) along the last axis. x: (N, C) -> y: (N, C).

    dy_i/dx_j = delta_ij - s_j, so dx = dout - s * sum(dout).
    """

    def __init__(self) -> None:
        self._y: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._y = log_softmax(x)
        return self._y

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._require_forward(self._y)
        return dout - np.exp(self._y) * dout.sum(axis=-1, keepdims=True)
