"""`check_scale`: refuse data whose size alone would break the arithmetic.

Values near 1e300 are finite, but their squares are not: the standardiser's std becomes
infinite and every input 0, and a float32 model overflows in its first product. Such
data is refused up front, naming the column, instead of training to chance.
"""

from __future__ import annotations

import numpy as np


class ScaleError(ValueError):
    """Data values not finite, or too large for the arithmetic (the message names the column)."""


def largest_safe(dtype: np.dtype | type) -> float:
    """The largest magnitude whose square is still finite in `dtype` (1.8e19 for float32,
    1.3e154 for float64): sums of squares (std, MSE, matrix products) stay finite."""
    return float(np.sqrt(np.finfo(dtype).max)) / 1e3  # room for sums over rows


def check_scale(values: np.ndarray, dtype: np.dtype | type, what: str = "input") -> None:
    """ValueError naming the first column of `values` (N, D) that is not finite or too
    large for `dtype` arithmetic, with what to do about it."""
    values = np.asarray(values)
    if values.dtype.kind not in "fiu" or values.size == 0:
        return
    columns = values.reshape(len(values), -1).astype(np.float64, copy=False)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(columns)
        if bad.any():
            col = int(np.nonzero(bad.any(axis=0))[0][0])
            raise ScaleError(f"{what} column {col} holds a value that is not a number "
                             f"({float(columns[bad[:, col], col][0])}): remove or fill it")
        peak = np.abs(columns).max(axis=0)
    limit = largest_safe(dtype)
    if (peak > limit).any():
        col = int(np.argmax(peak > limit))
        raise ScaleError(f"{what} column {col} holds values up to {peak[col]:.3g}, too large "
                         f"for {np.dtype(dtype).name} arithmetic (over {limit:.3g}, their "
                         f"squares overflow): rescale the data, e.g. divide that column by "
                         f"a power of ten")
