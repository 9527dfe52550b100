"""A user's own data from a .csv or .npz file."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np

from nnlite.data.dataset import MAX_AUTO_CLASSES, TASKS, Dataset
from nnlite.data.generated import check_samples_and_noise
from nnlite.data.split import subsample


def from_file(path: str | Path, target: int | str = -1, task: str = "auto",
              n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """A dataset from a .csv or .npz file; relative paths start at the working directory.

    .csv: numbers separated by commas, an optional header row (detected: a first row
    with any non-numeric cell); `target` is the column holding y, by index (default:
    the last) or by header name; the other columns are x. .npz: arrays `x` (N, D) and
    `y` (N,) or (N, k); `target` is ignored. task "auto" reads integer-valued 1-D
    targets with at most 20 distinct values as classes (binary if at most 2), anything
    else as regression. Classification labels are mapped, in sorted order, to 0..k-1.
    `n_samples` picks a seeded subset; `noise` adds gaussian noise to x.
    """
    file = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    if not file.is_file():
        raise FileNotFoundError(f"dataset file {str(path)!r} not found (looked in {Path.cwd()})")
    if file.suffix.lower() == ".csv":
        x, y = _read_csv(file, target)
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
    task, y, n_classes = _resolve_task(np.asarray(y, dtype=np.float64), task, file)
    check_samples_and_noise(1 if n_samples is None else n_samples, noise)
    rng = np.random.default_rng(seed)
    ds = subsample(Dataset(x, y, task, name=file.stem, n_classes=n_classes), n_samples, rng)
    if noise:
        ds = dataclasses.replace(ds, x=ds.x + noise * rng.standard_normal(ds.x.shape))
    return ds


def _read_csv(file: Path, target: int | str) -> tuple[np.ndarray, np.ndarray]:
    """x: (N, D) and y: (N,) from a numeric CSV; errors give line, column and cell."""
    rows = []  # (line number, cells), blank lines skipped
    # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first cell
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    if not rows:
        raise ValueError(f"{file}: the CSV file is empty")
    header = None
    try:
        [float(cell) for cell in rows[0][1]]
    except ValueError:
        header = [cell.strip() for cell in rows[0][1]]
        rows = rows[1:]
    width = len(header) if header else len(rows[0][1])
    if not rows or width < 2:
        raise ValueError(f"{file}: need at least one data row and two columns")
    values = np.empty((len(rows), width))
    for i, (line, row) in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"{file}: line {line} has {len(row)} columns, expected {width}")
        for j, cell in enumerate(row):
            try:
                values[i, j] = float(cell)
            except ValueError:
                raise ValueError(f"{file}: line {line}, column {j + 1}: {cell!r} "
                                 "is not a number") from None
    if isinstance(target, str):
        if header is None or target not in header:
            known = f"columns are {header}" if header else "the file has no header row"
            raise ValueError(f"{file}: target column {target!r} not found; {known}")
        target = header.index(target)
    if not -width <= target < width:
        raise ValueError(f"{file}: target={target} is out of range for {width} columns")
    target %= width
    return np.delete(values, target, axis=1), values[:, target]


def _resolve_task(y: np.ndarray, task: str, file: Path) -> tuple[str, np.ndarray, int | None]:
    """(task, y, n_classes) with classification labels remapped to 0..k-1."""
    if task not in TASKS + ("auto",):
        raise ValueError(f"task={task!r} must be 'auto' or one of {TASKS}")
    flat = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    integral = flat.ndim == 1 and bool(np.all(flat == np.round(flat)))
    if task == "auto":
        task = "regression"
        if integral and len(np.unique(flat)) <= MAX_AUTO_CLASSES:
            task = "binary" if len(np.unique(flat)) <= 2 else "multiclass"
    if task == "regression":
        return task, y, None
    if not integral:
        raise ValueError(f"{file}: task {task!r} needs one column of integer labels")
    classes, labels = np.unique(flat, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"{file}: every target is {classes[0]:g}; a {task} task needs at "
                         "least two classes (task='regression' if the values are numbers)")
    if task == "binary" and len(classes) > 2:
        raise ValueError(f"{file}: task 'binary' but the target has {len(classes)} values")
    return task, labels.reshape(-1), len(classes)
