"""Reading a run's files back without trusting them: every reader names the file and
what is wrong with it, instead of a raw JSON, YAML or zip error; sizes a file declares
are checked against what it holds before anything is allocated; pickle is never used."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.messages import one_line


class RunFileError(ValueError):
    """A run's file is missing, unreadable or not what nnlite writes (the message names it)."""


def read_json(path: Path, kind: type = dict) -> Any:
    """The JSON in `path`, which must hold a `kind` (a dict: an object)."""
    try:
        value = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise RunFileError(f"{path}: not readable JSON ({err})") from None
    if not isinstance(value, kind):
        raise RunFileError(f"{path}: holds a JSON {type(value).__name__}, not an object")
    return value


def read_yaml(path: Path, kind: type = dict) -> Any:
    """The YAML in `path` (safe_load: no Python objects), which must hold a `kind`."""
    import yaml

    try:
        value = yaml.safe_load(Path(path).read_text())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise RunFileError(f"{path}: not readable YAML ({one_line(err)})") from None
    if value is None and kind is list:
        return []
    if not isinstance(value, kind):
        raise RunFileError(f"{path}: holds {type(value).__name__}, not a {kind.__name__}")
    return value


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Every array of an .npz file (no pickle), or RunFileError naming the file."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as err:
        raise RunFileError(f"{path}: not a readable .npz file ({one_line(err)})") from None


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

