"""`BestWeights`: the weights of the best epoch so far, by one monitored metric.

The monitor is early stopping's when set, else `val_loss` when there is a validation
split, else `train_loss` (never a test metric: choosing on test would report a number
tuned on the data meant to check it). The run saves them as `best.npz`, and early
stopping puts them back into the model before the run ends.
"""

from __future__ import annotations

import numpy as np

from nnlite.nn.module import Module
from nnlite.runs.metrics import better


class BestWeights:
    """The best value of `monitor`, its epoch (0-based, as in metrics.csv) and a copy
    of the model's weights then (name -> array, as `Module.state_dict`)."""

    def __init__(self, monitor: str) -> None:
        self.monitor = monitor
        self.value: float | None = None
        self.epoch: int | None = None
        self.weights: dict[str, np.ndarray] | None = None

    def update(self, epoch: int, row: dict[str, float], model: Module) -> None:
        """Keep this epoch's weights if its monitored value is the best so far (NaN never is)."""
        value = row.get(self.monitor)
        if value is None or value != value:
            return
        if self.value is None or better(value, self.value, self.monitor):
            self.value, self.epoch, self.weights = value, epoch, model.state_dict()
