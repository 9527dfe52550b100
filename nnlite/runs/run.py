"""`Run`: what one training run is made of, and what training-event plugins see."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.data import Dataset, Standardizer
from nnlite.nn.module import Module


@dataclass
class Run:
    """The config, the built objects and the output dir (what plugins' hooks receive),
    and what training records as it goes.

    `loss_name` is the registered name of the loss (chosen once, from the config and the
    task); `model_spec` is how to rebuild the model (stored beside its weights).
    `snapshots` holds (epoch, [(W, b) of each Linear layer]) for the epochs asked for.
    `best_weights` follows the best monitored epoch (saved as best.npz).
    """

    config: dict[str, Any]
    out_dir: Path | None
    model: Module
    loss: Any
    optimizer: Any
    data: dict[str, Dataset]
    loss_name: str = "auto"
    model_spec: dict[str, Any] = field(default_factory=dict)
    standardizer: Standardizer | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    stop_reason: str | None = None
    initial_grad_norms: dict[str, float] = field(default_factory=dict)  # before any update
    initial_activations: dict[str, float] = field(default_factory=dict)  # saturated/dead at start
    snapshots: list[tuple[int, list[tuple[np.ndarray, np.ndarray | None]]]] = field(
        default_factory=list)
    best_weights: Any = None  # a nnlite.runs.best.BestWeights, set by the trainer
    restored_best_epoch: int | None = None  # early stopping put this epoch's weights back
    initial_loss: float | None = None  # on the training set, before any update
    test_metrics: dict[str, float] = field(default_factory=dict)  # once, on the final model
