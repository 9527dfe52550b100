"""The training loop: epochs of shuffled mini-batches, evaluated once per epoch.

`Trainer.fit` is the whole loop a reader needs to check: forward, loss, backward,
(clip), step for every batch; then metrics on whole splits in eval mode, diagnostics,
training-event hooks, target and early stopping. Building the pieces from a config is
`nnlite.runs.training.build`'s job.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from nnlite.data import batches
from nnlite.hooks.factories import schedule as make_schedule
from nnlite.nn.input_grad import backward_with_input_grad
from nnlite.nn.module import Module
from nnlite.optim import clip_grad_norm
from nnlite.runs.training import checkpoint
from nnlite.runs.training import diagnostics
from nnlite.runs.training import divergence
from nnlite.runs.training import events
from nnlite.runs.best import BestWeights, default_monitor
from nnlite.runs.metrics import (
    better,
    binary_threshold,
    evaluate,
    metric_names,
    reached_target,
    targets_for,
)
from nnlite.runs.run import Run
from nnlite.runs.training.threads import blas_threads, threads_for


class Trainer:
    """Epochs of shuffled mini-batches with per-epoch evaluation, early stopping,
    target stopping, lr schedules, gradient clipping and training-event hooks."""

    def __init__(self, run: Run, recorder: Any = None) -> None:
        """Settings come from `run.config["trainer"]`, batch order from `run.config["seed"]`.
        `recorder` (a `nnlite.runs.folder.recorder.RunRecorder` or None) is told every epoch's
        metrics."""
        self.run = run
        self.cfg = run.config["trainer"]
        self.rng = np.random.default_rng(run.config["seed"])
        self.recorder = recorder
        self.checkpointer: checkpoint.Checkpointer | None = None
        # (arrays, state) of a checkpoint to continue from, instead of starting afresh
        self.resume_from: tuple[dict[str, np.ndarray], dict[str, Any]] | None = None
        self._check_metric_names()
        run.best_weights = BestWeights(default_monitor(run.config, list(run.data)))
        sched = self.cfg.get("schedule") or {}
        self.lr_at = make_schedule(sched.get("name") or "constant", base_lr=run.optimizer.lr,
                                   epochs=self.cfg["epochs"], **(sched.get("params") or {}))

    def _check_metric_names(self) -> None:
        """A misspelt target or monitored metric would silently never trigger: refuse it."""
        known = metric_names(self.run.data)
        stopping = self.cfg.get("early_stopping") or {}
        for key, name in (("trainer.target_metric", self.cfg.get("target_metric")),
                          ("trainer.early_stopping.monitor", stopping.get("monitor"))):
            if name is not None and name not in known:
                why = (" (the test split is evaluated once, at the end: nothing selects on it)"
                       if name.startswith("test_") else "")
                raise ValueError(f"{key}={name!r} is not a metric of this run{why}; "
                                 f"metrics are {', '.join(known)}")
        if self.cfg.get("target_metric") is not None and self.cfg.get("target_value") is None:
            raise ValueError("trainer.target_metric is set but trainer.target_value is null")

    def _split_arrays(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        data = self.run.data[name]
        return data.x.astype(self.dtype, copy=False), targets_for(data, self.run.loss_name)

    def _measure_initial_state(self, x: np.ndarray, y: np.ndarray) -> None:
        """Per-layer gradient norms and activation saturation on the whole training set
        before any update, where vanishing gradients and saturated units show most
        plainly (dropout off, parameters untouched)."""
        run, model, loss = self.run, self.run.model, self.run.loss
        model.eval()
        run.initial_loss = loss(model.forward(x), y)
        model.zero_grad()
        backward_with_input_grad(model, loss.backward(), False)
        run.initial_grad_norms = diagnostics.gradient_norms(model)
        run.initial_activations = diagnostics.summarize_activations(
            diagnostics.activation_stats(model))
        model.zero_grad()
        model.train()

    def fit(self, progress: bool = False) -> None:
        """Train for `trainer.epochs` (or until a stop), with as many BLAS threads as the
        network's products gain from (`nnlite.runs.training.threads`)."""
        # A diverging run overflows long before its loss is NaN; that is detected and
        # recorded (status "diverged") below, so numpy's warnings would only be noise.
        batch = self.cfg.get("batch_size") or len(self.run.data["train"].x)
        threads = threads_for(self.run.model, batch, self.cfg.get("threads"))
        with np.errstate(over="ignore", invalid="ignore"), blas_threads(threads):
            self._fit(progress)

    def _fit(self, progress: bool) -> None:
        run, cfg, model = self.run, self.cfg, self.run.model
        self.dtype = model.parameters()[0].data.dtype
        x_train, y_train = self._split_arrays("train")
        y_train = y_train.astype(self.dtype) if y_train.dtype.kind == "f" else y_train
        # every split but test: that one is evaluated once, at the end (`test_metrics`)
        self.splits = {name: self._split_arrays(name) for name in run.data if name != "test"}
        self.best, self.since_best = None, 0
        snapshot_epochs = set(cfg.get("snapshot_epochs") or [])
        if self.resume_from is not None:
            checkpoint.restore(self, *self.resume_from)
            if self.recorder is not None:
                self.recorder.rows[:] = run.history
        else:
            self._measure_initial_state(x_train, y_train)
            if 0 in snapshot_epochs:
                run.snapshots.append((0, linear_weights(model)))
        if self.checkpointer is not None:
            self.checkpointer.start(self)  # the weights to fall back on if epoch 1 diverges
        done = len(run.history)
        bar = _progress_bar(cfg["epochs"], enabled=progress)
        # time_s goes on from where an interrupted run left it
        start = time.perf_counter() - (run.history[-1]["time_s"] if done else 0.0)
        try:
            for epoch in range(done, cfg["epochs"]):
                run.optimizer.lr = self.lr_at(epoch)
                loss_value = self.train_epoch(x_train, y_train)
                divergence.check_step(epoch, loss_value, run.initial_loss, model, run.config)
                row = self.epoch_metrics(epoch)
                divergence.check_row(epoch, row, model, run.config)
                row["time_s"] = time.perf_counter() - start
                run.history.append(row)
                if epoch + 1 in snapshot_epochs:
                    run.snapshots.append((epoch + 1, linear_weights(model)))
                if self.recorder is not None:
                    self.recorder.log_epoch(row)
                _show(bar, row)
                run.best_weights.update(epoch, row, model)
                run.stop_reason = self.stop_reason(epoch, row)
                if self.checkpointer is not None:
                    self.checkpointer.epoch_end(self)
                if run.stop_reason:
                    self._restore_best_after_early_stopping()
                    break
        finally:
            if bar is not None:
                bar.close()

    def test_metrics(self) -> dict[str, float]:
        """The test split's metrics on the model the run ends with (its last or restored
        best weights): evaluated this once, never during training. {} without a test split."""
        if "test" not in self.run.data:
            return {}
        x, y = self._split_arrays("test")
        return evaluate(self.run.model, self.run.loss, x, y, self.run.data["test"], "test",
                        binary_threshold(self.run.loss_name))

    def _restore_best_after_early_stopping(self) -> None:
        """Early stopping ends a run past its best epoch: put the best weights back."""
        best = self.run.best_weights
        if self.run.stop_reason.startswith("early stopping") and best.weights is not None:
            self.run.model.load_state_dict(best.weights)
            self.run.restored_best_epoch = best.epoch

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
            # Nobody reads dL/d(data): asked per call, so the model's own setting stays
            backward_with_input_grad(model, loss.backward(), False)
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
            row.update(evaluate(run.model, run.loss, x, y, run.data[name], name,
                                binary_threshold(run.loss_name)))
            if name == "train" and self.cfg.get("diagnostics", True):
                row.update(diagnostics.activation_stats(run.model))
        return row

    def stop_reason(self, epoch: int, row: dict[str, float]) -> str | None:
        """Why to stop after this epoch (a plugin, the target, early stopping), or None."""
        if any(events.epoch_end(self.run, epoch, row)):
            return "a plugin asked to stop"
        target, value = self.cfg.get("target_metric"), self.cfg.get("target_value")
        if target and target in row and reached_target(row[target], value, target):
            return f"{target} reached {value}"
        stopping = self.cfg.get("early_stopping") or {}
        monitor, patience = stopping.get("monitor"), stopping.get("patience") or 0
        if not (monitor and patience):
            return None
        if self.best is None or better(row[monitor], self.best, monitor,
                                        stopping.get("min_delta") or 0.0):
            self.best, self.since_best = row[monitor], 0
        else:
            self.since_best += 1
        if self.since_best >= patience:
            return f"early stopping: {monitor} did not improve for {patience} epochs"
        return None


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


def linear_weights(model: Module) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """A copy of (W, b) of each Linear layer, in forward order (b is None without bias)."""
    return [(layer.weight.data.copy(), None if layer.bias is None else layer.bias.data.copy())
            for layer in diagnostics.linear_layers(model)]
