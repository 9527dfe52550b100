"""Toy datasets generated locally from a seed, and a user's own data from a file.

Every function has the shape `fn(n_samples=..., noise=..., seed=0, **specific)` and
returns an `nnlite.data.Dataset` with float64 inputs; the same seed gives the same
arrays. Nothing is downloaded: `digits` reads the copy shipped inside scikit-learn
(the optional extra `nnlite[digits]`). They are registered by name through
`nnlite.builtin.datasets`, so `nl.dataset("moons", n_samples=100)` reaches them.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np

from nnlite.data import MAX_AUTO_CLASSES, TASKS, Dataset, subsample

# name -> (f, default (x_min, x_max)); ranges chosen so every f stays within [-1, 1].
REGRESSION_FUNCTIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = {
    "sine": (np.sin, (-np.pi, np.pi)),
    "cosine": (np.cos, (-np.pi, np.pi)),
    "abs": (np.abs, (-1.0, 1.0)),
    "square": (np.square, (-1.0, 1.0)),
    "cubic": (lambda x: x ** 3, (-1.0, 1.0)),
    "step": (lambda x: np.where(x < 0, 0.0, 1.0), (-1.0, 1.0)),
    "sawtooth": (lambda x: 2.0 * (x - np.floor(x + 0.5)), (-2.0, 2.0)),  # period 1, [-1, 1)
    "bump": (lambda x: np.exp(-x ** 2), (-3.0, 3.0)),  # gaussian bump
}


def _check_count(label: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{label}={value!r} must be an integer >= {minimum}")


def _check(n_samples: int, noise: float) -> None:
    _check_count("n_samples", n_samples, 1)
    if not noise >= 0:
        raise ValueError(f"noise={noise!r} must be >= 0")


def _labelled(name: str, x: np.ndarray, y: np.ndarray, n_classes: int,
              rng: np.random.Generator) -> Dataset:
    """A classification Dataset with its rows in a random (seeded) order."""
    order = rng.permutation(len(x))
    task = "binary" if n_classes == 2 else "multiclass"
    return Dataset(x[order], y[order], task, name=name, n_classes=n_classes)


def _per_class(n_samples: int, n_classes: int) -> list[int]:
    """n_samples shared as evenly as possible: class sizes differ by at most one."""
    return [n_samples // n_classes + (c < n_samples % n_classes) for c in range(n_classes)]


def xor(n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """XOR, binary. None: the 4 points (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0;
    otherwise n_samples points cycling over the 4 corners. Gaussian noise (std `noise`)
    is added to the inputs. x: (N, 2), y: (N,)."""
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    rng = np.random.default_rng(seed)
    _check(4 if n_samples is None else n_samples, noise)
    which = np.arange(4) if n_samples is None else rng.permutation(np.arange(n_samples) % 4)
    x = corners[which] + (noise * rng.standard_normal((len(which), 2)) if noise else 0.0)
    return Dataset(x, labels[which], "binary", name="xor", n_classes=2)


def moons(n_samples: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles of radius 1 (as sklearn's make_moons), binary.
    Class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t), t in [0, pi].
    x: (N, 2), y: (N,)."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    n0, n1 = _per_class(n_samples, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], axis=1),
                        np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)])
    x += noise * rng.standard_normal(x.shape)
    return _labelled("moons", x, np.repeat([0, 1], [n0, n1]), 2, rng)


def circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5,
            seed: int = 0) -> Dataset:
    """Two concentric circles, binary: class 0 radius 1, class 1 radius `factor` in (0, 1).
    x: (N, 2), y: (N,)."""
    _check(n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor={factor!r} must be in (0, 1)")
    rng = np.random.default_rng(seed)
    n0, n1 = _per_class(n_samples, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], axis=1),
                        factor * np.stack([np.cos(t1), np.sin(t1)], axis=1)])
    x += noise * rng.standard_normal(x.shape)
    return _labelled("circles", x, np.repeat([0, 1], [n0, n1]), 2, rng)


def spirals(n_samples: int = 300, noise: float = 0.2, n_classes: int = 3, turns: float = 1.0,
            seed: int = 0) -> Dataset:
    """Interleaved spiral arms, one per class (CS231n's toy data), equal class sizes.

    Arm c: radius r from 0.1 to 1 while the angle grows by `turns` full turns, starting
    at 2 pi c / n_classes; `noise` is the std of gaussian jitter of the angle (radians).
    Binary if n_classes == 2, else multiclass. x: (N, 2), y: (N,).
    """
    _check(n_samples, noise)
    _check_count("n_classes", n_classes, 2)
    rng = np.random.default_rng(seed)
    sizes = _per_class(n_samples, int(n_classes))
    arms = []
    for c, m in enumerate(sizes):
        s = np.linspace(0.0, 1.0, m)
        r = 0.1 + 0.9 * s
        t = 2 * np.pi * (c / n_classes + turns * s) + noise * rng.standard_normal(m)
        arms.append(np.stack([r * np.cos(t), r * np.sin(t)], axis=1))
    y = np.repeat(np.arange(n_classes), sizes)
    return _labelled("spirals", np.concatenate(arms), y, int(n_classes), rng)


def blobs(n_samples: int = 300, noise: float | None = None, n_classes: int = 3,
          n_features: int = 2, cluster_std: float = 1.0,
          center_box: tuple[float, float] = (-5.0, 5.0), seed: int = 0) -> Dataset:
    """Gaussian clusters, one per class, centres uniform in `center_box` per feature.

    `noise`, if given, is the cluster std (so `data.noise` works for every dataset) and
    overrides `cluster_std`. Equal class sizes. x: (N, n_features), y: (N,).
    """
    std = cluster_std if noise is None else noise
    _check(n_samples, std)
    _check_count("n_classes", n_classes, 2)
    _check_count("n_features", n_features, 1)
    rng = np.random.default_rng(seed)
    centers = rng.uniform(center_box[0], center_box[1], size=(int(n_classes), int(n_features)))
    sizes = _per_class(n_samples, int(n_classes))
    y = np.repeat(np.arange(n_classes), sizes)
    x = centers[y] + std * rng.standard_normal((n_samples, int(n_features)))
    return _labelled("blobs", x, y, int(n_classes), rng)


def regression1d(function: str = "sine", n_samples: int = 200, noise: float = 0.05,
                 x_min: float | None = None, x_max: float | None = None,
                 seed: int = 0) -> Dataset:
    """y = f(x) + gaussian noise (std `noise`), x uniform in [x_min, x_max].

    Functions (default range): sine, cosine (-pi, pi); abs, square, cubic, step
    (-1, 1); sawtooth (-2, 2), period 1 in [-1, 1); bump = exp(-x^2) (-3, 3).
    Regression. x: (N, 1), y: (N, 1).
    """
    if function not in REGRESSION_FUNCTIONS:
        raise ValueError(f"unknown regression1d function {function!r}; "
                         f"allowed: {', '.join(REGRESSION_FUNCTIONS)}")
    _check(n_samples, noise)
    f, (low, high) = REGRESSION_FUNCTIONS[function]
    low, high = low if x_min is None else x_min, high if x_max is None else x_max
    if not low < high:
        raise ValueError(f"x_min={low!r} must be below x_max={high!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=(n_samples, 1))
    y = f(x) + noise * rng.standard_normal(x.shape)
    return Dataset(x, y, "regression", name=f"regression1d-{function}")


def sine(n_samples: int = 200, noise: float = 0.05, x_min: float | None = None,
         x_max: float | None = None, seed: int = 0) -> Dataset:
    """`regression1d("sine", ...)`: y = sin(x) + noise on [-pi, pi]. x, y: (N, 1)."""
    ds = regression1d("sine", n_samples=n_samples, noise=noise, x_min=x_min, x_max=x_max,
                      seed=seed)
    return dataclasses.replace(ds, name="sine")


def digits(n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with the library),
    multiclass with 10 classes; pixels scaled to [0, 1]. `n_samples` picks a seeded
    subset; `noise` adds gaussian pixel noise, clipped to [0, 1]. x: (N, 64), y: (N,)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:
        raise ImportError(
            "the digits dataset needs scikit-learn: pip install 'nnlite[digits]'"
        ) from err
    _check(1 if n_samples is None else n_samples, noise)
    raw = load_digits()
    rng = np.random.default_rng(seed)
    ds = subsample(Dataset(raw.data / 16.0, raw.target, "multiclass", "digits", 10),
                   n_samples, rng)
    if noise:
        ds = dataclasses.replace(
            ds, x=np.clip(ds.x + noise * rng.standard_normal(ds.x.shape), 0.0, 1.0))
    return ds


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
    _check(1 if n_samples is None else n_samples, noise)
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
