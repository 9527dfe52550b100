"""Checking an exercise that is a layer: a class built as `Layer(weight, bias)` holding
`nl.Parameter`s, with `forward(x)` and `backward(dout)` as every nnlite Module has.

Beyond the values (checked as `function_check` checks a function, output by output:
the forward pass y, then dx, dW, db), a layer must keep the Module contract:

- backward ADDS into `.grad`: each trial starts the gradients at a known nonzero value,
  so a layer that overwrites them (`self.weight.grad = ...`) is told so;
- forward caches what backward needs, on every call: backward after two forward calls
  must use the second input, and a backward that finds nothing cached is named;
- neither pass changes the caller's x or dout in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nnlite.course import compare
from nnlite.course.function_check import Spec, Trial, call, diagnose, where
from nnlite.course.result import CheckResult, failed, passed


def prior(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The gradient a parameter holds before the checked backward (as if an earlier
    backward, of a shared weight or another batch, had put it there)."""
    return (0.5 + 0.125 * np.arange(int(np.prod(shape)))).reshape(shape).astype(dtype)


def cache_finding(err: BaseException) -> str:
    """A backward that failed for want of something forward should have cached."""
    missing = re.search(r"has no attribute '(\w+)'", str(err))
    if isinstance(err, AttributeError) and missing:
        return (f"backward reads self.{missing[1]}, which forward never set: the forward "
                f"input was not cached. forward must keep what backward needs (self.x = x: "
                f"the a^(l-1) of ∂L/∂W^(l) = (a^(l-1))^T ∂L/∂z^(l)){where(err)}")
    if isinstance(err, TypeError) and "NoneType" in str(err):
        return (f"backward found None where forward's input belongs: the forward input was "
                f"not cached (forward must set it on every call){where(err)}")
    return f"backward raised {type(err).__name__}: {err}{where(err)}"


def params(layer: Any) -> tuple[Any, Any] | str:
    found = (getattr(layer, "weight", None), getattr(layer, "bias", None))
    if not all(hasattr(p, "data") and hasattr(p, "grad") for p in found):
        return ("has no Parameters weight and bias: keep the stub's __init__ "
                "(self.weight = nl.Parameter(weight), self.bias = nl.Parameter(bias))")
    return found


def one_trial(cls: Any, t: Trial, findings: list[str]) -> dict[str, Any]:
    """Forward and backward once; the values and what went wrong on the way."""
    x, W, b, dout = t.args
    layer, error, _ = call(lambda W, b: cls(W, b), (W, b))
    if error is not None:
        findings.append(f"could not be built: {cls.__name__}(weight, bias) raised "
                        f"{type(error).__name__}: {error}{where(error)}")
        return {}
    found = params(layer)
    if isinstance(found, str):
        findings.append(found)
        return {}
    weight, bias = found
    weight.grad, bias.grad = prior(W.shape, t.dtype), prior(b.shape, t.dtype)
    out: dict[str, Any] = {}
    y, error, moved = call(layer.forward, (x,))
    if moved:
        findings.append("forward changed its input x in place (the caller's array, and the "
                        "x that backward needs, are no longer the input): build a new array")
    if error is not None:
        findings.append(f"forward raised {type(error).__name__}: {error}{where(error)}")
        return out
    out["y"] = compare.as_array(y)
    dx, error, moved = call(layer.backward, (dout,))
    if moved:
        findings.append("backward changed dout in place: the caller's gradient is not the "
                        "same after the call; build new arrays")
    if error is not None:
        findings.append(cache_finding(error))
        return out
    out["dx"] = compare.as_array(dx)
    if out["dx"] is None:
        findings.append(f"backward returned {type(dx).__name__}: it must return dx = ∂L/∂x, "
                        "the gradient handed to the layer below")
    for name, p, shape in (("dW", weight, W.shape), ("db", bias, b.shape)):
        total = compare.as_array(p.grad)
        out[name] = None if total is None or total.shape != shape else \
            total - prior(shape, np.dtype(np.float64))
        if compare.close(total, t.want[name], t.dtype) and not compare.close(
                out[name], t.want[name], t.dtype):
            out["overwritten"] = True
    return out


def stale(cls: Any, t: Trial, other_x: np.ndarray) -> bool:
    """Does backward after forward(other_x), forward(x) give what it gives after
    forward(other_x) alone (and not the gradient at x)?"""
    x, W, b, dout = t.args

    def weight_grad(*inputs: np.ndarray) -> np.ndarray | None:
        layer = cls(W.copy(), b.copy())
        for given in inputs:
            layer.forward(given.copy())
        layer.weight.grad = np.zeros(W.shape, t.dtype)
        layer.bias.grad = np.zeros(b.shape, t.dtype)
        layer.backward(dout.copy())
        return compare.as_array(layer.weight.grad)

    got, earlier = weight_grad(other_x, x), weight_grad(other_x)
    return not compare.close(got, t.want["dW"], t.dtype) and compare.close(got, earlier, t.dtype)


def stale_safely(cls: Any, t: Trial, other_x: np.ndarray) -> bool:
    try:
        return stale(cls, t, other_x)
    except Exception:  # noqa: BLE001 (a layer that fails here fails the value checks too)
        return False


def run_layer_check(cls: Any, spec: Spec, trials: Sequence[Trial],
        other_input: Callable[[Trial], np.ndarray]) -> CheckResult:
    """Check the class `cls` on every trial; see the module docstring."""
    if not isinstance(cls, type):
        return failed(spec.name, [(f"must be a class (with forward and backward); got "
                                   f"{type(cls).__name__}")])
    findings: list[str] = []
    results = [one_trial(cls, t, findings) for t in trials]
    if findings and all(not r for r in results):
        return failed(spec.name, list(dict.fromkeys(findings)))
    if any(r.get("overwritten") for r in results):
        findings.append(".grad overwritten instead of accumulated: backward must ADD into "
                        "weight.grad and bias.grad (+=): they hold what earlier backward "
                        "calls put there (a weight shared by two layers, several batches "
                        "before a step), and zero_grad() is what clears them")
    elif all(r.get("dW") is not None for r in results) and stale_safely(
            cls, trials[0], other_input(trials[0])):
        findings.append("backward used the input of an earlier forward call: forward must "
                        "cache its input on every call (self.x = x), replacing the last one")
    for o in spec.outputs:
        got = [r.get(o) for r in results]
        if o in ("dW", "db") and any(r.get("overwritten") for r in results):
            continue
        finding = diagnose(spec, o, trials, got)
        if finding:
            findings.append(("forward: " if o == "y" else "") + finding)
    if findings:
        return failed(spec.name, list(dict.fromkeys(findings)))
    return passed(spec.name, "forward, dx, and the gradients accumulated into weight.grad and "
                  f"bias.grad agree with central differences (float64) on {len(trials)} "
                  "trials, with the input cached on every forward call: " +
                  "; ".join(t.label for t in trials))
