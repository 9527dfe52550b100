"""Reading a delimited text table (CSV) into cells, then columns of numbers or labels.

`read_table` is what `data=file`, `nnlite predict` and `nnlite evaluate` read .csv files
with: a delimiter of the user's choice, a header row that is detected (a first row
with any non-numeric cell) or stated, blank lines skipped, and errors that name the
file, the line, the column and the cell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEADER_CHOICES = ("auto", True, False)


@dataclass
class Table:
    """The cells of a CSV file: `rows[i]` is the i-th data row (stripped strings),
    `lines[i]` its line number in the file, `header` the column names or None."""

    file: Path
    header: list[str] | None
    rows: list[list[str]]
    lines: list[int]

    @property
    def width(self) -> int:
        return len(self.header) if self.header else len(self.rows[0])

    def column_index(self, column: int | str) -> int:
        """A column given by index (negative counts from the end) or header name."""
        if isinstance(column, str) and self.header and column in self.header:
            return self.header.index(column)
        if isinstance(column, str) and not column.lstrip("-").isdigit():
            known = f"columns are {self.header}" if self.header else "the file has no header row"
            raise ValueError(f"{self.file}: target column {column!r} not found; {known}")
        index = int(column)
        if not -self.width <= index < self.width:
            raise ValueError(f"{self.file}: column {index} is out of range for {self.width} "
                             "columns")
        return index % self.width

    def numbers(self, columns: list[int]) -> np.ndarray:
        """The given columns as floats: (N, len(columns))."""
        values = np.empty((len(self.rows), len(columns)))
        for i, row in enumerate(self.rows):
            for k, j in enumerate(columns):
                try:
                    values[i, k] = float(row[j])
                except ValueError:
                    raise ValueError(f"{self.file}: line {self.lines[i]}, column {j + 1}: "
                                     f"{row[j]!r} is not a number") from None
        return values

    def column(self, index: int) -> np.ndarray:
        """One column: (N,) floats if every cell is a number, (N,) strings if none is (text
        labels); a column mixing both is refused, naming its first odd cell."""
        cells = [row[index] for row in self.rows]
        numeric = [_is_number(c) for c in cells]
        if all(numeric):
            return np.array([float(c) for c in cells])
        if not any(numeric):
            return np.array(cells)
        i = numeric.index(False) if sum(numeric) >= len(cells) / 2 else numeric.index(True)
        kind = "is not a number" if not numeric[i] else "is a number among text labels"
        raise ValueError(f"{self.file}: line {self.lines[i]}, column {index + 1}: "
                         f"{cells[i]!r} {kind}")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def read_table(path: str | Path, delimiter: str = ",", header: bool | str = "auto") -> Table:
    """Read a CSV file. `header`: "auto" (a first row with a non-numeric cell is the
    header), True (the first row is) or False (there is none). Every row must have as
    many cells as the first."""
    file = Path(path)
    if header not in HEADER_CHOICES:
        raise ValueError(f"header={header!r}: use auto, true or false")
    # names and escapes as typed on a command line, where a bare ; or \t needs quoting
    delimiter = {"\\t": "\t", "tab": "\t", "semicolon": ";"}.get(delimiter, delimiter)
    if len(delimiter) != 1:
        raise ValueError(f"delimiter={delimiter!r}: use one character, e.g. ',' ';' or '\\t'")
    rows, lines = [], []
    # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first cell
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append([cell.strip() for cell in row])
                lines.append(reader.line_num)
    if not rows:
        raise ValueError(f"{file}: the CSV file is empty")
    names = None
    if header is True or (header == "auto" and not all(_is_number(c) for c in rows[0])):
        names, rows, lines = rows[0], rows[1:], lines[1:]
    width = len(names) if names else len(rows[0]) if rows else 0
    if not rows:
        raise ValueError(f"{file}: no data rows after the header")
    if width < 2:
        hint = next((f"; the rows hold {d!r}: set data.params.delimiter={name}" for d, name in
                     ((";", "';'"), ("\t", "'\\t'"), ("|", "'|'"), (",", "','"))
                     if d != delimiter and d in (names or rows[0])[0]), "")
        raise ValueError(f"{file}: need at least two columns separated by {delimiter!r}{hint}")
    for row, line in zip(rows, lines):
        if len(row) != width:
            raise ValueError(f"{file}: line {line} has {len(row)} columns, expected {width}")
    return Table(file, names, rows, lines)
