"""The exercises, in the order a course meets them, and the three calls a student makes:
`exercises()`, `stub(name)`, `check(name, solution)`."""

from __future__ import annotations

import difflib
from pathlib import Path
from types import ModuleType
from typing import Any

from nnlite.course.exercise import Exercise
from nnlite.course.problems import (
    activations,
    dropout,
    linear,
    linear_layer,
    mse,
    residual,
    sgd,
    softmax,
    two_layer,
)
from nnlite.course.result import CheckResult
from nnlite.course.solution import load_solution

SYLLABUS: dict[str, Exercise] = {e.name: e for e in [
    *activations.EXERCISES, softmax.EXERCISE, mse.EXERCISE, linear.EXERCISE,
    linear_layer.EXERCISE, two_layer.EXERCISE, residual.EXERCISE, dropout.EXERCISE,
    sgd.EXERCISE]}


def exercise(name: str) -> Exercise:
    """The exercise called `name`; an unknown name lists the known ones."""
    if name in SYLLABUS:
        return SYLLABUS[name]
    close = difflib.get_close_matches(name, SYLLABUS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"unknown exercise {name!r}.{hint} Exercises: {', '.join(SYLLABUS)}")


def exercises() -> list[Exercise]:
    """Every exercise (`.name`, `.signature`, `.summary`, `.note`), in course order."""
    return list(SYLLABUS.values())


def stub(name: str) -> str:
    """The text of a file to fill in for exercise `name`: the function (or class) with
    its signature and shapes, and a line that checks it when the file is run."""
    return exercise(name).stub


def check(name: str, solution: Any) -> CheckResult:
    """Check a solution to exercise `name`: a function or class, a module that defines
    it, or the path of a .py file (or an importable module name) that does. The result
    has `.passed` and `.diagnosis` (the step of the chain rule that is wrong, in the
    notes' notation). Raises ValueError for an unknown exercise or a solution that
    cannot be loaded (a file that does not import, or that lacks the function), and
    TypeError for a solution that is none of these."""
    ex = exercise(name)
    if isinstance(solution, (str, Path, ModuleType)):
        solution = load_solution(solution, ex.entry)
    if not callable(solution):
        raise TypeError(f"check: the solution to {name} must be a function, a class, a "
                         f"module or a file path; got {type(solution).__name__}")
    return ex.check(solution)
