"""Conformance check for optimizers (`nnlite_optimizers`): descent on a convex quadratic,
gradient handling, float32, changing lr and state_dict round trips.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlite.nn.module import Parameter
from nnlite.testing._common import (
    DEFAULT_LR,
    DESCENT_FACTOR,
    DESCENT_STEPS,
    checking,
    describe,
    fixed_rng,
    identical,
    parameters_of,
)


def _quadratic(dtype: Any) -> tuple[list[Parameter], Callable[[], float], Callable[[], None]]:
    """Parameters of odd shapes and f(w) = 1/2 sum a (w - c)^2 with a in [0.5, 2] (a
    well-conditioned bowl whose minimum c is not 0), its value and a gradient filler."""
    rng = fixed_rng()
    shapes = [(3, 5), (5,), (1, 1)]
    a = [rng.uniform(0.5, 2.0, s) for s in shapes]
    c = [rng.standard_normal(s) for s in shapes]
    start = [ci + rng.uniform(0.5, 1.5, s) * rng.choice([-1.0, 1.0], s) for ci, s in zip(c, shapes)]
    params = [Parameter(w.astype(dtype), f"w{i}") for i, w in enumerate(start)]

    def value() -> float:
        return float(sum(0.5 * np.sum(ai * (p.data - ci) ** 2) for p, ai, ci in zip(params, a, c)))

    def fill_grads() -> None:
        for p, ai, ci in zip(params, a, c):
            p.accumulate(np.multiply, ai, p.data - ci)  # grad += a * (w - c)

    return params, value, fill_grads


def check_optimizer(factory: Any, *args: Any, **kwargs: Any) -> None:
    """Check an optimizer class (what `nnlite_optimizers` registers), built as
    `factory(params, *args, **kwargs)` with lr = 0.05 unless given: an nl.Optimizer that
    descends a convex quadratic (below 10% of the start in 300 steps, downhill from the
    first), zeroes gradients and never modifies them, keeps float32 parameters float32,
    honours `opt.lr` changed between steps (schedules do that), and whose state_dict,
    saved with np.savez and loaded into a fresh optimizer, continues identically.
    """
    from nnlite.optim import Optimizer

    kwargs = dict(kwargs)
    takes = parameters_of(factory)
    if "lr" not in kwargs and ("lr" in takes
                               or any(p.kind == p.VAR_KEYWORD for p in takes.values())):
        kwargs["lr"] = DEFAULT_LR
    label = describe("optimizer", factory, args, kwargs)

    def build(params: list[Parameter]) -> Any:
        with checking(label, "building it"):
            opt = factory(params, *copy.deepcopy(args), **copy.deepcopy(kwargs))
        if not isinstance(opt, Optimizer):
            raise AssertionError(f"{label}: the factory returned {type(opt).__name__}, "
                                 "not an nl.Optimizer")
        return opt

    def step(opt: Any, params: list[Parameter], fill: Callable[[], None], what: str) -> None:
        with checking(label, f"zero_grad() ({what})"):
            opt.zero_grad()
        if any(np.any(p.grad != 0) for p in params):
            raise AssertionError(f"{label}: zero_grad() left non-zero gradients ({what})")
        fill()
        grads = [p.grad.copy() for p in params]
        with checking(label, f"step() ({what})"):
            opt.step()
        if not all(identical(p.grad, g) for p, g in zip(params, grads)):
            raise AssertionError(f"{label}: step() modified p.grad ({what}); read gradients, "
                                 "write only p.data and the optimizer's own state")

    params, f, fill = _quadratic(np.float64)
    opt = build(params)
    start = f()
    step(opt, params, fill, "the first step on the quadratic")
    if not f() < start:
        raise AssertionError(f"{label}: the first step went uphill on a convex quadratic: "
                             f"f = {start:.4g} -> {f():.4g} (is the update's sign right?)")
    for _ in range(DESCENT_STEPS - 1):
        step(opt, params, fill, "descending the quadratic")
    if not f() <= DESCENT_FACTOR * start:
        raise AssertionError(f"{label}: did not descend a convex quadratic: f = {start:.4g} -> "
                             f"{f():.4g} after {DESCENT_STEPS} steps (must fall below "
                             f"{DESCENT_FACTOR:g} x the start)")

    params, f, fill = _quadratic(np.float32)
    opt = build(params)
    for _ in range(20):
        step(opt, params, fill, "float32 parameters")
    wrong = [f"{p.name}: {p.data.dtype}" for p in params if p.data.dtype != np.float32]
    if wrong or not all(np.all(np.isfinite(p.data)) for p in params):
        raise AssertionError(f"{label}: float32 parameters became "
                             f"{', '.join(wrong) or 'non-finite'} after steps; "
                             "keep float32 (python floats, not np.float64 scalars)")

    moved = []
    for scale in (1.0, 0.01):
        params, f, fill = _quadratic(np.float64)
        opt = build(params)
        for _ in range(3):  # a few steps first: an optimizer may cache lr at its first step
            step(opt, params, fill, "before setting opt.lr")
        before = [p.data.copy() for p in params]
        with checking(label, "setting opt.lr"):
            opt.lr = opt.lr * scale
        step(opt, params, fill, "after setting opt.lr")
        moved.append(math.sqrt(sum(float(np.sum((p.data - b) ** 2))
                                   for p, b in zip(params, before))))
    if not moved[1] < 0.5 * moved[0]:
        raise AssertionError(f"{label}: after opt.lr was set 100x smaller the step moved "
                             f"{moved[1]:.3g} (vs {moved[0]:.3g}); step() must use the current "
                             "opt.lr, which schedules change between steps")

    params, f, fill = _quadratic(np.float64)
    opt = build(params)
    for _ in range(3):
        step(opt, params, fill, "before state_dict")
    with checking(label, "state_dict() / np.savez"):
        saved = opt.state_dict()
        snapshot = copy.deepcopy(saved)
        buffer = io.BytesIO()
        np.savez(buffer, **saved)
        buffer.seek(0)
        with np.load(buffer, allow_pickle=False) as archive:
            loaded = {k: archive[k] for k in archive.files}
    twins, _, twin_fill = _quadratic(np.float64)
    for twin, p in zip(twins, params):
        twin.data[...] = p.data
    other = build(twins)
    with checking(label, "load_state_dict"):
        other.load_state_dict(loaded)
    step(opt, params, fill, "after state_dict")
    step(other, twins, twin_fill, "after load_state_dict")
    if not all(np.array_equal(p.data, t.data) for p, t in zip(params, twins)):
        raise AssertionError(f"{label}: an optimizer loaded from state_dict() took a different "
                             "step than the original; state_dict must hold all the state")
    if any(not identical(np.asarray(saved[k]), np.asarray(v)) for k, v in snapshot.items()):
        raise AssertionError(f"{label}: state_dict() shares arrays with the optimizer (they "
                             "changed on the next step); return copies")
