"""Training from a plain config dict: data -> model -> loss -> optimizer -> epochs.

`train(config, out_dir)` is plain Python (no Hydra): the CLI composes a config with
Hydra and calls it; tests and notebooks can call it with a dict. The loop itself is
`nnlite.trainer.Trainer.fit`.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from nnlite import diagnostics, models
from nnlite.data import Dataset, Standardizer, split
from nnlite.factories import dataset as make_dataset
from nnlite.factories import loss as make_loss
from nnlite.factories import optimizer as make_optimizer
from nnlite.module import Module
from nnlite.plugins import load as load_plugin
from nnlite.plugins import manager
from nnlite.schema import ConfigError
from nnlite.trainer import Diverged, Run, Trainer, lower_is_better, output_size, reached_target

log = logging.getLogger("nnlite")

AUTO_LOSS = {"binary": "bce_with_logits", "multiclass": "cross_entropy", "regression": "mse"}


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
    hidden = m["hidden"] if m.get("depth") is None else [m.get("width", 32)] * m["depth"]
    return {
        "sizes": [train.n_features, *hidden, output_size(train, loss_name_for(config, train))],
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


# The built-in losses that need class labels, and the tasks they fit.
CLASS_LOSSES = {"cross_entropy": ("binary", "multiclass"), "bce_with_logits": ("binary",)}


def loss_name_for(config: dict[str, Any], train: Dataset) -> str:
    """The loss to train with: config["loss"], or for "auto" the task's usual one."""
    name = config.get("loss", "auto")
    if name == "auto":
        return AUTO_LOSS[train.task]
    if name in CLASS_LOSSES and train.task not in CLASS_LOSSES[name]:
        raise ValueError(f"loss={name!r} does not fit data {config['data']['name']!r}, a "
                         f"{train.task} task: use loss=auto ({AUTO_LOSS[train.task]}) or a "
                         f"loss for {train.task} data")
    return name


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


def build_run(config: dict[str, Any], out_dir: Path | None) -> tuple[Run, str]:
    """Plugins, data, model, loss and optimizer as the config says; and the loss's name."""
    load_plugins(config)
    parts, standardizer = build_data(config)
    loss_name = loss_name_for(config, parts["train"])
    model = build_model(config, parts["train"])
    opt = make_optimizer(config["optimizer"]["name"], model.parameters(),
                         **optimizer_kwargs(config["optimizer"]))
    run = Run(config=config, out_dir=out_dir, model=model, loss=make_loss(loss_name),
              optimizer=opt, data=parts, standardizer=standardizer)
    return run, loss_name


def train(config: dict[str, Any], out_dir: Path | str | None = None,
          progress: bool = False) -> dict[str, Any]:
    """Train as `config` says and (if out_dir is given) write the run's files there.

    Returns the summary dict (also written as summary.json). Statuses: completed,
    interrupted (Ctrl-C), diverged (NaN/inf loss) or failed (an exception, re-raised
    after the summary is written).
    """
    from nnlite.runs import RunRecorder

    try:
        run, loss_name = build_run(config, Path(out_dir) if out_dir else None)
        trainer = Trainer(run, config["trainer"], seed=config["seed"], loss_name=loss_name)
    except (ValueError, FileNotFoundError, ImportError) as err:
        # Raised while building from the config, before any training: a user mistake
        # (a dataset argument, a missing file, an optimizer option), not a crash.
        raise ConfigError(str(err)) from err
    recorder = None
    if run.out_dir is not None:
        recorder = RunRecorder(run.out_dir, config, model_spec(config, run.data["train"]))
        trainer.recorder = recorder
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
            best[key] = min(values) if lower_is_better(key) else max(values)
    target = run.config["trainer"].get("target_metric")
    reached = [row["epoch"] + 1 for row in history
               if target and target in row and reached_target(row[target],
                                                             run.config["trainer"]["target_value"],
                                                             target)]
    if "train_loss" in final and "val_loss" in final:
        final["generalization_gap"] = final["val_loss"] - final["train_loss"]
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
        "epochs_to_target": reached[0] if reached else None,
        "diagnostics": diagnostics.hidden_unit_symmetry(run.model)
        | {k: v for k, v in (history[-1] if history else {}).items() if k.startswith("grad_norm")},
    }
    summary["diagnostics"].update(
        {f"initial_{k}": v for k, v in run.initial_activations.items()})
    norms = run.initial_grad_norms
    if norms:
        summary["initial_grad_norms"] = norms
        first, last = norms["grad_norm.layer1"], norms[f"grad_norm.layer{len(norms)}"]
        # How much of the output layer's gradient reaches the first layer.
        summary["diagnostics"]["grad_ratio_first_last"] = first / last if last > 0 else float("nan")
    return summary
