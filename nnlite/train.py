"""Training from a plain config dict: data -> model -> loss -> optimizer -> epochs.

`train(config, out_dir)` is plain Python (no Hydra): the CLI composes a config with
Hydra and calls it; tests and notebooks can call it with a dict. The loop itself is
`Trainer.fit`; metrics are computed once per epoch on whole splits in eval mode.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from nnlite import diagnostics
from nnlite.data import Dataset, Standardizer, batches, split
from nnlite.factories import dataset as make_dataset
from nnlite.factories import loss as make_loss
from nnlite.factories import optimizer as make_optimizer
from nnlite.factories import schedule as make_schedule
from nnlite import models
from nnlite.module import Module
from nnlite.optim import clip_grad_norm
from nnlite.plugins import load as load_plugin
from nnlite.plugins import manager

log = logging.getLogger("nnlite")

AUTO_LOSS = {"binary": "bce_with_logits", "multiclass": "cross_entropy", "regression": "mse"}


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
            if target_metric and target_metric in row and _reached(row[target_metric], target_value,
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


def _lower_is_better(metric: str) -> bool:
    return metric.endswith(("loss", "mse"))


def _better(current: float, best: float, metric: str, min_delta: float) -> bool:
    if _lower_is_better(metric):
        return current < best - min_delta
    return current > best + min_delta


def _reached(value: float, target: float, metric: str) -> bool:
    return value <= target if _lower_is_better(metric) else value >= target


def _progress_bar(total: int, enabled: bool) -> Any:
    import sys

    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="epochs", unit="epoch", mininterval=0.2, leave=False)


def build_data(config: dict[str, Any]) -> tuple[dict[str, Dataset], Standardizer | None]:
    """The dataset named in config["data"], split and (optionally) standardised on train."""
    data_cfg = config["data"]
    kwargs = {"seed": config["seed"], **(data_cfg.get("params") or {})}
    for key in ("n_samples", "noise"):
        if data_cfg.get(key) is not None:
            kwargs[key] = data_cfg[key]
    full = make_dataset(data_cfg["name"], **kwargs)
    parts = split(full, val_fraction=data_cfg.get("val_fraction", 0.0),
                  test_fraction=data_cfg.get("test_fraction", 0.0), seed=config["seed"])
    standardizer = None
    if data_cfg.get("standardize"):
        standardizer = Standardizer.fit(parts["train"].x)
        parts = {name: replace(d, x=standardizer.transform(d.x)) for name, d in parts.items()}
    return parts, standardizer


def model_spec(config: dict[str, Any], train: Dataset) -> dict[str, Any]:
    """Everything `nl.mlp` needs to rebuild the model (stored beside the weights)."""
    m = config["model"]
    return {
        "sizes": [train.n_features, *m["hidden"], output_size(train)],
        "activation": m["activation"],
        "output_activation": m.get("output_activation"),
        "dropout": m.get("dropout", 0.0),
        "residual": m.get("residual", False),
        "dtype": m.get("dtype", "float32"),
        "layers": m.get("layers"),
    }


def build_model(config: dict[str, Any], train: Dataset) -> Module:
    from nnlite.factories import initializer

    m = config["model"]
    weight_init = initializer(m["weight_init"], **(m.get("weight_init_params") or {}))
    bias_init = initializer(m.get("bias_init", "zeros"), **(m.get("bias_init_params") or {}))
    return models.build_model(model_spec(config, train), rng=np.random.default_rng(config["seed"]),
                              weight_init=weight_init, bias_init=bias_init)


def loss_name_for(config: dict[str, Any], train: Dataset) -> str:
    name = config.get("loss", "auto")
    return AUTO_LOSS[train.task] if name == "auto" else name


def optimizer_kwargs(opt_cfg: dict[str, Any]) -> dict[str, Any]:
    """The optimizer's keyword arguments: every set (non-null) key but `name`, plus `params`."""
    kwargs = {k: v for k, v in opt_cfg.items() if k not in ("name", "params") and v is not None}
    kwargs.update(opt_cfg.get("params") or {})
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    return kwargs


def load_plugins(config: dict[str, Any]) -> None:
    for spec in config.get("plugins") or []:
        load_plugin(spec)


def train(config: dict[str, Any], out_dir: Path | str | None = None,
          progress: bool = False) -> dict[str, Any]:
    """Train as `config` says and (if out_dir is given) write the run's files there.

    Returns the summary dict (also written as summary.json). Statuses: completed,
    interrupted (Ctrl-C), diverged (NaN/inf loss) or failed (an exception, re-raised
    after the summary is written).
    """
    from nnlite.runs import RunRecorder

    load_plugins(config)
    parts, standardizer = build_data(config)
    train_data = parts["train"]
    loss_name = loss_name_for(config, train_data)
    model = build_model(config, train_data)
    loss = make_loss(loss_name)
    opt = make_optimizer(config["optimizer"]["name"], model.parameters(),
                         **optimizer_kwargs(config["optimizer"]))
    run = Run(config=config, out_dir=Path(out_dir) if out_dir else None, model=model, loss=loss,
              optimizer=opt, data=parts, standardizer=standardizer)
    recorder = RunRecorder(run.out_dir, config, model_spec(config, train_data)) if out_dir else None
    trainer = Trainer(run, config["trainer"], seed=config["seed"], loss_name=loss_name,
                      recorder=recorder)
    manager.hook.nnlite_run_start(run=run)
    status, error = "completed", None
    start = time.perf_counter()
    try:
        trainer.fit(progress=progress)
    except KeyboardInterrupt:
        status = "interrupted"
    except Diverged as err:
        status, run.stop_reason = "diverged", str(err)
    except Exception as err:
        status, error = "failed", err
    summary = summarize(run, status, time.perf_counter() - start)
    if recorder is not None:
        recorder.finish(run, summary)
    manager.hook.nnlite_run_end(run=run, summary=summary)
    log.info("%s: %s after %d epochs; final %s", config.get("name"), status, summary["epochs"],
             ", ".join(f"{k}={v:.4g}" for k, v in summary["final"].items()))
    if error is not None:
        raise error
    return summary


SUMMARY_METRICS = ("train_loss", "train_accuracy", "train_mse", "train_r2", "val_loss",
                   "val_accuracy", "val_mse", "val_r2", "test_loss", "test_accuracy",
                   "test_mse", "test_r2")


def summarize(run: Run, status: str, wall_time: float) -> dict[str, Any]:
    """The summary.json contents (keys of DESIGN.md plus diagnostics)."""
    history = run.history
    final = {k: v for k, v in (history[-1] if history else {}).items() if k in SUMMARY_METRICS}
    best: dict[str, float] = {}
    for key in final:
        values = [row[key] for row in history if key in row and math.isfinite(row[key])]
        if values:
            best[key] = min(values) if _lower_is_better(key) else max(values)
    summary = {
        "status": status,
        "experiment": run.config.get("name", "default"),
        "seed": run.config["seed"],
        "epochs": len(history),
        "num_parameters": run.model.num_parameters(),
        "wall_time_s": wall_time,
        "final": final,
        "best": best,
        "stop_reason": run.stop_reason,
        "diagnostics": diagnostics.hidden_unit_symmetry(run.model)
        | {k: v for k, v in (history[-1] if history else {}).items() if k.startswith("grad_norm")},
    }
    if history:
        summary["first_epoch_grad_norms"] = {
            k: v for k, v in history[0].items() if k.startswith("grad_norm")
        }
    return summary
