"""New data for a trained run: inputs to predict on, labelled data to evaluate on.

`features(run, path)` reads a .csv or .npz of inputs; `labelled(run, source)` reads a
file with a target column, or rebuilds one of the run's own splits ("train", "val",
"test") from its config. A .csv is read as the run read its training file (the same
`target`, `delimiter` and `header` when it was trained with data=file).
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.data.files import from_file
from nnlite.data.tables import read_table
from nnlite.runs.config.tasks import loss_name
from nnlite.runs.config.typed import as_config
from nnlite.runs.training.build import build_data

SPLITS = ("train", "val", "test")


def csv_options(run: Any) -> dict[str, Any]:
    """target, delimiter and header as the run's data config gave them (or the defaults)."""
    params = run.config.get("data", {}).get("params") or {}
    defaults = inspect.signature(from_file).parameters  # the file dataset's own defaults
    return {key: params.get(key, defaults[key].default)
            for key in ("target", "delimiter", "header")}


def trained_loss(run: Any) -> str:
    """The registered loss the run trained with (its config's `loss`, for its task)."""
    return loss_name(str(run.config.get("loss", "auto")), run.task)


def rebuilt_splits(run: Any) -> dict[str, Any]:
    """The run's own splits, rebuilt from its config as training built them, with raw
    inputs (`run.outputs` applies the standardisation)."""
    config = as_config(run.config)
    return build_data(replace(config, data=replace(config.data, standardize=False)))[0]


def _open(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix.lower() not in (".csv", ".npz"):
        raise ValueError(f"{path}: unsupported suffix {path.suffix!r} (use .csv or .npz)")
    return path


def features(run: Any, path: Path | str) -> tuple[np.ndarray, list[str] | None]:
    """Inputs x: (N, D) from a file, and the CSV header's feature names if any. A .csv
    with one column more than the model takes has its target column dropped."""
    path = _open(Path(path))
    if path.suffix.lower() == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            if "x" not in arrays:
                raise ValueError(f"{path}: an .npz of inputs needs an array 'x', found "
                                 f"{sorted(arrays.files)}")
            x = arrays["x"]
        return x.reshape(len(x), -1), None
    options = csv_options(run)
    table = read_table(path, options["delimiter"], options["header"])
    columns = list(range(table.width))
    if table.width == run.n_features + 1:
        columns.remove(table.column_index(options["target"]))
    if len(columns) != run.n_features:
        raise ValueError(f"{path}: {table.width} columns, but the model takes {run.n_features} "
                         f"inputs (or {run.n_features + 1} columns with the target)")
    names = [table.header[j] for j in columns] if table.header else None
    return table.numbers(columns), names


def labelled(run: Any, source: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) with raw inputs x: (N, D) and y: labels as in `run.classes` (N,) or values
    (N, k); `source` is a .csv/.npz file or one of the run's splits."""
    if source in SPLITS:
        parts = rebuilt_splits(run)
        if source not in parts:
            raise ValueError(f"this run has no {source!r} split (its splits: {list(parts)})")
        part = parts[source]
        y = part.y if run.task == "regression" else run.classes[part.y]
        return part.x, y
    path = _open(Path(source))
    if path.suffix.lower() == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            if "x" not in arrays or "y" not in arrays:
                raise ValueError(f"{path}: needs arrays 'x' and 'y', found {sorted(arrays.files)}")
            x, y = arrays["x"], arrays["y"]
        return x.reshape(len(x), -1), y
    options = csv_options(run)
    table = read_table(path, options["delimiter"], options["header"])
    target = table.column_index(options["target"])
    x = table.numbers([j for j in range(table.width) if j != target])
    return x, table.column(target)
