"""The first step of the backward pass worked out: the loss's formula, ∂ℓ/∂ŷ's formula,
and ∂ℓ/∂ŷ's numbers computed from that formula here (the backward pass itself uses the
loss's own `backward()`; the two agree, and the tests check both against numpy).

Formulas are known for nnlite's MSELoss, BCEWithLogitsLoss and CrossEntropyLoss, those
classes exactly: a subclass may compute something else. Any other loss (a plugin's) is
shown by its own backward() without a formula, and the text says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnlite.explain import notation as n
from nnlite.nn.activations import softmax, stable_sigmoid
from nnlite.nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss


@dataclass
class LossStep:
    """value: ℓ's formula; derivative: ∂ℓ/∂ŷ's formula; numbers: ∂ℓ/∂ŷ by that formula,
    ŷ's shape (None for a loss without a known formula); middle: what the formula reads
    beside y (ŷ - y, σ(ŷ) or softmax(ŷ)) and its name; unit(s, j): entry j of sample s
    worked out with numbers ('2·(0.8 - 0.5)/1')."""

    value: str
    derivative: str
    numbers: np.ndarray | None = None
    middle: np.ndarray | None = None
    middle_name: str = ""
    unit: Callable[[int, int], str] | None = None


def mse_scale(loss: MSELoss, count: int) -> tuple[float, str]:
    """(c in ℓ = c Σ r^2 for the residuals r = ŷ - y, and c as ℓ's prefix in text)."""
    mean = loss.reduction == "mean"
    c = (0.5 if loss.half else 1.0) / (count if mean else 1)
    prefix = {(True, False): "(1/n) ", (True, True): "(1/(2n)) ", (False, False): "",
              (False, True): "½ "}[(mean, loss.half)]
    return c, prefix


def worked_loss_step(loss: Loss, output: np.ndarray, target: np.ndarray, q: str = "ℓ",
                     yhat: str = "ŷ", y: str = "y") -> LossStep:
    """The loss step for `loss` at ŷ = output (N, k) and its target, in symbols q, yhat, y."""
    out = np.asarray(output, dtype=np.float64)
    count = out.size
    if type(loss) is MSELoss:
        t = np.asarray(target, dtype=np.float64)
        c, prefix = mse_scale(loss, count)
        mean = loss.reduction == "mean"
        over = f" over the n = {count} values of {yhat}" if mean else ""
        two, per_n, tail = ("" if loss.half else "2"), ("/n" if mean else ""), (
            f"/{count}" if mean else "")
        r = out - t
        return LossStep(
            f"{q} = {prefix}Σ ({yhat} - {y})^2{over}",
            f"∂{q}/∂{yhat} = {two}({yhat} - {y}){per_n}", 2 * c * r, r, f"{yhat} - {y}",
            lambda s, j: f"{two + '·' if two else ''}({n.num(out[s, j])} - "
                         f"{n.num(t[s, j])}){tail}")
    if type(loss) is BCEWithLogitsLoss:
        t = np.asarray(target, dtype=np.float64)
        mean = loss.reduction == "mean"
        sig = stable_sigmoid(out)
        over, per = ("(1/n) ", f" over the n = {count} values of {yhat}") if mean else ("", "")
        tail = f"/{count}" if mean else ""
        return LossStep(
            f"{q} = {over}Σ [log(1 + e^{yhat}) - {y} {yhat}]{per} (= -{y} log σ({yhat}) - "
            f"(1 - {y}) log(1 - σ({yhat})), {yhat} the logits)",
            f"∂{q}/∂{yhat} = (σ({yhat}) - {y}){'/n' if mean else ''}",
            (sig - t) / (count if mean else 1), sig, f"σ({yhat})",
            lambda s, j: f"(σ({n.num(out[s, j])}) - {n.num(t[s, j])}){tail} = "
                         f"({n.num(sig[s, j])} - {n.num(t[s, j])}){tail}")
    if type(loss) is CrossEntropyLoss:
        labels = np.asarray(target).reshape(-1).astype(int)
        samples, classes = out.shape
        eps = loss.label_smoothing
        qs = np.full(out.shape, eps / classes)
        qs[np.arange(samples), labels] += 1.0 - eps
        p = softmax(out, axis=1)
        mean = loss.reduction == "mean"
        over = f"(1/N) Σ over the N = {samples} sample(s) of " if mean else "Σ over the samples of "
        tail = f"/{samples}" if mean else ""
        if eps:
            value = (f"{q} = {over}-Σ_c q_c log softmax({yhat})_c, q = (1 - ε) onehot({y}) + "
                     f"ε/C, ε = {n.num(eps)}, C = {classes} ({yhat} the logits, {y} the class)")
            minus = "q"
        else:
            value = (f"{q} = {over}-log softmax({yhat})_{y} ({yhat} the logits, {y} the "
                     "class)")
            minus = f"onehot({y})"
        return LossStep(
            value, f"∂{q}/∂{yhat} = (softmax({yhat}) - {minus}){'/N' if mean else ''}",
            (p - qs) / (samples if mean else 1), p, f"softmax({yhat})",
            lambda s, j: f"(softmax({yhat})_{j + 1} - {n.num(qs[s, j])}){tail} = "
                         f"({n.num(p[s, j])} - {n.num(qs[s, j])}){tail}")
    return LossStep(f"{q} = {loss!r}({yhat}, {y})",
                    f"∂{q}/∂{yhat} = {type(loss).__name__}.backward(): a loss without a formula "
                    "here (not nnlite's MSELoss, BCEWithLogitsLoss or CrossEntropyLoss), so "
                    "only its numbers are shown")
