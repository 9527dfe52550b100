"""`Run`: what one training run is made of, and what training-event plugins see."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnlite.data import Dataset, Standardizer
from nnlite.nn.losses import Loss
from nnlite.nn.module import Module
from nnlite.optim.optimizer import Optimizer
from nnlite.runs.best import BestWeights
from nnlite.runs.config.schema import Config

# (W, b) of each Linear layer, in forward order (b is None for a layer without bias)
LayerWeights = list[tuple[np.ndarray, "np.ndarray | None"]]


@dataclass
class Run:
    """The config, the built objects and the output folder (what plugins' hooks receive),
    and what training records as it goes. Plugins read it; the trainer writes it.

    config: the checked config (`run.config.trainer.epochs`; `dataclasses.asdict` gives
    the dict that config.yaml holds). out_dir: the run's folder, or None when nothing is
    written. data: the splits by name ("train", and "val", "test" where configured).
    loss_name: the registered name of the loss (from the config and the task).
    model_spec: how to rebuild the model (stored beside its weights in model.npz).
    best_weights: the best monitored epoch's weights (saved as best.npz).
    history: one metrics row per epoch done, as metrics.csv holds them.
    snapshots: (epoch, weights of each Linear layer) for `trainer.snapshot_epochs`.
    """

    config: Config
    out_dir: Path | None
    model: Module
    loss: Loss
    optimizer: Optimizer
    data: dict[str, Dataset]
    loss_name: str
    model_spec: dict
    best_weights: BestWeights
    standardizer: Standardizer | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    stop_reason: str | None = None
    initial_grad_norms: dict[str, float] = field(default_factory=dict)  # before any update
    initial_activations: dict[str, float] = field(default_factory=dict)  # saturated/dead at start
    initial_loss: float | None = None  # on the training set, before any update
    snapshots: list[tuple[int, LayerWeights]] = field(default_factory=list)
    restored_best_epoch: int | None = None  # early stopping put this epoch's weights back
    test_metrics: dict[str, float] = field(default_factory=dict)  # once, on the final model
