"""Checking an exercise that is a function: run it on every trial, compare each value it
returns with central differences, and name what is wrong.

A wrong value is first matched against the exercise's known mistakes (each a function
giving the value that mistake produces: a missing g'(z), W where W^T belongs, a sum
over the wrong axis); a mistake that gives the student's value on every trial is the
diagnosis. Then the generic ones of `compare.generic`, then the entries that differ.
An argument changed in place is a finding of its own, even when the values are right.
"""

from __future__ import annotations

import functools
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.course import compare
from nnlite.course.result import CheckResult, failed, passed
from nnlite.nn.gradcheck import numerical_gradient


@dataclass(frozen=True)
class Trial:
    """One call: positional `args` in the trial's dtype, and for each output the right
    value (`want`, float64, from central differences). batch: N, the number of rows."""

    label: str
    args: tuple[Any, ...]
    want: dict[str, np.ndarray]
    dtype: np.dtype
    batch: int


@dataclass(frozen=True)
class Mistake:
    """A known mistake for one output: `wrong(*args in float64)` is the value it gives."""

    output: str
    says: str
    wrong: Callable[..., Any]


@dataclass(frozen=True)
class Spec:
    """An exercise that is a function. params: its argument names; outputs: the names
    of what it returns (one, or a tuple in this order); meaning: each output in the
    notes' notation; shape_of: the argument each output is the gradient of."""

    name: str
    params: tuple[str, ...]
    outputs: tuple[str, ...]
    meaning: dict[str, str]
    shape_of: dict[str, str]
    mistakes: tuple[Mistake, ...] = ()
    in_place_hint: dict[str, str] = field(default_factory=dict)
    nonfinite: str = "has entries that are nan or inf: something overflowed or divided by zero"


def numeric(loss: Callable[[], float], *arrays: np.ndarray) -> list[np.ndarray]:
    """d loss() / d each array by central differences; the arrays must be float64 and
    are what `loss` reads (each is perturbed in place and restored)."""
    return [numerical_gradient(loss, a) for a in arrays]


def where(err: BaseException) -> str:
    """' at line 12 of attempt.py: dx = dout @ W', the student's line that raised."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if "numpy" not in Path(f.filename).parts and
              not f.filename.endswith(("function_check.py", "layer_check.py"))]
    if not frames:
        return ""
    f = frames[-1]
    return f" at line {f.lineno} of {Path(f.filename).name}: {(f.line or '').strip()}"


def call(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, BaseException | None,
                                                                  list[int]]:
    """fn(*copies of args) with numpy's warnings off: (result, error, indices of the
    arguments it changed in place)."""
    copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
    result, error = None, None
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            result = fn(*copies)
        except Exception as err:  # noqa: BLE001 (the student's code: any error is a finding)
            error = err
    changed = [k for k, (a, c) in enumerate(zip(args, copies)) if isinstance(a, np.ndarray)
               and (a.shape != np.shape(c) or not np.array_equal(a, c, equal_nan=True))]
    return result, error, changed


def safely(fn: Callable[..., Any], args: tuple[Any, ...]) -> np.ndarray | None:
    """A mistake's value, or None where that mistake cannot even run (a shape clash)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return compare.as_array(fn(*args))
        except (ValueError, IndexError):
            return None


def as_float64(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(a.astype(np.float64) if isinstance(a, np.ndarray) else a for a in args)


def unpack(spec: Spec, result: Any) -> dict[str, np.ndarray | None] | str:
    if len(spec.outputs) == 1:
        return {spec.outputs[0]: compare.as_array(result)}
    if not isinstance(result, (tuple, list)) or len(result) != len(spec.outputs):
        got = type(result).__name__ if not isinstance(result, (tuple, list)) else \
            f"{len(result)} values"
        return f"returned {got}; it must return the tuple ({', '.join(spec.outputs)})"
    return {o: compare.as_array(v) for o, v in zip(spec.outputs, result)}


def diagnose(spec: Spec, o: str, trials: Sequence[Trial], got: list[np.ndarray | None]) -> str:
    """What is wrong with output `o`, given its value on each trial (None: it raised)."""
    ran = [(t, g) for t, g in zip(trials, got) if g is not None]
    head = f"{o} ({spec.meaning[o]})"
    if not ran:
        return ""
    if all(compare.close(g, t.want[o], t.dtype) for t, g in ran):
        return ""
    bad = next((t for t, g in ran if not np.all(np.isfinite(g))), None)
    if bad is not None:
        return f"{head} {spec.nonfinite} (trial {bad.label})"
    for m in spec.mistakes:
        if m.output == o and all(compare.close(g, safely(m.wrong, as_float64(t.args)), t.dtype)
                                 for t, g in ran):
            return f"{head}: {m.says}"
    general = compare.generic(got, [t.want[o] for t in trials], [t.dtype for t in trials],
                              [t.batch for t in trials], spec.shape_of[o])
    if general:
        return f"{head} {general}"
    t, g = next((t, g) for t, g in ran if not compare.close(g, t.want[o], t.dtype))
    return f"{head}: on trial {t.label}, {compare.differences(g, t.want[o], t.dtype)}"


def run_function_check(fn: Callable[..., Any], spec: Spec, trials: Sequence[Trial]) -> CheckResult:
    """Check `fn` on every trial; see the module docstring."""
    got: dict[str, list[np.ndarray | None]] = {o: [] for o in spec.outputs}
    errors: list[tuple[Trial, BaseException | str]] = []
    changed: set[int] = set()
    for t in trials:
        result, error, moved = call(fn, t.args)
        changed.update(moved)
        values = unpack(spec, result) if error is None else None
        if isinstance(values, str) or error is not None:
            errors.append((t, error if error is not None else values))
            values = None
        for o in spec.outputs:
            got[o].append(None if values is None else values[o])
    findings = []
    if errors and all(isinstance(e, NotImplementedError) for _, e in errors) and \
            len(errors) == len(trials):
        return failed(spec.name, [(f"not written yet: {spec.name} raises "
                                   "NotImplementedError; replace the `raise` in the stub "
                                   "with your code")])
    for k in sorted(changed):
        arg = spec.params[k]
        hint = spec.in_place_hint.get(arg, "work on a copy, or build a new array")
        findings.append(f"changed its argument {arg} in place: the caller's {arg} is not the "
                        f"same after the call; {hint}")
    if errors:
        t, e = errors[0]
        text = e if isinstance(e, str) else f"raised {type(e).__name__}: {str(e).strip()}{where(e)}"
        findings.append(f"{text} (on {len(errors)} of {len(trials)} trials; the first: "
                        f"{t.label})")
    findings += [f for f in (diagnose(spec, o, trials, got[o]) for o in spec.outputs) if f]
    if findings:
        return failed(spec.name, findings)
    verb = "agrees" if len(spec.outputs) == 1 else "agree"
    return passed(spec.name, f"{', '.join(spec.outputs)} {verb} with central differences "
                  f"(float64) on {len(trials)} trials: " + "; ".join(t.label for t in trials))


def checker(spec: Spec, build: Callable[[], list[Trial]]) -> Callable[[Any], CheckResult]:
    """`attempt -> run(attempt, spec, trials)`, the trials built on first use and kept
    (they depend on nothing but their seeds)."""
    made = functools.cache(build)

    def check(fn: Any) -> CheckResult:
        return run_function_check(fn, spec, made())

    return check
