"""Early stopping: stop once the monitored metric has not improved for `patience` epochs.

Its state (the best value so far and the epochs since) is what a resumed run needs to
stop at the very epoch an uninterrupted one would: `state()` and `load_state()`.
"""

from __future__ import annotations

from typing import Any

from nnlite.runs.config.schema import EarlyStoppingConfig
from nnlite.runs.metrics import better


class EarlyStopping:
    """Follows `settings.monitor` epoch by epoch (off when monitor is null)."""

    def __init__(self, settings: EarlyStoppingConfig) -> None:
        self.settings = settings
        self.best: float | None = None  # the best monitored value so far
        self.since_best = 0             # epochs since it was reached

    def stop_reason(self, row: dict[str, float]) -> str | None:
        """After an epoch's metrics: why to stop now, or None (also when off)."""
        monitor, patience = self.settings.monitor, self.settings.patience
        if not (monitor and patience):
            return None
        if self.best is None or better(row[monitor], self.best, monitor,
                                       self.settings.min_delta):
            self.best, self.since_best = row[monitor], 0
        else:
            self.since_best += 1
        if self.since_best >= patience:
            return f"early stopping: {monitor} did not improve for {patience} epochs"
        return None

    def state(self) -> dict[str, Any]:
        return {"best": self.best, "since_best": self.since_best}

    def load_state(self, state: dict[str, Any]) -> None:
        self.best, self.since_best = state["best"], int(state["since_best"])
