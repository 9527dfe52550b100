"""Exercise: inverted dropout as an nnlite Module, `Dropout(p, rng)`. In training each
unit is dropped with probability p and the kept ones are scaled by 1/(1 − p), so that
E[out] = x and evaluation needs no rescaling; in eval mode it is the identity (note 002
§1 Q5, whose "scaled down at evaluation" is classic dropout, not inverted dropout).

    forward(x: (N, D)) -> out = x ⊙ mask / (1 − p), mask_ij = 1 with probability 1 − p
    backward(dout: (N, D)) -> dx = dout ⊙ mask / (1 − p), with forward's own mask

Checked on 20,000 units (the fraction kept, the scale), against central differences of
the attempt's own forward with its mask held fixed (the same seed each call), and in
eval mode.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.course import compare
from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import call, numeric, where
from nnlite.course.layer_check import cache_finding
from nnlite.course.result import CheckResult, failed, passed
from nnlite.explain.notation import num
from nnlite.nn.module import Module

SETTINGS = [(0.25, np.float64, 0), (0.6, np.float32, 1)]


def units(shape: tuple[int, ...], dtype: type, seed: int) -> np.ndarray:
    """Inputs with no zeros (a zero would hide whether its unit was kept)."""
    rng = np.random.default_rng(seed)
    return ((1.0 + np.abs(rng.normal(size=shape))) * rng.choice([-1, 1], shape)).astype(dtype)


def forward_findings(cls: Any, p: float, dtype: type, seed: int) -> list[str]:
    x = units((400, 50), dtype, seed)
    layer = cls(p, np.random.default_rng(seed))
    out, error, moved = call(layer.forward, (x,))
    found = [("forward changed its input x in place (x *= mask): build a new array, "
             "out = x * mask / (1 - p)")] if moved else []
    if error is not None:
        return found + [f"forward raised {type(error).__name__}: {error}{where(error)}"]
    out = compare.as_array(out)
    if out is None or out.shape != x.shape:
        return found + [f"forward must return an array of x's shape {x.shape}"]
    ratio = out / x.astype(np.float64)
    kept = ratio != 0
    share, scale = float(kept.mean()), ratio[kept]
    if abs(share - p) < 0.02 and abs(p - 0.5) > 0.05:
        found.append(f"kept each unit with probability p = {p} instead of 1 − p = {1 - p:g}: p "
                     "is the probability of dropping a unit (keep it where rng.random() >= p)")
    elif abs(share - (1 - p)) > 0.02:
        found.append(f"kept {share:.1%} of the units; with p = {p} each is kept with "
                     f"probability 1 − p = {1 - p:.0%}")
    if scale.size and np.allclose(scale, 1.0):
        found.append("is not inverted: the kept units are not scaled. Inverted dropout "
                     f"multiplies them by 1/(1 − p) = {1 / (1 - p):.4g} in training, so "
                     "E[out] = x and evaluation is the identity")
    elif scale.size and np.allclose(scale, 1 / p):
        found.append(f"scaled the kept units by 1/p = {1 / p:.4g}: a unit is kept with "
                     f"probability 1 − p, so the scale is 1/(1 − p) = {1 / (1 - p):.4g}")
    elif scale.size and not np.allclose(scale, 1 / (1 - p), rtol=1e-5):
        found.append(f"scaled the kept units by {num(float(np.median(scale)))}, "
                     f"not 1/(1 − p) = {1 / (1 - p):.4g}")
    again = compare.as_array(layer.forward(x.copy()))
    if again is not None and np.array_equal(again != 0, kept):
        found.append("drew the same mask on every call: draw a new one from self.rng on "
                     "each forward")
    twin = compare.as_array(cls(p, np.random.default_rng(seed)).forward(x.copy()))
    if twin is None or not np.array_equal(twin != 0, kept):
        found.append("does not draw its mask from self.rng, the generator it was given: the "
                     "same seed must give the same mask, or no run can be repeated")
    return found


def backward_findings(cls: Any, p: float, dtype: type, seed: int) -> list[str]:
    """In float64 whatever the setting's dtype: a step of 1e-6 is lost in float32."""
    dtype = np.float64
    x, dout = units((4, 5), dtype, seed + 10), units((4, 5), dtype, seed + 20)
    layer = cls(p, np.random.default_rng(seed))
    out = compare.as_array(layer.forward(x.copy()))
    dx, error, moved = call(layer.backward, (dout,))
    found = ["backward changed dout in place: build a new array"] if moved else []
    if error is not None:
        return found + [cache_finding(error)]
    dx = compare.as_array(dx)
    if dx is None or out is None:
        return found + ["backward must return dx, an array of dout's shape"]
    kept = out != 0

    def own_forward(values: np.ndarray) -> float:  # the attempt's forward, mask fixed by seed
        again = cls(p, np.random.default_rng(seed)).forward(values.copy())
        return float(np.sum(dout.astype(np.float64) * np.asarray(again, dtype=np.float64)))

    x64 = x.copy()
    [want] = numeric(lambda: own_forward(x64), x64)
    if compare.close(dx, want, dtype):
        return found
    if not np.array_equal(dx != 0, kept):
        return found + [("backward used a different mask from forward's: forward must cache "
                         "the mask it drew (self.mask = ...) for backward; a unit dropped "
                         "going forward gets gradient 0 going back")]
    if compare.close(dx, dout * kept, dtype):
        return found + [("backward left out the 1/(1 − p): it must scale as forward did, "
                         "dx = dout ⊙ mask / (1 − p)")]
    return found + ["backward does not match central differences of forward: on "
                    f"p = {p}: " + compare.differences(dx, want, dtype)]


def eval_findings(cls: Any, p: float, dtype: type, seed: int) -> list[str]:
    x, dout = units((50, 20), dtype, seed), units((50, 20), dtype, seed + 1)
    layer = cls(p, np.random.default_rng(seed))
    if hasattr(layer, "eval"):
        layer.eval()
    else:
        layer.training = False
    out = compare.as_array(layer.forward(x.copy()))
    found = []
    if out is not None and compare.close(out, x * (1 - p), dtype):
        found.append(f"scaled by 1 − p = {1 - p:g} in eval mode: that is classic dropout. "
                     "Inverted dropout scales by 1/(1 − p) in training and leaves "
                     "evaluation alone (note 002 §1 Q5 mixes the two)")
    elif not compare.close(out, x, dtype):
        found.append("is not the identity in eval mode (self.training is False): at "
                     "evaluation dropout drops nothing and scales nothing")
    if not compare.close(compare.as_array(layer.backward(dout.copy())), dout, dtype):
        found.append("backward in eval mode must pass dout through unchanged")
    return found


def _check(cls: Any) -> CheckResult:
    """The first setting (p, dtype) whose checks find something gives the diagnosis;
    backward is checked once forward is right (its central differences need it)."""
    if not isinstance(cls, type):
        return failed("dropout", [f"must be a class; got {type(cls).__name__}"])
    for p, dtype, seed in SETTINGS:
        findings: list[str] = []
        for part in (forward_findings, backward_findings, eval_findings):
            if part is backward_findings and findings:
                continue
            try:
                findings += part(cls, p, dtype, seed)
            except NotImplementedError:
                return failed("dropout", [("not written yet: Dropout raises "
                                           "NotImplementedError; replace the `raise`s")])
            except Exception as err:  # noqa: BLE001 (the student's code: a finding)
                findings.append(f"raised {type(err).__name__}: {err}{where(err)}")
        if findings:
            return failed("dropout", [f"with p = {p} ({np.dtype(dtype).name}): {f}"
                                      for f in dict.fromkeys(findings)])
    return passed("dropout", "keeps 1 − p of the units, scales them by 1/(1 − p), caches its "
                  "mask for backward (which matches central differences of forward), draws "
                  "from its own generator and is the identity in eval mode; for p = 0.25 "
                  "(float64) and p = 0.6 (float32)")


class ReferenceDropout(Module):
    """Inverted dropout; the identity in eval mode."""

    def __init__(self, p: float, rng: np.random.Generator) -> None:
        self.p, self.rng = p, rng
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training:
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1 - self.p)
        return x * self.mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout if not self.training else dout * self.mask


STUB = '''
class Dropout(nl.Module):
    """Inverted dropout: in training, drop each unit with probability p and scale the
    kept ones by 1/(1 − p); in eval mode (self.training is False), the identity.

    p:   the probability of dropping a unit, 0 <= p < 1
    rng: a numpy Generator; draw every mask from it (self.rng.random(shape))
    """

    def __init__(self, p, rng):
        self.p = p
        self.rng = rng

    def forward(self, x):
        """x: (N, D) -> out: (N, D). Keep what backward needs."""
        raise NotImplementedError("write Dropout.forward")

    def backward(self, dout):
        """dout: (N, D) = ∂L/∂out -> dx: (N, D) = ∂L/∂x."""
        raise NotImplementedError("write Dropout.backward")
'''

EXERCISE = Exercise("dropout", "Dropout", "Dropout(p, rng): forward(x), backward(dout)",
                    "inverted dropout: the mask, the 1/(1 − p), eval mode",
                    "note 002 §1 Q5, nnlite/nn/dropout.py",
                    stub_text(STUB, "dropout", "Exercise dropout: inverted dropout. Check: "
                              "python -m nnlite course check dropout THIS_FILE"),
                    ReferenceDropout, _check)
