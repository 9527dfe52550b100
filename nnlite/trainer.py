"""The training loop: epochs of shuffled mini-batches, evaluated once per epoch.

`Trainer.fit` is the whole loop a reader needs to check: forward, loss, backward,
(clip), step for every batch; then metrics on whole splits in eval mode, diagnostics,
training-event hooks, target and early stopping. Building the pieces from a config is
`nnlite.train`'s job.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnlite import diagnostics
from nnlite.data import Dataset, Standardizer, batches
from nnlite.factories import schedule as make_schedule
from nnlite.module import Module
from nnlite.optim import clip_grad_norm
from nnlite.plugins import manager


class Diverged(RuntimeError):
    """The training loss became NaN or infinite."""


@dataclass
class Run:
    """What training-event plugins see: the config, the built objects and the output dir."""

    config: dict[str, Any]
    out_dir: Path | None
    model: Module
    loss: Any
    optimizer: Any
    data: dict[str, Dataset]
    standardizer: Standardizer | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    stop_reason: str | None = None
    initial_grad_norms: dict[str, float] = field(default_factory=dict)  # before any update
    snapshots: list[tuple[int, dict[str, np.ndarray]]] = field(default_factory=list)


def output_size(data: Dataset) -> int:
    if data.task == "multiclass":
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


def predict_labels(outputs: np.ndarray, task: str) -> np.ndarray:
    if task == "binary" and outputs.shape[1] == 1:
        return (outputs[:, 0] > 0).astype(np.int64)
    return outputs.argmax(axis=1)


def evaluate(model: Module, loss: Any, x: np.ndarray, y: np.ndarray, data: Dataset,
             prefix: str) -> dict[str, float]:
    """Loss and task metrics on a whole split, in eval mode (dropout off)."""
    was_training = model.training
    model.eval()
    try:
        out = model.forward(x)
    finally:
        model.train(was_training)
    metrics = {f"{prefix}_loss": loss(out, y)}
    if data.task == "regression":
        mse = float(np.mean((out - y) ** 2))
        variance = float(np.var(y))
        metrics[f"{prefix}_mse"] = mse
        metrics[f"{prefix}_r2"] = 1.0 - mse / variance if variance > 0 else float("nan")
    else:
        metrics[f"{prefix}_accuracy"] = float(np.mean(predict_labels(out, data.task) == data.y))
    return metrics


class Trainer:
    """Epochs of shuffled mini-batches with per-epoch evaluation, early stopping,
    target stopping, lr schedules, gradient clipping and training-event hooks."""

    def __init__(self, run: Run, trainer_cfg: dict[str, Any], seed: int, loss_name: str,
                 recorder: Any = None) -> None:
        self.run = run
        self.cfg = trainer_cfg
        self.rng = np.random.default_rng(seed)
        self.loss_name = loss_name
        self.recorder = recorder
        base_lr = run.optimizer.lr
        sched = trainer_cfg.get("schedule") or {}
        self.lr_at = make_schedule(sched.get("name") or "constant", base_lr=base_lr,
                                   epochs=trainer_cfg["epochs"], **(sched.get("params") or {}))

    def _split_arrays(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        data = self.run.data[name]
        return data.x.astype(self.dtype, copy=False), targets_for(data, self.loss_name)

    def _initial_gradient_norms(self, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """Per-layer gradient norms on the whole training set before any update: where
        vanishing gradients show most plainly (dropout off, parameters untouched)."""
        model, loss = self.run.model, self.run.loss
        model.eval()
        loss(model.forward(x), y)
        model.zero_grad()
        model.backward(loss.backward())
        norms = diagnostics.gradient_norms(model)
        model.zero_grad()
        model.train()
        return norms

    def fit(self, progress: bool = False) -> None:
        # A diverging run overflows long before its loss is NaN; that is detected and
        # recorded (status "diverged") below, so numpy's warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore"):
            self._fit(progress)

    def _fit(self, progress: bool) -> None:
        run, cfg = self.run, self.cfg
        model, loss, opt = run.model, run.loss, run.optimizer
        self.dtype = model.parameters()[0].data.dtype
        x_train, y_train = self._split_arrays("train")
        y_train = y_train.astype(self.dtype) if y_train.dtype.kind == "f" else y_train
        splits = {name: self._split_arrays(name) for name in run.data}
        batch_size = cfg.get("batch_size") or len(x_train)
        clip = cfg.get("clip_grad_norm")
        stopping = cfg.get("early_stopping") or {}
        monitor, patience = stopping.get("monitor"), stopping.get("patience") or 0
        min_delta = stopping.get("min_delta") or 0.0
        target_metric, target_value = cfg.get("target_metric"), cfg.get("target_value")
        best, since_best = None, 0
        bar = _progress_bar(cfg["epochs"], enabled=progress)
        run.initial_grad_norms = self._initial_gradient_norms(x_train, y_train)
        snapshot_epochs = set(cfg.get("snapshot_epochs") or [])
        if 0 in snapshot_epochs:
            run.snapshots.append((0, model.state_dict()))
        start = time.perf_counter()
        for epoch in range(cfg["epochs"]):
            opt.lr = self.lr_at(epoch)
            model.train()
            for xb, yb in batches(x_train, y_train, batch_size, rng=self.rng):
                value = loss(model.forward(xb), yb)
                opt.zero_grad()
                model.backward(loss.backward())
                if clip:
                    clip_grad_norm(opt.params, clip)
                opt.step()
            if not math.isfinite(value):
                raise Diverged(f"training loss became {value} at epoch {epoch}")
            row: dict[str, float] = {"epoch": epoch, "lr": opt.lr}
            row.update(diagnostics.gradient_norms(model))
            for name, (x, y) in splits.items():
                row.update(evaluate(model, loss, x, y, run.data[name], name))
                if name == "train" and cfg.get("diagnostics", True):
                    row.update(diagnostics.activation_stats(model))
            row["time_s"] = time.perf_counter() - start
            run.history.append(row)
            if epoch + 1 in snapshot_epochs:
                run.snapshots.append((epoch + 1, model.state_dict()))
            if self.recorder is not None:
                self.recorder.log_epoch(row)
            if bar is not None:
                bar.update(1)
                bar.set_postfix({k: f"{row[k]:.4g}" for k in ("train_loss", "train_accuracy",
                                                                "val_loss", "val_accuracy") if k in row},
                                refresh=False)
            asked = manager.hook.nnlite_epoch_end(run=run, epoch=epoch, metrics=row)
            if any(asked):
                run.stop_reason = "a plugin asked to stop"
                break
            if target_metric and target_metric in row and reached_target(row[target_metric], target_value,
                                                                   target_metric):
                run.stop_reason = f"{target_metric} reached {target_value}"
                break
            if monitor and patience:
                if monitor not in row:
                    raise ValueError(f"trainer.early_stopping.monitor={monitor!r} is not a "
                                     f"metric; metrics are {', '.join(sorted(row))}")
                current = row[monitor]
                improved = best is None or _better(current, best, monitor, min_delta)
                best, since_best = (current, 0) if improved else (best, since_best + 1)
                if since_best >= patience:
                    run.stop_reason = f"early stopping: {monitor} did not improve for {patience} epochs"
                    break
        if bar is not None:
            bar.close()


def lower_is_better(metric: str) -> bool:
    return metric.endswith(("loss", "mse"))


def _better(current: float, best: float, metric: str, min_delta: float) -> bool:
    if lower_is_better(metric):
        return current < best - min_delta
    return current > best + min_delta


def reached_target(value: float, target: float, metric: str) -> bool:
    return value <= target if lower_is_better(metric) else value >= target


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="epochs", unit="epoch", mininterval=0.2, leave=False)


