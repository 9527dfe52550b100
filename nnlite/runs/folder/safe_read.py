"""Reading a run's files back without trusting them.

Every reader names the file and what is wrong with it, in one line, instead of a raw
JSON, YAML or zip error. Sizes a file declares are checked against what it holds before
anything is allocated (`nnlite.bounded`), YAML aliases and deep nesting are refused, and
pickle is never used. A run's file is read only from inside its folder: a symlink that
leads out of it is refused, so a crafted run cannot make nnlite read, or quote, a file
elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from nnlite.bounded import BoundsError, bounded_json, bounded_npz, bounded_yaml
from nnlite.messages import one_line


class RunFileError(ValueError):
    """A run's file is missing, unreadable or not what nnlite writes (the message names it)."""


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused when it is a link (or under one) leading out of `folder`."""
    folder, path = Path(folder), Path(folder) / name
    try:
        real = path.resolve()
        if real != folder.resolve() and folder.resolve() not in real.parents:
            raise RunFileError(f"{path}: a link out of the run folder, which nnlite does "
                               f"not follow")
    except (OSError, RuntimeError) as err:  # a link loop
        raise RunFileError(f"{path}: not readable ({one_line(err)})") from None
    return path


def _read(path: Path, reader: Any, what: str) -> Any:
    try:
        return reader(path)
    except BoundsError as err:
        raise RunFileError(f"{path}: {err}") from None
    except (OSError, RecursionError, MemoryError) as err:
        raise RunFileError(f"{path}: not readable {what} ({one_line(err)})") from None


def read_json(path: Path, kind: type = dict) -> Any:
    """The JSON in `path`, which must hold a `kind` (a dict: an object)."""
    value = _read(path, bounded_json, "JSON")
    if not isinstance(value, kind):
        raise RunFileError(f"{path}: holds a JSON {type(value).__name__}, not an object")
    return value


def read_yaml(path: Path, kind: type = dict) -> Any:
    """The YAML in `path` (safe_load: no Python objects), which must hold a `kind`."""
    value = _read(path, bounded_yaml, "YAML")
    if value is None and kind is list:
        return []
    if not isinstance(value, kind):
        raise RunFileError(f"{path}: holds {type(value).__name__}, not a {kind.__name__}")
    return value


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of an .npz file (no pickle), or RunFileError naming the file."""
    return _read(path, bounded_npz, ".npz file")


def check_declared_sizes(path: Path, spec: Any, stored: int) -> None:
    """Every whole number in a model's spec (layer widths) must be at most the number of
    values the file stores: each unit has at least one weight. A damaged or hostile file
    declaring a 1e9-wide layer is refused before the layer is allocated."""
    if isinstance(spec, bool):
        return
    if isinstance(spec, int) and spec > max(stored, 1):
        raise RunFileError(f"{path}: declares a size of {spec} but stores only {stored} "
                           f"numbers: the file is damaged or was not written by nnlite")
    if isinstance(spec, dict):
        for value in spec.values():
            check_declared_sizes(path, value, stored)
    elif isinstance(spec, list):
        for value in spec:
            check_declared_sizes(path, value, stored)


def mlp_parameter_count(sizes: list[int]) -> int:
    """Weights and biases of an `nl.mlp` of these sizes: sum of (n_in + 1) * n_out."""
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))
