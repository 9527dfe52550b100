"""Seeded subsets and train/val/test splits of a Dataset."""

from __future__ import annotations

import math

import numpy as np

from nnlite.data.dataset import Dataset


def subsample(ds: Dataset, n_samples: int | None, rng: np.random.Generator) -> Dataset:
    """`n_samples` rows drawn without replacement (original order kept); None keeps all."""
    if n_samples is None:
        return ds
    if not 1 <= n_samples <= len(ds):
        raise ValueError(f"n_samples={n_samples} must be in [1, {len(ds)}] for {ds.name!r}")
    return ds.subset(np.sort(rng.choice(len(ds), size=n_samples, replace=False)))


def split(dataset: Dataset, val_fraction: float = 0.2, test_fraction: float = 0.0,
          seed: int = 0, stratify: bool = True) -> dict[str, Dataset]:
    """Seeded split into {"train", "val" (if val_fraction > 0), "test" (if test_fraction > 0)}.

    Each part gets round(N * fraction) rows, at least 1 when its fraction is above 0;
    a split that would leave train empty (e.g. 1 row with val_fraction > 0) is an
    error. With `stratify`, classification parts keep the class proportions as
    closely as whole rows allow. Rows keep their original order within a part.
    """
    for label, value in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{label}={value!r} must be in [0, 1)")
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction = {val_fraction + test_fraction!r} "
                         "must be below 1 to leave training rows")
    n = len(dataset)
    counts = {name: max(1, math.floor(n * frac + 0.5)) if frac > 0 else 0
              for name, frac in (("test", test_fraction), ("val", val_fraction))}
    if n - counts["test"] - counts["val"] < 1:
        raise ValueError(f"dataset {dataset.name!r} has {n} rows: val_fraction={val_fraction} "
                         f"and test_fraction={test_fraction} leave no training rows")
    order = np.random.default_rng(seed).permutation(n)
    if stratify and dataset.task != "regression":
        # Rank each row within its class (in shuffled order) as a fraction of the class
        # size; taking the smallest ranks first takes every class in proportion.
        labels = dataset.y[order]
        rank = np.empty(n)
        for c in np.unique(labels):
            members = np.flatnonzero(labels == c)
            rank[members] = (np.arange(len(members)) + 0.5) / len(members)
        order = order[np.argsort(rank, kind="stable")]
    parts, start = {}, 0
    for name in ("test", "val"):
        if counts[name]:
            parts[name] = np.sort(order[start:start + counts[name]])
            start += counts[name]
    result = {"train": dataset.subset(np.sort(order[start:]))}
    result.update({name: dataset.subset(parts[name]) for name in ("val", "test") if name in parts})
    return result
