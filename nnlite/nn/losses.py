"""Losses: `value = loss(pred, target)` returns a float; `loss.backward()` returns
d value / d pred with pred's shape and dtype (float64 for integer pred).

Shapes must match exactly (no silent broadcasting of (N,) against (N, 1)); the
classification losses take logits and use the log-sum-exp form, so they stay finite
for logits of any size.
"""

from __future__ import annotations

import numpy as np

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

    def _float_arrays(self, pred: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, ...]:
        """pred as a float array (float64 if it is not one: an integer dtype would round
        the loss) and target in pred's dtype, checked to have the same nonempty shape."""
        pred = np.asarray(pred)
        if pred.dtype.kind != "f":
            pred = pred.astype(np.float64)
        target = np.asarray(target, dtype=pred.dtype)
        self._check_same_shape(pred, target)
        self._check_nonempty(pred)
        return pred, target

    def _check_nonempty(self, pred: np.ndarray) -> None:
        if pred.size == 0:
            raise ValueError(f"{type(self).__name__}: got an empty batch of shape {pred.shape}")

    def _cached(self) -> tuple:
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before the loss was computed")
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

    def __repr__(self) -> str:
        half = ", half=True" if self.half else ""  # ½‖ŷ−y‖² prints as what it is
        return f"MSELoss(reduction={self.reduction!r}{half})"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        pred, target = self._float_arrays(pred, target)
        diff = pred - target
        scale = (0.5 if self.half else 1.0) / self._count(pred)
        self._cache = (diff, scale)
        return float(np.dot(diff.ravel(), diff.ravel()) * scale)

    def backward(self) -> np.ndarray:
        diff, scale = self._cached()
        return diff * (2.0 * scale)


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits z with targets y in [0, 1] (not checked, as in PyTorch:
    on a small batch the check would cost more than the loss itself):

        l = softplus(z) - z y            (= -y log s(z) - (1-y) log(1-s(z)))
        dl/dz = sigmoid(z) - y

    softplus(z) = log(1 + e^z) comes from np.logaddexp(0, z), which never overflows nor
    takes log(0); forward keeps it, and backward gets sigmoid from it for one more pass:
    e^-softplus(z) = 1 / (1 + e^z) = 1 - sigmoid(z). pred, target: same shape, any.
    """

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        pred, target = self._float_arrays(pred, target)
        softplus = np.logaddexp(0.0, pred)
        count = self._count(pred)
        self._cache = (target, softplus, count)
        return float((softplus - pred * target).sum() / count)

    def backward(self) -> np.ndarray:
        target, softplus, count = self._cached()
        dz = np.expm1(-softplus)  # e^-softplus - 1 = -sigmoid(z), exact at both tails
        dz += target
        dz *= -1.0 / count  # (sigmoid(z) - y) / count
        return dz


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits (N, C) and integer labels (N,) in [0, C).

    With label smoothing eps the target distribution is q = (1 - eps) onehot + eps / C:
        l_n = -sum_c q_nc log_softmax(z_n)_c,   dl_n/dz_n = softmax(z_n) - q_n
    where, with s = z - max_c z (so that exp cannot overflow) and lse_n = log sum_c e^s_nc,
    log_softmax(z_n)_c = s_nc - lse_n, hence l_n = -(1 - eps) s_n,y_n - eps/C sum_c s_nc + lse_n.
    "mean" divides by N (the number of samples), as PyTorch does.
    """

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(
                f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing!r}"
            )
        self.label_smoothing = float(label_smoothing)

    def _labels(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """The labels as a checked 1-D integer array ((N, 1) is accepted too), N >= 1."""
        if logits.ndim != 2:
            raise ValueError(f"CrossEntropyLoss: logits must be (N, C), got shape {logits.shape}")
        self._check_nonempty(logits)
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.shape != (logits.shape[0],) or labels.dtype.kind not in "iu":
            raise ValueError(
                f"CrossEntropyLoss: labels must be integers of shape ({logits.shape[0]},), "
                f"got {labels.dtype} of shape {labels.shape}"
            )
        n_classes = logits.shape[1]
        # As unsigned integers negative labels are huge, so the largest checks both bounds
        # (found with argmax, several times cheaper than max() on a short array).
        unsigned = labels.astype(np.uint64)
        if unsigned[unsigned.argmax()] >= n_classes:
            raise ValueError(
                f"CrossEntropyLoss: labels must be in [0, {n_classes}), got values in "
                f"[{labels.min()}, {labels.max()}]"
            )
        return labels

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        labels = self._labels(pred, target)
        rows = np.arange(len(labels))
        shifted = pred - pred.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        sum_exp = exp.sum(axis=1, keepdims=True)
        eps = self.label_smoothing
        total = (1.0 - eps) * float(shifted[rows, labels].sum()) - float(np.log(sum_exp).sum())
        if eps:
            total += eps / pred.shape[1] * float(shifted.sum())
        count = float(pred.shape[0]) if self.reduction == "mean" else 1.0
        self._cache = (exp, sum_exp, rows, labels, count)
        return -total / count

    def backward(self) -> np.ndarray:
        exp, sum_exp, rows, labels, count = self._cached()
        eps = self.label_smoothing
        dz = exp / sum_exp  # softmax(z)
        dz[rows, labels] -= 1.0 - eps  # minus q: its one-hot part...
        if eps:
            dz -= eps / exp.shape[1]  # ...and its uniform part
        dz *= 1.0 / count
        return dz

    def __repr__(self) -> str:
        return (f"CrossEntropyLoss(reduction={self.reduction!r}, "
                f"label_smoothing={self.label_smoothing})")
