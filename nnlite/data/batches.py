"""`batches`: one epoch of shuffled mini-batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from nnlite.checks import require_int


def batches(x: np.ndarray, y: np.ndarray, batch_size: int, rng: Any = None,
            shuffle: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of mini-batches (xb: (B, D), yb: (B, ...)); the last may be smaller.

    `rng` is a numpy Generator, an int seed or None (fresh entropy). Shuffling draws
    one permutation per call; without shuffle the batches are views in order.
    """
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    batch_size = require_int("batch_size", batch_size)
    order = np.random.default_rng(rng).permutation(len(x)) if shuffle else None

    def epoch() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(x), batch_size):
            if order is None:
                yield x[start:start + batch_size], y[start:start + batch_size]
            else:
                idx = order[start:start + batch_size]
                yield x[idx], y[idx]

    return epoch()
