"""From a plain config dict to a `Run`: plugins, data, model, loss and optimizer.

No Hydra here: the command line composes the config, tests and notebooks may pass a
dict. Names are looked up in the registry, so plugins' names work like built-ins'.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.data import Dataset, Standardizer, split
from nnlite.data.scale import check_scale
from nnlite.hooks.factories import dataset as make_dataset
from nnlite.hooks.factories import initializer
from nnlite.hooks.factories import loss as make_loss
from nnlite.hooks.factories import optimizer as make_optimizer
from nnlite.nn.module import Module
from nnlite.runs.config.plugins import load_plugins
from nnlite.runs.config.schema import optimizer_kwargs
from nnlite.runs.errors import DataError
from nnlite.runs.model_spec import model_from_spec, model_spec
from nnlite.runs.run import Run

AUTO_LOSS = {"binary": "bce_with_logits", "multiclass": "cross_entropy", "regression": "mse"}


def build_data(config: dict[str, Any]) -> tuple[dict[str, Dataset], Standardizer | None]:
    """The dataset named in config["data"], split and (optionally) standardised on train."""
    data_cfg = config["data"]
    kwargs = {"seed": config["seed"], **(data_cfg.get("params") or {})}
    for key in ("n_samples", "noise"):
        if data_cfg.get(key) is not None:
            kwargs[key] = data_cfg[key]
    try:
        full = make_dataset(data_cfg["name"], **kwargs)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as err:
        if data_cfg["name"] != "file":
            raise  # a generated dataset's arguments: a config mistake
        raise DataError(f"data.params.path: {err}") from None  # unreadable, truncated, ...
    parts = split(full, val_fraction=data_cfg.get("val_fraction", 0.0),
                  test_fraction=data_cfg.get("test_fraction", 0.0), seed=config["seed"])
    # float64 when standardising (the statistics are float64), else the model's dtype
    dtype = np.float64 if data_cfg.get("standardize") else np.dtype(
        config["model"].get("dtype", "float32"))
    check_scale(full.x, dtype)
    if full.task == "regression":
        check_scale(full.y, dtype, what="target")
    standardizer = None
    if data_cfg.get("standardize"):
        standardizer = Standardizer.fit(parts["train"].x)
        parts = {name: replace(d, x=standardizer.transform(d.x)) for name, d in parts.items()}
    return parts, standardizer



def build_model(config: dict[str, Any], spec: dict[str, Any]) -> Module:
    """The model `spec` describes, initialised as config["model"] says, from config["seed"]."""
    m = config["model"]
    weight_init = initializer(m["weight_init"], **(m.get("weight_init_params") or {}))
    bias_init = initializer(m.get("bias_init", "zeros"), **(m.get("bias_init_params") or {}))
    return model_from_spec(spec, rng=np.random.default_rng(config["seed"]),
                           weight_init=weight_init, bias_init=bias_init)


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


# An output activation that already does the loss's own squashing: the loss would apply
# it twice and train towards the wrong optimum.
DOUBLE_SQUASHING = {"cross_entropy": "softmax", "bce_with_logits": "sigmoid"}


def check_output_fits_loss(config: dict[str, Any], loss_name: str) -> None:
    """Refuse a model whose last activation is the one its loss applies to logits."""
    m = config["model"]
    last = m.get("output_activation")
    if last is None and m.get("layers"):
        last = m["layers"][-1].get("type")
    if last is not None and DOUBLE_SQUASHING.get(loss_name) == last:
        key = "model.output_activation" if m.get("output_activation") else "model.layers"
        raise ValueError(f"{key} ends in {last!r} but loss {loss_name!r} takes logits and "
                         f"applies {last} itself: leave the output activation null, or use "
                         f"loss=mse to train {last} outputs on the labels")


def build_run(config: dict[str, Any], out_dir: Path | None) -> Run:
    """Plugins, data, model, loss and optimizer as the config says. The loss's name and
    the model's spec are worked out here once and kept on the Run."""
    load_plugins(config)
    parts, standardizer = build_data(config)
    loss_name = loss_name_for(config, parts["train"])
    check_output_fits_loss(config, loss_name)
    spec = model_spec(config, parts["train"], loss_name)
    model = build_model(config, spec)
    opt = make_optimizer(config["optimizer"]["name"], model.parameters(),
                         **optimizer_kwargs(config["optimizer"]))
    return Run(config=config, out_dir=out_dir, model=model, loss=make_loss(loss_name),
               optimizer=opt, data=parts, loss_name=loss_name, model_spec=spec,
               standardizer=standardizer)
