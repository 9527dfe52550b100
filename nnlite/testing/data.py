"""Conformance checks for data sources: datasets (`nnlite_datasets`) and learning-rate
schedules (`nnlite_schedules`), called as runs call them.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from nnlite.testing._common import checking, describe, identical, parameters_of


def check_dataset(factory: Any, **kwargs: Any) -> None:
    """Check a dataset function (what `nnlite_datasets` registers), called as
    `factory(seed=..., **kwargs)` as runs do: it returns an nl.Dataset, the same seed
    gives the same arrays, and `n_samples` (if it takes it) is honoured."""
    from nnlite.data import Dataset

    label = describe("dataset", factory, (), kwargs)
    takes = parameters_of(factory)
    if "seed" not in takes and not any(p.kind == p.VAR_KEYWORD for p in takes.values()):
        raise AssertionError(f"{label}: takes no `seed`; runs pass their seed to the dataset")

    def make(**extra: Any) -> Any:
        with checking(label, f"calling it with {extra}"):
            ds = factory(**copy.deepcopy(kwargs), **extra)
        if not isinstance(ds, Dataset):
            raise AssertionError(f"{label}: returned {type(ds).__name__}, not an nl.Dataset")
        return ds

    first, again = make(seed=3), make(seed=3)
    if not (identical(first.x, again.x) and identical(first.y, again.y)):
        raise AssertionError(f"{label}: the same seed gave different data; generate from the seed")
    if "n_samples" in takes and "n_samples" not in kwargs and len(first) >= 9 \
            and len(make(seed=3, n_samples=9)) != 9:
        raise AssertionError(f"{label}: n_samples=9 did not give 9 samples")


def check_schedule(factory: Any, **kwargs: Any) -> None:
    """Check a learning-rate schedule (what `nnlite_schedules` registers), called as
    `factory(base_lr=0.1, epochs=20, **kwargs)`: it returns `lr_at(epoch)` giving a
    finite lr >= 0 (a decay may reach 0; optimizers refuse negatives) for every epoch,
    the same each time."""
    label = describe("schedule", factory, (), kwargs)
    with checking(label, "building it with base_lr=0.1, epochs=20"):
        lr_at = factory(base_lr=0.1, epochs=20, **copy.deepcopy(kwargs))
    if not callable(lr_at):
        raise AssertionError(f"{label}: returned {type(lr_at).__name__}, not lr_at(epoch)")
    for epoch in range(20):
        with checking(label, f"lr_at({epoch})"):
            lr = lr_at(epoch)
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating, np.integer)) \
                or not (math.isfinite(lr) and lr >= 0):
            raise AssertionError(f"{label}: lr_at({epoch}) = {lr!r}; every epoch needs a finite "
                                 "learning rate >= 0")
        if lr_at(epoch) != lr:
            raise AssertionError(f"{label}: lr_at({epoch}) changed between calls")
