"""An exercise: its name, the signature a solution must have, the stub a student fills
in, a right solution, and the check that says what is wrong with an attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nnlite.course.result import CheckResult


@dataclass(frozen=True)
class Exercise:
    """name: what `nl.course.check` and the command take; entry: the function or class a
    solution file defines; signature: how it is called; note: where the notes treat it;
    stub: the text of a file to fill in; reference: a right solution; checker: attempt ->
    CheckResult."""

    name: str
    entry: str
    signature: str
    summary: str
    note: str
    stub: str
    reference: Any
    checker: Callable[[Any], CheckResult]

    def check(self, solution: Any) -> CheckResult:
        return self.checker(solution)

    def __str__(self) -> str:
        return f"{self.name:<20} {self.signature}  ({self.note})"


def stub_text(entry_source: str, name: str, doc: str) -> str:
    """A stub file: the module docstring, the entry to write, and a line that checks it
    when the file is run (`python attempt.py`)."""
    return (f'"""{doc}"""\n\nimport numpy as np\n\nimport nnlite as nl\n\n\n'
            f"{entry_source.strip()}\n\n\n"
            'if __name__ == "__main__":\n'
            f'    print(nl.course.check("{name}", {name_of(entry_source)}).diagnosis)\n')


def name_of(entry_source: str) -> str:
    first = entry_source.strip().split("\n", 1)[0]
    return first.split()[1].split("(")[0].rstrip(":")
