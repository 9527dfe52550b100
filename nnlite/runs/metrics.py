"""What a model's outputs mean for a task: output width, targets, labels, metrics.

`evaluate` gives a split's loss plus accuracy (classification) or MSE and R^2
(regression); `lower_is_better` and `reached_target` say how a metric is compared.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.data import Dataset
from nnlite.nn.module import Module, eval_mode
from nnlite.runs.config.tasks import LOGIT_LOSSES


def output_size(data: Dataset, loss_name: str = "auto") -> int:
    """Output units: one logit per class, a single logit for binary data (unless the loss
    is cross-entropy, which wants two), one unit per regression target."""
    if data.task == "multiclass" or (data.task == "binary" and loss_name == "cross_entropy"):
        return int(data.n_classes)
    if data.task == "binary":
        return 1
    return int(data.y.shape[1])


def targets_for(data: Dataset, loss_name: str) -> np.ndarray:
    """Labels as the loss wants them: (N, 1) floats for BCE/MSE on binary, ints for CE."""
    if data.task == "regression":
        return data.y
    if data.task == "binary" and loss_name != "cross_entropy":
        return data.y.reshape(-1, 1).astype(np.float64)
    return data.y


def binary_threshold(loss_name: str) -> float:
    """Where a single binary output turns from class 0 to class 1: 0 for a logit (the
    logit losses); 0.5 for an output trained towards the 0/1 labels themselves (mse, a
    sigmoid output's probability, a plugin loss's score)."""
    return 0.0 if loss_name in LOGIT_LOSSES else 0.5


def predict_labels(outputs: np.ndarray, task: str, threshold: float = 0.0) -> np.ndarray:
    """Class labels (N,) from outputs (N, C): argmax, or for a single binary output
    `output > threshold` (see `binary_threshold`)."""
    if task == "binary" and outputs.shape[1] == 1:
        return (outputs[:, 0] > threshold).astype(np.int64)
    return outputs.argmax(axis=1)


def evaluate(model: Module, loss: Any, x: np.ndarray, y: np.ndarray, data: Dataset,
             prefix: str, threshold: float = 0.0) -> dict[str, float]:
    """Loss and task metrics on a whole split, in eval mode (dropout off); `threshold`
    is `binary_threshold(loss name)`."""
    with eval_mode(model):
        out = model.forward(x)
    metrics = {f"{prefix}_loss": loss(out, y)}
    if data.task == "regression":
        mse = float(np.mean((out - y) ** 2))
        # each target's variance about its own mean (R^2 = 1 - SSE / SST summed over
        # targets, scikit-learn's "variance_weighted"); one mean for all would inflate it
        variance = float(np.mean(np.var(y, axis=0)))
        metrics[f"{prefix}_mse"] = mse
        metrics[f"{prefix}_r2"] = 1.0 - mse / variance if variance > 0 else float("nan")
    else:
        labels = predict_labels(out, data.task, threshold)
        metrics[f"{prefix}_accuracy"] = float(np.mean(labels == data.y))
    return metrics


def lower_is_better(metric: str) -> bool:
    return metric.endswith(("loss", "mse"))


def better(current: float, best: float, metric: str, min_delta: float = 0.0) -> bool:
    """Is `current` an improvement on `best` by more than `min_delta`?"""
    if lower_is_better(metric):
        return current < best - min_delta
    return current > best + min_delta


def reached_target(value: float, target: float, metric: str) -> bool:
    return value <= target if lower_is_better(metric) else value >= target
