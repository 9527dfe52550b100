"""Datasets as plain arrays, and the few tools training needs around them.

A `Dataset` is `x` (N, D) float64 plus `y` and a `task`: integer labels (N,) for
"binary" and "multiclass", float targets (N, k) for "regression". `split` makes seeded
train/val/test parts, `Standardizer` rescales inputs with statistics from the training
part (and saves them as plain arrays), and `batches` yields shuffled mini-batches.
`from_file` reads a user's .csv or .npz. The generated toy datasets (xor, moons,
spirals, ...) live in `nnlite.datasets`; all are registered by name, `nl.dataset(name)`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

TASKS = ("binary", "multiclass", "regression")
MAX_AUTO_CLASSES = 20  # task="auto": at most this many integer values count as classes


@dataclass(eq=False, repr=False)
class Dataset:
    """Inputs, targets and what kind of problem they pose.

    x: (N, D) float64. y: (N,) int64 labels in [0, n_classes) for "binary" and
    "multiclass"; (N, k) float64 for "regression" (a 1-D y becomes (N, 1)).
    n_classes: 2 for binary (the default), max label + 1 for multiclass if not
    given, None for regression. Arrays are converted on construction, so
    `dataclasses.replace(ds, x=new_x)` re-checks everything.
    """

    x: np.ndarray
    y: np.ndarray
    task: str
    name: str = "dataset"
    n_classes: int | None = None

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"dataset {self.name!r}: task {self.task!r} is not one of {TASKS}")
        self.x = np.asarray(self.x, dtype=np.float64)
        if self.x.ndim != 2:
            raise ValueError(f"dataset {self.name!r}: x must be (N, D), got shape {self.x.shape}")
        if not np.all(np.isfinite(self.x)):
            raise ValueError(f"dataset {self.name!r}: x holds NaN or infinite values")
        y = np.asarray(self.y)
        if len(y) != len(self.x):
            raise ValueError(
                f"dataset {self.name!r}: x has {len(self.x)} rows but y has {len(y)}"
            )
        if self.task == "regression":
            self._check_regression(y)
        else:
            self._check_labels(y)

    def _check_regression(self, y: np.ndarray) -> None:
        if self.n_classes is not None:
            raise ValueError(f"dataset {self.name!r}: n_classes={self.n_classes} for regression")
        y = y.astype(np.float64).reshape(len(y), -1) if y.ndim == 1 else y.astype(np.float64)
        if y.ndim != 2:
            raise ValueError(f"dataset {self.name!r}: regression y must be (N, k), got {y.shape}")
        if not np.all(np.isfinite(y)):
            raise ValueError(f"dataset {self.name!r}: y holds NaN or infinite values")
        self.y = y

    def _check_labels(self, y: np.ndarray) -> None:
        if y.ndim != 1:
            raise ValueError(f"dataset {self.name!r}: {self.task} y must be (N,), got {y.shape}")
        if y.size and not np.all(np.equal(np.mod(y, 1), 0)):
            bad = y[np.not_equal(np.mod(y, 1), 0)][0]
            raise ValueError(f"dataset {self.name!r}: label {bad.item()!r} is not an integer")
        self.y = y.astype(np.int64)
        if self.n_classes is None:
            self.n_classes = 2 if self.task == "binary" else int(self.y.max(initial=1)) + 1
        if self.task == "binary" and self.n_classes != 2:
            raise ValueError(f"dataset {self.name!r}: binary task with n_classes={self.n_classes}")
        if self.n_classes < 2:
            raise ValueError(f"dataset {self.name!r}: n_classes={self.n_classes} is below 2")
        out = (self.y < 0) | (self.y >= self.n_classes)
        if np.any(out):
            raise ValueError(
                f"dataset {self.name!r}: label {self.y[out][0]} is outside [0, {self.n_classes})"
            )

    def __len__(self) -> int:
        return len(self.x)

    @property
    def n_features(self) -> int:
        """D, the number of input columns."""
        return self.x.shape[1]

    @property
    def n_outputs(self) -> int:
        """Width of the model's last layer: 1 (binary logit), n_classes, or k targets."""
        if self.task == "regression":
            return self.y.shape[1]
        return 1 if self.task == "binary" else int(self.n_classes)

    def subset(self, indices: np.ndarray) -> Dataset:
        """The rows at `indices` (any integer array), same task, name and n_classes."""
        return dataclasses.replace(self, x=self.x[indices], y=self.y[indices])

    def __repr__(self) -> str:
        classes = "" if self.n_classes is None else f", n_classes={self.n_classes}"
        return (f"Dataset({self.name!r}, task={self.task!r}, n={len(self)}, "
                f"n_features={self.n_features}{classes})")


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


class Standardizer:
    """Per-feature (x - mean) / std with statistics fitted on training inputs.

    mean, std: (D,). A constant column gets std 1 (it is only centred). `state()`
    gives plain arrays to store with a model; `from_state` rebuilds the Standardizer.
    """

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=np.float64).reshape(-1)
        self.std = np.asarray(std, dtype=np.float64).reshape(-1)
        if self.mean.shape != self.std.shape or np.any(self.std <= 0):
            raise ValueError(f"Standardizer needs equal-length mean and positive std, got "
                             f"shapes {self.mean.shape}, {self.std.shape}")

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardizer:
        """Statistics of x: (N, D), N >= 1."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or len(x) == 0:
            raise ValueError(f"Standardizer.fit needs x of shape (N, D) with N >= 1, got {x.shape}")
        mean, std = x.mean(axis=0), x.std(axis=0)
        constant = std <= 1e-10 * np.maximum(1.0, np.abs(mean))
        return cls(mean, np.where(constant, 1.0, std))

    def transform(self, x: np.ndarray) -> np.ndarray:
        """x: (N, D) -> (N, D), in x's float dtype (float64 for integer input)."""
        x = np.asarray(x)
        if x.shape[-1] != len(self.mean):
            raise ValueError(f"Standardizer was fitted on {len(self.mean)} features, "
                             f"got x of shape {x.shape}")
        dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
        return ((x - self.mean) / self.std).astype(dtype, copy=False)

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        """Undo `transform`: (N, D) standardized -> (N, D) raw."""
        return np.asarray(x) * self.std + self.mean

    def state(self) -> dict[str, np.ndarray]:
        """{"mean": (D,), "std": (D,)}, ready for np.savez."""
        return {"mean": self.mean.copy(), "std": self.std.copy()}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Standardizer:
        return cls(state["mean"], state["std"])

    def __repr__(self) -> str:
        return f"Standardizer(n_features={len(self.mean)})"


def batches(x: np.ndarray, y: np.ndarray, batch_size: int, rng: Any = None,
            shuffle: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of mini-batches (xb: (B, D), yb: (B, ...)); the last may be smaller.

    `rng` is a numpy Generator, an int seed or None (fresh entropy). Shuffling draws
    one permutation per call; without shuffle the batches are views in order.
    """
    if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size <= 0:
        raise ValueError(f"batch_size={batch_size!r} must be a positive integer")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    batch_size = int(batch_size)
    order = np.random.default_rng(rng).permutation(len(x)) if shuffle else None

    def epoch() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(x), batch_size):
            if order is None:
                yield x[start:start + batch_size], y[start:start + batch_size]
            else:
                idx = order[start:start + batch_size]
                yield x[idx], y[idx]

    return epoch()
