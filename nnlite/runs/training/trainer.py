"""The training loop: epochs of shuffled mini-batches, evaluated once per epoch.

`Trainer.train_epoch` is the step a reader needs to check: forward, loss, backward,
(clip), step for every batch. `Trainer.fit` runs the epochs: metrics on whole splits in
eval mode, diagnostics, training-event hooks, target and early stopping. Building the
pieces from a config is `nnlite.runs.training.build`'s job; a run's life around the loop
(its files, its ending) is `nnlite.runs.training.lifecycle`'s.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from nnlite.data import batches
from nnlite.nn.input_grad import backward_with_input_grad
from nnlite.nn.module import Module
from nnlite.optim import clip_grad_norm
from nnlite.plugins.factories import schedule as make_schedule
from nnlite.runs.metrics import binary_threshold, evaluate, reached_target, targets_for
from nnlite.runs.run import LayerWeights, Run
from nnlite.runs.training import checkpoint, diagnostics, divergence, events
from nnlite.runs.training.stopping import EarlyStopping
from nnlite.runs.training.threads import blas_threads, threads_for

Arrays = tuple[np.ndarray, np.ndarray]


class Trainer:
    """Epochs of shuffled mini-batches with per-epoch evaluation, early stopping,
    target stopping, lr schedules, gradient clipping and training-event hooks.

    Its own state, which a checkpoint saves (`state_dict`), is the batch-order generator
    (seeded by `config.seed`) and early stopping's progress. `recorder` (a
    `nnlite.runs.folder.recorder.RunRecorder` or None) is told every epoch's metrics;
    `checkpointer` (a `checkpoint.Checkpointer` or None) captures each epoch's state."""

    def __init__(self, run: Run, recorder: Any = None,
                 checkpointer: checkpoint.Checkpointer | None = None) -> None:
        self.run = run
        self.settings = run.config.trainer
        self.rng = np.random.default_rng(run.config.seed)
        self.stopping = EarlyStopping(self.settings.early_stopping)
        self.recorder = recorder
        self.checkpointer = checkpointer
        self.dtype = run.model.parameters()[0].data.dtype
        self.lr_at = make_schedule(self.settings.schedule.name or "constant",
                                   base_lr=run.optimizer.lr, epochs=self.settings.epochs,
                                   **self.settings.schedule.params)

    def state_dict(self) -> dict[str, Any]:
        """The trainer's own state as JSON-ready values (the run's is the run's)."""
        return {"rng": self.rng.bit_generator.state, "early_stopping": self.stopping.state()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.rng.bit_generator.state = state["rng"]
        self.stopping.load_state(state["early_stopping"])

    def split_arrays(self, name: str) -> Arrays:
        """x in the model's dtype and the targets as the loss takes them, for one split."""
        data = self.run.data[name]
        y = targets_for(data, self.run.loss_name)
        y = y.astype(self.dtype) if y.dtype.kind == "f" and name == "train" else y
        return data.x.astype(self.dtype, copy=False), y

    def fit(self, progress: bool = False, resume_from: checkpoint.Saved | None = None) -> None:
        """Train for `trainer.epochs` (or until a stop), from the start or from a checkpoint
        (`resume_from`), with as many BLAS threads as the network's products gain from."""
        # A diverging run overflows long before its loss is NaN; that is detected and
        # recorded (status "diverged") below, so numpy's warnings would only be noise.
        batch = self.settings.batch_size or len(self.run.data["train"].x)
        threads = threads_for(self.run.model, batch, self.settings.threads)
        with np.errstate(over="ignore", invalid="ignore"), blas_threads(threads):
            train = self.split_arrays("train")
            # every split but test: that one is evaluated once, at the end (`test_metrics`)
            splits = {name: self.split_arrays(name) for name in self.run.data if name != "test"}
            self._begin(train, resume_from)
            self._epochs(train, splits, _progress_bar(self.settings.epochs, progress))

    def _begin(self, train: Arrays, resume_from: checkpoint.Saved | None) -> None:
        """Fresh: measure the untrained network; resumed: put every state back."""
        run = self.run
        if resume_from is not None:
            checkpoint.restore(self, *resume_from)
            if self.recorder is not None:
                self.recorder.rows[:] = run.history
        else:
            self._measure_initial_state(*train)
            if 0 in self.settings.snapshot_epochs:
                run.snapshots.append((0, linear_weights(run.model)))
        if self.checkpointer is not None:
            self.checkpointer.start(self)  # the weights to fall back on if epoch 1 diverges

    def _epochs(self, train: Arrays, splits: dict[str, Arrays], bar: Any) -> None:
        run, done = self.run, len(self.run.history)
        # time_s goes on from where an interrupted run left it
        start = time.perf_counter() - (run.history[-1]["time_s"] if done else 0.0)
        try:
            for epoch in range(done, self.settings.epochs):
                run.optimizer.lr = self.lr_at(epoch)
                loss_value = self.train_epoch(*train)
                divergence.check_step(epoch, loss_value, run.initial_loss, run.model, run.config)
                row = self.epoch_metrics(epoch, splits)
                divergence.check_row(epoch, row, run.model, run.config)
                row["time_s"] = time.perf_counter() - start
                self._record(epoch, row, bar)
                if run.stop_reason:
                    self._restore_best_after_early_stopping()
                    break
        finally:
            if bar is not None:
                bar.close()

    def _record(self, epoch: int, row: dict[str, float], bar: Any) -> None:
        """An epoch done: its row kept and logged, best weights, the stop question, and a
        checkpoint of where the run now stands."""
        run = self.run
        run.history.append(row)
        if epoch + 1 in self.settings.snapshot_epochs:
            run.snapshots.append((epoch + 1, linear_weights(run.model)))
        if self.recorder is not None:
            self.recorder.log_epoch(row)
        _show(bar, row)
        run.best_weights.update(epoch, row, run.model)
        run.stop_reason = self.stop_reason(epoch, row)
        if self.checkpointer is not None:
            self.checkpointer.epoch_end(self)

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
        run.initial_activations = diagnostics.saturation_fractions(
            diagnostics.activation_stats(model))
        model.zero_grad()
        model.train()

    def train_epoch(self, x: np.ndarray, y: np.ndarray) -> float:
        """One pass over shuffled mini-batches: forward, loss, backward, (clip), step.
        Returns the last batch's loss."""
        model, loss, opt = self.run.model, self.run.loss, self.run.optimizer
        clip = self.settings.clip_grad_norm
        model.train()
        value = float("nan")
        for xb, yb in batches(x, y, self.settings.batch_size or len(x), rng=self.rng):
            value = loss(model.forward(xb), yb)
            opt.zero_grad()
            # Nobody reads dL/d(data): asked per call, so the model's own setting stays
            backward_with_input_grad(model, loss.backward(), False)
            if clip is not None:
                clip_grad_norm(opt.params, clip)
            opt.step()
        return value

    def epoch_metrics(self, epoch: int, splits: dict[str, Arrays]) -> dict[str, float]:
        """Learning rate, the last step's gradient norms, and every split's metrics (eval
        mode), plus activation statistics on the training set."""
        run = self.run
        row: dict[str, float] = {"epoch": epoch, "lr": run.optimizer.lr}
        row.update(diagnostics.gradient_norms(run.model))
        for name, (x, y) in splits.items():
            row.update(evaluate(run.model, run.loss, x, y, run.data[name], name,
                                binary_threshold(run.loss_name)))
            if name == "train" and self.settings.diagnostics:
                row.update(diagnostics.activation_stats(run.model))
        return row

    def stop_reason(self, epoch: int, row: dict[str, float]) -> str | None:
        """Why to stop after this epoch (a plugin, the target, early stopping), or None."""
        if any(events.epoch_end(self.run, epoch, row)):
            return "a plugin asked to stop"
        target, value = self.settings.target_metric, self.settings.target_value
        if target and target in row and reached_target(row[target], value, target):
            return f"{target} reached {value}"
        return self.stopping.stop_reason(row)

    def test_metrics(self) -> dict[str, float]:
        """The test split's metrics on the model the run ends with (its last or restored
        best weights): evaluated this once, never during training. {} without a test split."""
        if "test" not in self.run.data:
            return {}
        x, y = self.split_arrays("test")
        return evaluate(self.run.model, self.run.loss, x, y, self.run.data["test"], "test",
                        binary_threshold(self.run.loss_name))

    def _restore_best_after_early_stopping(self) -> None:
        """Early stopping ends a run past its best epoch: put the best weights back."""
        best = self.run.best_weights
        if self.run.stop_reason.startswith("early stopping") and best.weights is not None:
            self.run.model.load_state_dict(best.weights)
            self.run.restored_best_epoch = best.epoch


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


def linear_weights(model: Module) -> LayerWeights:
    """A copy of (W, b) of each Linear layer, in forward order (b is None without bias)."""
    return [(layer.weight.data.copy(), None if layer.bias is None else layer.bias.data.copy())
            for layer in diagnostics.linear_layers(model)]
