"""Conformance check for initializers (`nnlite_initializers`): shape, dtype, finiteness,
seeding from the rng argument only, and - if promised - standard deviation and mean.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlite.testing._common import FLOATS, INIT_SHAPE, STD_TOLERANCE, checking, describe, identical


def check_initializer(factory: Any, *, expected_std: float | Callable[..., float] | None = None,
                      expected_mean: float | None = None, **kwargs: Any) -> None:
    """Check an initializer (what `nnlite_initializers` registers), called as
    `factory(shape, rng, **kwargs)`: a float32/float64 array of exactly `shape` (2-D of
    odd sizes, 1-D unless refused with ValueError), finite, drawn only from `rng` (same
    seed, same values; numpy's global random state untouched), and - if given - with
    standard deviation `expected_std` (a number, or a function of the shape) within 5%
    and mean `expected_mean`, measured over a 300 x 200 draw.
    """
    label = describe("initializer", factory, (), kwargs)

    def draw(shape: tuple[int, ...], seed: int) -> np.ndarray:
        with checking(label, f"drawing shape {shape}"):
            values = factory(shape, np.random.default_rng(seed), **copy.deepcopy(kwargs))
        array = np.asarray(values)
        if array.shape != shape:
            raise AssertionError(f"{label}: returned shape {array.shape} when asked for {shape}")
        if array.dtype not in FLOATS:
            raise AssertionError(f"{label}: returned {array.dtype} values; "
                                 "return float64 (or float32)")
        if not np.all(np.isfinite(array)):
            raise AssertionError(f"{label}: returned non-finite values for shape {shape}")
        return array

    for shape in ((5, 3), (1, 1), (1, 7), (8, 1), (7,)):
        global_state = np.random.get_state()
        try:
            first = draw(shape, 7)
        except AssertionError as err:
            if len(shape) == 1 and isinstance(err.__cause__, ValueError):
                continue  # an initializer may refuse 1-D shapes it cannot define
            raise
        if not identical(draw(shape, 7), first):
            raise AssertionError(f"{label}: two draws with the same seed differ (shape {shape}); "
                                 "draw only from the rng argument")
        after = np.random.get_state()
        if not (np.array_equal(global_state[1], after[1]) and global_state[2:] == after[2:]):
            raise AssertionError(f"{label}: used numpy's global random state; draw from the "
                                 "rng argument so that seeds reproduce runs")
    if expected_std is None and expected_mean is None:
        return
    values = draw(INIT_SHAPE, 11).astype(np.float64)
    n = values.size
    if expected_std is not None:
        std = float(expected_std(INIT_SHAPE) if callable(expected_std) else expected_std)
        measured = float(values.std())
        if not abs(measured - std) <= STD_TOLERANCE * std + 1e-12:
            raise AssertionError(f"{label}: standard deviation {measured:.4g} for shape "
                                 f"{INIT_SHAPE}, expected {std:.4g} (within {STD_TOLERANCE:.0%})")
    if expected_mean is not None:
        spread = float(values.std())
        mean = float(values.mean())
        if not abs(mean - expected_mean) <= 6 * spread / math.sqrt(n) + 1e-12:
            raise AssertionError(f"{label}: mean {mean:.4g} for shape {INIT_SHAPE}, "
                                 f"expected {expected_mean:.4g}")


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    from nnlite.nn.init import fans

    return fans(shape)
