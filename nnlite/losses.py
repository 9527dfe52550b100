"""Losses: `value = loss(pred, target)` returns a float; `loss.backward()` returns
d value / d pred with pred's shape and dtype.

Shapes must match exactly (no silent broadcasting of (N,) against (N, 1)); the
classification losses take logits and use the log-sum-exp form, so they stay finite
for logits of any size.
"""

from __future__ import annotations

import numpy as np

from nnlite.activations import log_softmax, softmax, stable_sigmoid

REDUCTIONS = ("mean", "sum")


class Loss:
    """Base class: subclasses implement `forward(pred, target) -> float` and `backward()`."""

    def __init__(self, reduction: str = "mean") -> None:
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {REDUCTIONS}, got {reduction!r}"
            )
        self.reduction = reduction
        self._cache: tuple | None = None

    def __call__(self, pred: np.ndarray, target: np.ndarray) -> float:
        return self.forward(pred, target)

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def _count(self, pred: np.ndarray) -> float:
        """What a sum is divided by: the number of elements for "mean", 1 for "sum"."""
        return float(pred.size) if self.reduction == "mean" else 1.0

    def _check_same_shape(self, pred: np.ndarray, target: np.ndarray) -> None:
        if pred.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: pred has shape {pred.shape} but target has shape "
                f"{target.shape}; they must match (reshape the target, e.g. y.reshape(-1, 1))"
            )

    def _cached(self) -> tuple:
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before the loss was computed")
        return self._cache

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reduction={self.reduction!r})"


class MSELoss(Loss):
    """Squared error: mean (or sum) of (pred - target)^2 over all elements.

    With `half=True` the value is halved, so reduction="sum", half=True is the course
    notes' l = 1/2 ||y_hat - y||^2 whose gradient is simply (y_hat - y).
    pred, target: same shape, any.
    """

    def __init__(self, reduction: str = "mean", half: bool = False) -> None:
        super().__init__(reduction)
        self.half = bool(half)

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        target = np.asarray(target, dtype=pred.dtype)
        self._check_same_shape(pred, target)
        diff = pred - target
        scale = (0.5 if self.half else 1.0) / self._count(pred)
        self._cache = (diff, scale)
        return float(np.dot(diff.ravel(), diff.ravel()) * scale)

    def backward(self) -> np.ndarray:
        diff, scale = self._cached()
        return diff * (2.0 * scale)


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits z with targets y in [0, 1]:

        l = max(z, 0) - z y + log(1 + e^-|z|)      (= -y log s(z) - (1-y) log(1-s(z)))
        dl/dz = sigmoid(z) - y

    The log-sum-exp form never takes log(0). pred, target: same shape, any.
    """

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        target = np.asarray(target, dtype=pred.dtype)
        self._check_same_shape(pred, target)
        losses = np.maximum(pred, 0.0) - pred * target + np.log1p(np.exp(-np.abs(pred)))
        self._cache = (pred, target)
        return float(losses.sum() / self._count(pred))

    def backward(self) -> np.ndarray:
        pred, target = self._cached()
        return (stable_sigmoid(pred) - target) * (1.0 / self._count(pred))


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits (N, C) and integer labels (N,) in [0, C).

    With label smoothing eps the target distribution is q = (1 - eps) onehot + eps / C:
        l_n = -sum_c q_nc log_softmax(z_n)_c,   dl_n/dz_n = softmax(z_n) - q_n
    "mean" divides by N (the number of samples), as PyTorch does.
    """

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(
                f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing!r}"
            )
        self.label_smoothing = float(label_smoothing)

    def _targets(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        if logits.ndim != 2:
            raise ValueError(f"CrossEntropyLoss: logits must be (N, C), got shape {logits.shape}")
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.shape != (logits.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"CrossEntropyLoss: labels must be integers of shape ({logits.shape[0]},), "
                f"got {labels.dtype} of shape {labels.shape}"
            )
        n_classes = logits.shape[1]
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"CrossEntropyLoss: labels must be in [0, {n_classes}), got values in "
                f"[{labels.min()}, {labels.max()}]"
            )
        q = np.full(logits.shape, self.label_smoothing / n_classes, dtype=logits.dtype)
        q[np.arange(len(labels)), labels] += 1.0 - self.label_smoothing
        return q

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        q = self._targets(pred, target)
        logp = log_softmax(pred)
        count = float(pred.shape[0]) if self.reduction == "mean" else 1.0
        self._cache = (pred, q, count)
        return float(-(q * logp).sum() / count)

    def backward(self) -> np.ndarray:
        pred, q, count = self._cached()
        return (softmax(pred) - q) * (1.0 / count)

    def __repr__(self) -> str:
        return (f"CrossEntropyLoss(reduction={self.reduction!r}, "
                f"label_smoothing={self.label_smoothing})")
