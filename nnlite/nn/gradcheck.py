"""Numerical derivatives by central differences, to check every analytic backward.

`jacobian(f, x)` gives d f(x) / d x as an array of shape f(x).shape + x.shape;
`gradcheck(module, x)` compares a module's backward (w.r.t. its input and every
parameter) against central differences in float64 and returns the errors.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from nnlite.nn.input_grad import backward_with_input_grad
from nnlite.nn.module import Module


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f() / d array by central differences, perturbing `array` in place (restored after)."""
    grad = np.zeros_like(array, dtype=np.float64)
    flat, gflat = array.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        plus = f()
        flat[i] = original - eps
        minus = f()
        flat[i] = original
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def jacobian(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f(x) / d x by central differences: shape f(x).shape + x.shape, float64.

    f must compute in float64 (a float32 model: build it with dtype="float64"): in
    float32 a step of eps = 1e-6 is lost in rounding and the result is noise.

    Every call of f gets its own perturbed copy of x, and each output is copied before
    the next call: f may return its input or a view of it (the identity, Flatten,
    Dropout in eval mode), or reuse one output buffer, and the differences stay right.
    """
    x = np.array(x, dtype=np.float64)
    out = np.asarray(f(x.copy()))
    if out.dtype != np.float64:
        raise ValueError(f"jacobian: f returned {out.dtype}, not float64; central differences "
                         f"with eps={eps} need float64 (e.g. a model built with dtype='float64')")
    out_shape = out.shape
    jac = np.zeros(out_shape + x.shape)
    jflat = jac.reshape(out_shape + (x.size,))

    def f_at(i: int, step: float) -> np.ndarray:
        moved = x.copy()
        moved.reshape(-1)[i] += step
        return np.array(f(moved), dtype=np.float64)  # np.array copies: f may return `moved`

    for i in range(x.size):
        jflat[..., i] = (f_at(i, eps) - f_at(i, -eps)) / (2 * eps)
    return jac


def rel_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """||a - b|| / max(||a|| + ||b||, floor) over the whole tensor.

    Norm-wise rather than elementwise: an entry that is itself ~1e-6 (a nearly flat
    spot) carries central-difference round-off far above 1e-6 relative to itself,
    while the tensor as a whole is still exact to ~1e-9.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def roundoff_floor(terms: np.ndarray, size: int, eps: float) -> float:
    """The gradient norm below which central differences of sum(terms) cannot check a
    gradient to 1e-6: a million times their round-off.

    Each difference carries round-off of about machine-eps * sum|terms| / eps (about
    2e-10 for terms of size 1 and eps = 1e-6). A gradient not much larger than that, as
    of tanh at x = 6.5 (slope 8.6e-6), would show the round-off as a relative error of
    1e-6 and fail a correct backward; measured against this floor instead, the largest
    error of a correct backward over 4,500 random cases of the property tests was 4e-7,
    while a 10% mistake in a gradient of norm 1e-3 still shows as 1e-2.
    """
    noise = np.finfo(np.float64).eps * float(np.sum(np.abs(terms))) / eps
    return max(1e6 * noise * np.sqrt(size), 1e-8)


def gradcheck(
    module: Module,
    x: np.ndarray,
    dout: np.ndarray | None = None,
    eps: float = 1e-6,
    before_forward: Callable[[], None] | None = None,
) -> dict[str, float]:
    """Relative error of `module.backward` against central differences, per tensor.

    The scalar checked is sum(forward(x) * dout) (dout random if not given), so the
    analytic gradient is backward(dout). The module must hold float64 parameters and x
    is cast to float64. `before_forward` runs before every forward (e.g. to re-seed a
    Dropout so that every evaluation uses the same mask). Returns {"input": err,
    "<param name>": err, ...}; a correct backward gives errors around 1e-8 or less. A
    gradient too small for central differences to resolve is measured against their
    round-off (`roundoff_floor`), so a saturated tanh passes and a wrong one does not.
    """
    x = np.array(x, dtype=np.float64)
    for name, p in module.named_parameters():
        if p.data.dtype != np.float64:
            raise ValueError(f"gradcheck needs float64 parameters; {name} is {p.data.dtype}")

    def forward() -> np.ndarray:
        if before_forward is not None:
            before_forward()
        return module.forward(x)

    out = forward()
    if dout is None:
        dout = np.random.default_rng(0).standard_normal(out.shape)
    terms = out * dout  # before any later forward can reuse `out`'s buffer
    module.zero_grad()
    dx = backward_with_input_grad(module, dout, True)  # asked for, even of a network

    def scalar() -> float:
        return float(np.sum(forward() * dout))

    def error(analytic: np.ndarray, array: np.ndarray) -> float:
        numeric = numerical_gradient(scalar, array, eps)
        return rel_error(analytic, numeric, roundoff_floor(terms, array.size, eps))

    errors = {"input": error(dx, x)}
    for name, p in module.named_parameters():
        errors[name] = error(p.grad, p.data)
    return errors
