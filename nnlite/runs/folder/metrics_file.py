"""metrics.csv: one row per epoch, appended as a run goes, and its one reader.

Rows are appended, so a run's writing grows with its epochs, not with their square. A
row is written whole with its newline, so the only damage a `kill -9` can do is a torn
last line; `read_rows` drops it (and resume writes the file again from its checkpoint).
When a row brings a column the file lacks, the file is written again, atomically, with
the new header: the columns are the union of every row's keys, in first-seen order.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from nnlite.atomic import write_atomic
from nnlite.messages import one_line
from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.folder.writing import csv_text

FILE = "metrics.csv"
MAX_BYTES = 64 * 2**20  # a metrics table larger than this is not one nnlite wrote


class MetricsFile:
    """The metrics.csv of one run, kept in step with a list of rows."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.columns: list[str] = []
        self.written = 0  # rows on disk

    def write(self, rows: list[dict[str, float]]) -> None:
        """The file holds exactly `rows`: what is new is appended; a new column, or
        fewer rows than are on disk (a resumed run), writes it again atomically."""
        new = rows[self.written:]
        keys = dict.fromkeys(key for row in new for key in row)
        if len(rows) < self.written or not self.path.is_file() or not keys.keys() <= set(
                self.columns) or self.written == 0:
            self.columns = list(dict.fromkeys([*self.columns, *keys]))
            write_atomic(self.path, csv_text(rows, self.columns))
        elif new:
            with self.path.open("a", newline="") as f:
                f.write(csv_text(new, self.columns, header=False))
        self.written = len(rows)


def read_rows(path: Path) -> list[dict[str, float]]:
    """Every complete row of a metrics.csv as column -> float (a blank cell is left out);
    [] when there is no file. RunFileError naming the file and the line for anything
    that is not a table of numbers."""
    path = Path(path)
    if not path.is_file():
        return []
    if path.stat().st_size > MAX_BYTES:
        raise RunFileError(f"{path}: {path.stat().st_size} bytes, more than a metrics table "
                           f"of {MAX_BYTES // 2**20} MB; not one nnlite wrote")
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RunFileError(f"{path}: not readable as text ({one_line(err)})") from None
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]  # a torn last row (a kill -9 mid-append)
    rows = []
    try:
        for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            if None in row:
                raise ValueError("more cells than the header names")
            rows.append({k: _number(v, k, line) for k, v in row.items() if v not in ("", None)})
    except (ValueError, csv.Error) as err:
        raise RunFileError(f"{path}: not a metrics table of numbers ({one_line(err)})") from None
    return rows


def _number(cell: str, column: str, line: int) -> float:
    try:
        return float(cell)
    except ValueError:
        raise ValueError(f"line {line}, column {column!r}: {cell[:40]!r} is not a number") \
            from None


def metric_columns(rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    """Column name -> float array over the rows (NaN where a row lacks the column)."""
    names = dict.fromkeys(key for row in rows for key in row)
    return {name: np.array([row.get(name, np.nan) for row in rows], dtype=float)
            for name in names}


def read_columns(folder: Path) -> dict[str, np.ndarray]:
    """The metrics.csv in a run's `folder` as column -> float array over its epochs ({}
    without one); RunFileError as `read_rows`."""
    return metric_columns(read_rows(Path(folder) / FILE))
