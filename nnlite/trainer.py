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
    initial_activations: dict[str, float] = field(default_factory=dict)  # saturated/dead at start
    snapshots: list[tuple[int, dict[str, np.ndarray]]] = field(default_factory=list)


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


def predict_labels(outputs: np.ndarray, task: str) -> np.ndarray:
    if task == "binary" and outputs.shape[1] == 1:
        return (outputs[:, 0] > 0).astype(np.int64)
    return outputs.argmax(axis=1)


def metric_names(data: dict[str, Dataset]) -> list[str]:
    """The per-split metrics `evaluate` will report for these splits."""
    kinds = ("loss", "mse", "r2") if data["train"].task == "regression" else ("loss", "accuracy")
    return [f"{split}_{kind}" for split in data for kind in kinds]


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
        # each target's variance about its own mean (R^2 = 1 - SSE / SST summed over
        # targets, scikit-learn's "variance_weighted"); one mean for all would inflate it
        variance = float(np.mean(np.var(y, axis=0)))
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
        """`recorder` (a `nnlite.runs.RunRecorder` or None) is told every epoch's metrics."""
        self.run = run
        self.cfg = trainer_cfg
        self.rng = np.random.default_rng(seed)
        self.loss_name = loss_name
        self.recorder = recorder
        self._check_metric_names()
        base_lr = run.optimizer.lr
        sched = trainer_cfg.get("schedule") or {}
        self.lr_at = make_schedule(sched.get("name") or "constant", base_lr=base_lr,
                                   epochs=trainer_cfg["epochs"], **(sched.get("params") or {}))

    def _check_metric_names(self) -> None:
        """A misspelt target or monitored metric would silently never trigger: refuse it."""
        known = metric_names(self.run.data)
        stopping = self.cfg.get("early_stopping") or {}
        for key, name in (("trainer.target_metric", self.cfg.get("target_metric")),
                          ("trainer.early_stopping.monitor", stopping.get("monitor"))):
            if name is not None and name not in known:
                raise ValueError(f"{key}={name!r} is not a metric of this run; "
                                 f"metrics are {', '.join(known)}")
        if self.cfg.get("target_metric") is not None and self.cfg.get("target_value") is None:
            raise ValueError("trainer.target_metric is set but trainer.target_value is null")

    def _split_arrays(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        data = self.run.data[name]
        return data.x.astype(self.dtype, copy=False), targets_for(data, self.loss_name)

    def _measure_initial_state(self, x: np.ndarray, y: np.ndarray) -> None:
        """Per-layer gradient norms and activation saturation on the whole training set
        before any update, where vanishing gradients and saturated units show most
        plainly (dropout off, parameters untouched)."""
        run, model, loss = self.run, self.run.model, self.run.loss
        model.eval()
        loss(model.forward(x), y)
        model.zero_grad()
        model.backward(loss.backward())
        run.initial_grad_norms = diagnostics.gradient_norms(model)
        run.initial_activations = diagnostics.summarize_activations(
            diagnostics.activation_stats(model))
        model.zero_grad()
        model.train()

    def fit(self, progress: bool = False) -> None:
        # A diverging run overflows long before its loss is NaN; that is detected and
        # recorded (status "diverged") below, so numpy's warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore"):
            self._fit(progress)

    def _fit(self, progress: bool) -> None:
        run, cfg, model = self.run, self.cfg, self.run.model
        self.dtype = model.parameters()[0].data.dtype
        _skip_input_gradient(model)
        x_train, y_train = self._split_arrays("train")
        y_train = y_train.astype(self.dtype) if y_train.dtype.kind == "f" else y_train
        self.splits = {name: self._split_arrays(name) for name in run.data}
        self.best, self.since_best = None, 0
        self._measure_initial_state(x_train, y_train)
        snapshot_epochs = set(cfg.get("snapshot_epochs") or [])
        if 0 in snapshot_epochs:
            run.snapshots.append((0, model.state_dict()))
        bar = _progress_bar(cfg["epochs"], enabled=progress)
        start = time.perf_counter()
        try:
            for epoch in range(cfg["epochs"]):
                run.optimizer.lr = self.lr_at(epoch)
                loss_value = self.train_epoch(x_train, y_train)
                if not math.isfinite(loss_value):
                    raise Diverged(f"training loss became {loss_value} at epoch {epoch}")
                row = self.epoch_metrics(epoch)
                row["time_s"] = time.perf_counter() - start
                run.history.append(row)
                if epoch + 1 in snapshot_epochs:
                    run.snapshots.append((epoch + 1, model.state_dict()))
                if self.recorder is not None:
                    self.recorder.log_epoch(row)
                _show(bar, row)
                run.stop_reason = self.stop_reason(epoch, row)
                if run.stop_reason:
                    break
        finally:
            if bar is not None:
                bar.close()

    def train_epoch(self, x: np.ndarray, y: np.ndarray) -> float:
        """One pass over shuffled mini-batches: forward, loss, backward, (clip), step.
        Returns the last batch's loss."""
        model, loss, opt = self.run.model, self.run.loss, self.run.optimizer
        clip = self.cfg.get("clip_grad_norm")
        batch_size = self.cfg.get("batch_size") or len(x)
        model.train()
        value = float("nan")
        for xb, yb in batches(x, y, batch_size, rng=self.rng):
            value = loss(model.forward(xb), yb)
            opt.zero_grad()
            model.backward(loss.backward())
            if clip:
                clip_grad_norm(opt.params, clip)
            opt.step()
        return value

    def epoch_metrics(self, epoch: int) -> dict[str, float]:
        """Learning rate, the last step's gradient norms, and every split's metrics (eval
        mode), plus activation statistics on the training set."""
        run = self.run
        row: dict[str, float] = {"epoch": epoch, "lr": run.optimizer.lr}
        row.update(diagnostics.gradient_norms(run.model))
        for name, (x, y) in self.splits.items():
            row.update(evaluate(run.model, run.loss, x, y, run.data[name], name))
            if name == "train" and self.cfg.get("diagnostics", True):
                row.update(diagnostics.activation_stats(run.model))
        return row

    def stop_reason(self, epoch: int, row: dict[str, float]) -> str | None:
        """Why to stop after this epoch (a plugin, the target, early stopping), or None."""
        if any(manager.hook.nnlite_epoch_end(run=self.run, epoch=epoch, metrics=row)):
            return "a plugin asked to stop"
        target, value = self.cfg.get("target_metric"), self.cfg.get("target_value")
        if target and target in row and reached_target(row[target], value, target):
            return f"{target} reached {value}"
        stopping = self.cfg.get("early_stopping") or {}
        monitor, patience = stopping.get("monitor"), stopping.get("patience") or 0
        if not (monitor and patience):
            return None
        if self.best is None or _better(row[monitor], self.best, monitor,
                                        stopping.get("min_delta") or 0.0):
            self.best, self.since_best = row[monitor], 0
        else:
            self.since_best += 1
        if self.since_best >= patience:
            return f"early stopping: {monitor} did not improve for {patience} epochs"
        return None


def lower_is_better(metric: str) -> bool:
    return metric.endswith(("loss", "mse"))


def _better(current: float, best: float, metric: str, min_delta: float) -> bool:
    if lower_is_better(metric):
        return current < best - min_delta
    return current > best + min_delta


def reached_target(value: float, target: float, metric: str) -> bool:
    return value <= target if lower_is_better(metric) else value >= target


def _skip_input_gradient(model: Module) -> None:
    """Nobody reads dL/d(data): let a first Linear layer skip that product (a third of
    its backward). Other models are left as they are."""
    from nnlite.layers import Linear, Sequential

    if isinstance(model, Sequential) and len(model) and isinstance(model[0], Linear):
        model[0].needs_input_grad = False


def _show(bar: Any, row: dict[str, float]) -> None:
    if bar is not None:
        shown = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")
        bar.update(1)
        bar.set_postfix({k: f"{row[k]:.4g}" for k in shown if k in row}, refresh=False)


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="epochs", unit="epoch", mininterval=0.2, leave=False)


