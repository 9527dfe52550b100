"""Example loss plugin: the Huber loss, quadratic near the target and linear far away,
so outliers pull on the fit with a bounded force.

    l(d) = d**2 / 2                   if |d| <= delta      (d = pred - target)
           delta * (|d| - delta / 2)  otherwise
    dl/dpred = clip(d, -delta, delta)

A loss subclasses `nl.Loss`: `forward(pred, target)` returns a float and keeps what
`backward()` needs; `backward()` returns d loss / d pred with pred's shape and dtype.

Use it: `python -m nnlite +experiment=sine_fit 'plugins=[plugins/huber.py]' loss=huber`.
"""

import numpy as np

import nnlite as nl


class HuberLoss(nl.Loss):
    """Huber loss, mean (or sum) over all elements; pred, target: same shape, any."""

    def __init__(self, delta: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be > 0, got {delta!r}")
        self.delta = float(delta)

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        target = np.asarray(target, dtype=pred.dtype)
        self._check_same_shape(pred, target)
        diff = pred - target
        small = np.minimum(np.abs(diff), self.delta)  # the quadratic part of |d|
        losses = 0.5 * small * small + self.delta * (np.abs(diff) - small)
        self._cache = (diff, self._count(pred))
        return float(losses.sum() / self._cache[1])

    def backward(self) -> np.ndarray:
        diff, count = self._cached()
        return np.clip(diff, -self.delta, self.delta) * (1.0 / count)

    def __repr__(self) -> str:
        return f"HuberLoss(delta={self.delta}, reduction={self.reduction!r})"


@nl.hookimpl
def nnlite_losses() -> dict[str, type]:
    return {"huber": HuberLoss}
