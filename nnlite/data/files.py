"""A user's own data from a .csv or .npz file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from nnlite.data.dataset import MAX_AUTO_CLASSES, TASKS, Dataset
from nnlite.data.generated import check_samples_and_noise
from nnlite.data.split import subsample
from nnlite.data.tables import read_table


def from_file(path: str | Path, target: int | str = -1, task: str = "auto",
              n_samples: int | None = None, noise: float = 0.0, seed: int = 0,
              delimiter: str = ",", header: bool | str = "auto") -> Dataset:
    """A dataset from a .csv or .npz file; relative paths start at the working directory.

    .csv: cells separated by `delimiter` (one character: "," ";" "\\t" ...), with a header
    row if `header` is true, none if false, or for "auto" if the first row has a
    non-numeric cell; `target` is the column holding y, by index (default: the last) or
    by header name; the other columns, all numbers, are x. The target may hold text
    labels ("cat", "dog"): they are classes. .npz: arrays `x` (N, D) and `y` (N,) or
    (N, k); `target`, `delimiter` and `header` are ignored. task "auto" reads text
    labels, and integer-valued 1-D targets with at most 20 distinct values, as classes
    (binary if at most 2), anything else as regression. Class labels are mapped, in
    sorted order, to 0..k-1 (`Dataset.classes` keeps the originals).
    `n_samples` picks a seeded subset; `noise` adds gaussian noise to x.
    """
    file = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    if not file.is_file():
        raise FileNotFoundError(f"dataset file {str(path)!r} not found (looked in {Path.cwd()})")
    if file.suffix.lower() == ".csv":
        x, y = _read_csv(file, target, delimiter, header)
    elif file.suffix.lower() == ".npz":
        with np.load(file, allow_pickle=False) as arrays:
            if "x" not in arrays or "y" not in arrays:
                raise ValueError(f"{file}: an .npz dataset needs arrays 'x' and 'y', "
                                 f"found {sorted(arrays.files)}")
            x, y = arrays["x"], arrays["y"]
        x = x.reshape(len(x), -1) if x.ndim == 1 else x
    else:
        raise ValueError(f"dataset file {str(path)!r}: unsupported suffix {file.suffix!r} "
                         "(use .csv or .npz)")
    task, y, n_classes, classes = _resolve_task(np.asarray(y), task, file)
    check_samples_and_noise(1 if n_samples is None else n_samples, noise)
    rng = np.random.default_rng(seed)
    ds = subsample(Dataset(x, y, task, name=file.stem, n_classes=n_classes, classes=classes),
                   n_samples, rng)
    if noise:
        ds = dataclasses.replace(ds, x=ds.x + noise * rng.standard_normal(ds.x.shape))
    return ds


def _read_csv(file: Path, target: int | str, delimiter: str,
              header: bool | str) -> tuple[np.ndarray, np.ndarray]:
    """x: (N, D) floats and y: (N,) numbers or text labels from a CSV file."""
    table = read_table(file, delimiter, header)
    index = table.column_index(target)
    return table.numbers([j for j in range(table.width) if j != index]), table.column(index)


def _resolve_task(y: np.ndarray, task: str,
                  file: Path) -> tuple[str, np.ndarray, int | None, tuple | None]:
    """(task, y, n_classes, classes) with class labels remapped to 0..k-1; `classes`
    keeps the file's own labels when they are not already 0..k-1."""
    if task not in TASKS + ("auto",):
        raise ValueError(f"task={task!r} must be 'auto' or one of {TASKS}")
    flat = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    text = flat.dtype.kind in "USO"
    if text and task == "regression":
        raise ValueError(f"{file}: task 'regression' needs numbers in the target column, "
                         f"found text such as {str(flat[0])!r}")
    integral = text or (flat.ndim == 1 and bool(np.all(flat == np.round(flat))))
    if task == "auto":
        task = "regression"
        if text or (integral and len(np.unique(flat)) <= MAX_AUTO_CLASSES):
            task = "binary" if len(np.unique(flat)) <= 2 else "multiclass"
    if task == "regression":
        return task, y.astype(np.float64), None, None
    if not integral:
        raise ValueError(f"{file}: task {task!r} needs one column of integer or text labels")
    values, labels = np.unique(flat, return_inverse=True)
    if len(values) < 2:
        raise ValueError(f"{file}: every target is {_label(values[0])}; a {task} task needs at "
                         "least two classes (task='regression' if the values are numbers)")
    if task == "binary" and len(values) > 2:
        raise ValueError(f"{file}: task 'binary' but the target has {len(values)} values")
    classes = tuple(_label(v) for v in values)
    same = not text and classes == tuple(range(len(values)))
    return task, labels.reshape(-1), len(values), None if same else classes


def _label(value: np.generic) -> str | int | float:
    """A class label as plain Python: text, or a whole number as an int."""
    value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
