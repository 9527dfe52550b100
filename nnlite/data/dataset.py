"""`Dataset`: inputs, targets and the kind of problem they pose, checked on construction.

A `Dataset` is `x` (N, D) float64 plus `y` and a `task`: integer labels (N,) for
"binary" and "multiclass", float targets (N, k) for "regression". Everything else in
`nnlite.data` makes, splits or rescales Datasets.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

TASKS = ("binary", "multiclass", "regression")
MAX_AUTO_CLASSES = 20  # task="auto": at most this many integer values count as classes


@dataclass(eq=False, repr=False)
class Dataset:
    """Inputs, targets and what kind of problem they pose.

    x: (N, D) float64. y: (N,) int64 labels in [0, n_classes) for "binary" and
    "multiclass"; (N, k) float64 for "regression" (a 1-D y becomes (N, 1)).
    n_classes: 2 for binary (the default), max label + 1 for multiclass if not
    given, None for regression. classes: what each label stands for (a file's own
    labels, say text), or None when the labels are the classes. Arrays are converted
    on construction, so `dataclasses.replace(ds, x=new_x)` re-checks everything.
    """

    x: np.ndarray
    y: np.ndarray
    task: str
    name: str = "dataset"
    n_classes: int | None = None
    classes: tuple | None = None  # the label of each class index, e.g. ("cat", "dog")

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"dataset {self.name!r}: task {self.task!r} is not one of {TASKS}")
        self.x = np.asarray(self.x, dtype=np.float64)
        if self.x.ndim != 2:
            raise ValueError(f"dataset {self.name!r}: x must be (N, D), got shape {self.x.shape}")
        if not np.all(np.isfinite(self.x)):
            row, col = np.argwhere(~np.isfinite(self.x))[0]
            raise ValueError(f"dataset {self.name!r}: x holds NaN or infinite values (input "
                             f"column {col}, row {row}: {self.x[row, col]})")
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
