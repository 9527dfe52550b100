"""Comparing a student's array with the right one, and saying how they differ when no
named mistake explains it: a flipped sign, a factor (the batch size N, or a constant), a
transpose, a wrong shape, values that are not finite, or else which entries differ and
by how much.

Every comparison is made in float64. A float32 trial is compared with a looser
tolerance than a float64 one: its answer carries float32 rounding (about 1e-7 of each
value), while the numerical gradient it is compared with was computed in float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.explain.notation import num

# (rtol, atol relative to the largest |value|) per dtype of a trial
TOLERANCE = {np.dtype(np.float64): (1e-5, 1e-7), np.dtype(np.float32): (2e-3, 2e-4)}


def as_array(value: Any) -> np.ndarray | None:
    """The value as a float64 array, or None when it is not an array of numbers."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    if array.dtype.kind not in "biuf" or array.dtype == np.bool_:
        return None
    return array.astype(np.float64)


def close(got: np.ndarray | None, want: np.ndarray | None, dtype: Any = np.float64) -> bool:
    """Same shape and the same values within the trial dtype's tolerance."""
    if got is None or want is None or got.shape != want.shape:
        return False
    if not np.all(np.isfinite(got)):
        return False
    rtol, atol = TOLERANCE[np.dtype(dtype)]
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    return bool(np.allclose(got, want, rtol=rtol, atol=atol * scale))


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def scale_factor(got: np.ndarray, want: np.ndarray, dtype: Any) -> float | None:
    """c with got = c * want (least squares), when that holds within tolerance."""
    if got.shape != want.shape or not np.any(want):
        return None
    c = float(np.vdot(got, want) / np.vdot(want, want))
    return c if close(got, c * want, dtype) else None


def generic(got: list[np.ndarray | None], want: list[np.ndarray], dtypes: list[Any],
            batches: list[int], shape_of: str) -> str | None:
    """A mistake common to every exercise, when every trial shows the same one.

    got/want/dtypes/batches: one entry per trial (got None where the function raised);
    shape_of: what the value is the gradient of ('W', 'x'), to name the right shape.
    """
    trials = [(g, w, d, n) for g, w, d, n in zip(got, want, dtypes, batches) if g is not None]
    if not trials:
        return None
    rule = (f"Entry (i, j) of a gradient belongs to entry (i, j) of {shape_of}: for "
            "W^(l)_ij, i is the unit of layer l-1 and j the unit of layer l")
    if all(g.shape == w.T.shape and close(g, w.T, d) for g, w, d, _ in trials) and not all(
            close(g, w, d) for g, w, d, _ in trials):
        w = trials[0][1]
        return (f"is transposed: it is the right gradient's transpose, of shape "
                f"{shape_text(w.T.shape)} where {shape_of} has {shape_text(w.shape)}. {rule}")
    wrong = [(g, w) for g, w, _, _ in trials if g.shape != w.shape]
    if wrong:
        g, w = wrong[0]
        if g.shape == w.T.shape:
            return (f"has shape {shape_text(g.shape)}, transposed: {shape_of} has "
                    f"{shape_text(w.shape)}. {rule}")
        return (f"has shape {shape_text(g.shape)}; it must have the shape of {shape_of}, "
                f"{shape_text(w.shape)}")
    if all(close(g, -w, d) for g, w, d, _ in trials):
        return "has the sign flipped: it is minus the right gradient on every trial"
    factors = [scale_factor(g, w, d) for g, w, d, _ in trials]
    if all(c is not None for c in factors):
        if all(abs(c - n) < 1e-6 * n for c, (_, _, _, n) in zip(factors, trials)):
            return ("is N times too large (N = the batch size, the rows): a 1/N is missing, "
                    "or a sum over the batch where a mean belongs")
        if all(abs(c * n - 1) < 1e-6 for c, (_, _, _, n) in zip(factors, trials)):
            return ("is divided by N (the batch size): the gradients are summed over the "
                    "batch here, not averaged")
        if all(abs(c - factors[0]) < 1e-6 * abs(factors[0]) for c in factors):
            return f"is {num(factors[0])} times the right gradient on every trial"
    return None


def differences(got: np.ndarray, want: np.ndarray, dtype: Any, shown: int = 3) -> str:
    """Which entries differ and by how much (indices from 0, as numpy counts)."""
    rtol, atol = TOLERANCE[np.dtype(dtype)]
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol * scale)
    where = np.argwhere(bad)
    order = np.argsort(-np.abs(got - want)[bad], kind="stable")[:shown]
    parts = [f"[{', '.join(str(int(i)) for i in where[k])}] yours {num(got[tuple(where[k])])}, "
             f"right {num(want[tuple(where[k])])}" for k in order]
    return (f"{int(bad.sum())} of {bad.size} entries differ (largest difference "
            f"{num(float(np.max(np.abs(got - want))))}): " + "; ".join(parts))
