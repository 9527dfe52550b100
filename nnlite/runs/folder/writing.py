"""Writing run files so that no reader ever sees half a file.

Every file is written to a temporary name in the same folder and renamed into place;
`csv_text` and `json_safe` turn a run's numbers into CSV and standard JSON, and
`save_weights` stores weights with a JSON description of the model (no pickle).
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.atomic import write_atomic


def json_safe(value: Any) -> Any:
    """`value` with numpy scalars as Python numbers and NaN/infinity as None: JSON has no
    such numbers (Python would write a bare NaN, which other JSON readers reject)."""
    if isinstance(value, dict):
        return {key: json_safe(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(inner) for inner in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def csv_text(rows: list[dict[str, Any]], columns: list[str] | None = None,
             header: bool = True) -> str:
    """Rows as CSV text; columns: the union of keys in first-seen order (unless given)."""
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def save_weights(path: Path, weights: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """A `Module.state_dict()` (name -> array) plus a JSON `__meta__` entry (a plain
    string: loadable without pickle)."""
    write_atomic(path, npz_bytes({"__meta__": np.array(json.dumps(meta)), **weights}))


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The .npz file `np.savez` would write (read it with `np.load`), but with a fixed
    date in every zip entry: the same arrays always give the same bytes, so a resumed
    run's files compare equal to an uninterrupted run's. Object arrays (pickle) refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w", force_zip64=True) as entry:
                np.lib.format.write_array(entry, np.asanyarray(value), allow_pickle=False)
    return buffer.getvalue()
