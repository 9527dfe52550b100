"""Exercise: one step of SGD with momentum, as torch.optim.SGD and nl.optimizer("sgd")
take it (nnlite/optim/sgd.py): for each parameter p with gradient g = p.grad and its
velocity v,

    v <- momentum · v + g        (in place: the next step starts from it)
    p <- p − lr · v              (p.data in place, or a new array of p's dtype)

params: a list of nl.Parameter (.data, .grad); velocity: a list of arrays, one per
parameter, of its shape (zeros before the first step). Checked over three steps, each
with new gradients, against that rule in float64; momentum 0 is plain SGD, p − lr · g.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.course import compare
from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import call, where
from nnlite.course.result import CheckResult, failed, passed
from nnlite.nn.module import Parameter

SETTINGS = [(0.1, 0.9, np.float64, 0), (0.05, 0.0, np.float64, 1), (0.2, 0.5, np.float32, 2)]
SHAPES = ((3, 2), (2,))
STEPS = 3


def rule(kind: str, p: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float,
         momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """(p, v) after one step: the right rule, or one of the known mistakes."""
    if kind == "no momentum":
        return p - lr * g, v
    if kind == "average":
        v = momentum * v + (1 - momentum) * g
        return p - lr * v, v
    v = momentum * v + g
    return (p + lr * v if kind == "sign" else p - v if kind == "no lr" else p - lr * v), v


MISTAKES = {
    "sign": "moved up the gradient: gradient descent steps against it, p ← p − lr · v",
    "no momentum": "ignored the momentum: v ← momentum · v + g carries the earlier steps' "
                   "gradients into this one",
    "average": "v ← momentum · v + (1 − momentum) · g is an exponential average (Adam's first "
               "moment), not SGD's momentum v ← momentum · v + g",
    "no lr": "left out the learning rate: p ← p − lr · v",
}


def _run(fn: Any, lr: float, momentum: float, dtype: type,
        seed: int) -> tuple[list[list[np.ndarray]], list[str]]:
    """The parameters after each step (float64), and the findings on the way."""
    rng = np.random.default_rng(seed)
    params = [Parameter(rng.normal(size=s).astype(dtype)) for s in SHAPES]
    velocity = [np.zeros(s, dtype) for s in SHAPES]
    after, found = [], []
    for step in range(STEPS):
        for p in params:
            p.grad = rng.normal(size=p.shape).astype(dtype)
        grads = [p.grad.copy() for p in params]
        before = [v.copy() for v in velocity]
        _, error, _ = call(fn, (params, velocity, lr, momentum))
        if error is not None:
            if isinstance(error, NotImplementedError):
                raise error
            return after, [f"raised {type(error).__name__}: {error}{where(error)}"]
        if any(not np.array_equal(p.grad, g) for p, g in zip(params, grads)):
            found.append("changed p.grad: a step reads the gradients; zero_grad() is what "
                         "clears them, before the next backward")
        if momentum and step == 0 and all(np.array_equal(v, b) for v, b in zip(velocity, before)):
            found.append("did not keep the velocity: write it back in place (v *= momentum; "
                         "v += g, or velocity[k][...] = ...), so the next step starts from it")
        after.append([compare.as_array(p.data) for p in params])
    return after, found


def expected(kind: str, lr: float, momentum: float, dtype: type, seed: int) -> list[list]:
    rng = np.random.default_rng(seed)
    p = [rng.normal(size=s).astype(dtype).astype(np.float64) for s in SHAPES]
    v = [np.zeros(s) for s in SHAPES]
    out = []
    for _ in range(STEPS):
        g = [rng.normal(size=s).astype(dtype).astype(np.float64) for s in SHAPES]
        pv = [rule(kind, pk, vk, gk, lr, momentum) for pk, vk, gk in zip(p, v, g)]
        p, v = [a for a, _ in pv], [b for _, b in pv]
        out.append(p)
    return out


def same(got: list[list], want: list[list], dtype: type) -> bool:
    return len(got) == len(want) and all(
        compare.close(g, w, dtype) for gs, ws in zip(got, want) for g, w in zip(gs, ws))


def _check(fn: Any) -> CheckResult:
    findings: list[str] = []
    wrong: list[str] = []
    for lr, momentum, dtype, seed in SETTINGS:
        try:
            got, found = _run(fn, lr, momentum, dtype, seed)
        except NotImplementedError:
            return failed("sgd_step", [("not written yet: sgd_step raises "
                                        "NotImplementedError; replace the `raise`")])
        findings += found
        if got and not same(got, expected("right", lr, momentum, dtype, seed), dtype):
            kinds = [k for k in MISTAKES if same(got, expected(k, lr, momentum, dtype, seed),
                                                 dtype)]
            wrong.append(MISTAKES[kinds[0]] if kinds else
                         f"with lr = {lr}, momentum = {momentum} ({np.dtype(dtype).name}): "
                         "p after step 1: " + compare.differences(
                             got[0][0], expected("right", lr, momentum, dtype, seed)[0][0],
                             dtype))
    if any(f.startswith("did not keep the velocity") for f in findings):
        wrong = [w for w in wrong if w != MISTAKES["no momentum"]]  # what that looks like
    findings += wrong
    if findings:
        return failed("sgd_step", list(dict.fromkeys(findings)))
    return passed("sgd_step", "three steps of p ← p − lr · v, v ← momentum · v + g match "
                  "torch.optim.SGD's rule for momentum 0.9, 0 and 0.5 (float64, float32)")


def sgd_step(params: list[Parameter], velocity: list[np.ndarray], lr: float,
             momentum: float) -> None:
    for p, v in zip(params, velocity):
        v *= momentum
        v += p.grad
        p.data -= lr * v


STUB = '''
def sgd_step(params, velocity, lr, momentum):
    """One step of SGD with momentum (torch.optim.SGD's rule), for each parameter p:
        v <- momentum * v + p.grad      (update the array velocity[k] in place)
        p.data <- p.data - lr * v

    params:   list of nl.Parameter, each with .data and .grad
    velocity: list of arrays, velocity[k] of params[k]'s shape (zeros at first)
    lr, momentum: floats. Returns nothing; do not change p.grad.
    """
    raise NotImplementedError("write sgd_step")
'''

EXERCISE = Exercise("sgd_step", "sgd_step", "sgd_step(params, velocity, lr, momentum) -> None",
                    "one step of gradient descent with momentum", "note 000 2(d), note 001 2(g)",
                    stub_text(STUB, "sgd_step", "Exercise sgd_step. Check: python -m nnlite "
                              "course check sgd_step THIS_FILE"), sgd_step, _check)
