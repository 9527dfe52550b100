"""From a checked config to a `Run`: plugins, data, model, loss and optimizer.

No Hydra here: the command line composes the config, tests and notebooks may pass a
dict (`nnlite.runs.config.checked.checked_config` types it). Names are looked up in the
registry, so plugins' names work like built-ins'.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnlite.data import Dataset, Standardizer, split
from nnlite.data.scale import check_scale
from nnlite.nn.module import Module
from nnlite.plugins.factories import dataset as make_dataset
from nnlite.plugins.factories import initializer
from nnlite.plugins.factories import loss as make_loss
from nnlite.plugins.factories import optimizer as make_optimizer
from nnlite.runs.best import BestWeights
from nnlite.runs.config.checks import check_with_data
from nnlite.runs.config.errors import DataError
from nnlite.runs.config.plugins import load_plugins
from nnlite.runs.config.schema import Config
from nnlite.runs.config.tasks import loss_name
from nnlite.runs.model_spec import model_from_spec, model_spec
from nnlite.runs.run import Run


def build_data(config: Config) -> tuple[dict[str, Dataset], Standardizer | None]:
    """The dataset named in config.data, split and (optionally) standardised on train."""
    data = config.data
    try:
        full = make_dataset(data.name, **data.dataset_kwargs(config.seed))
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as err:
        if data.name != "file":
            raise  # a generated dataset's arguments: a config mistake
        raise DataError(f"data.params.path: {err}") from None  # unreadable, truncated, ...
    parts = split(full, val_fraction=data.val_fraction, test_fraction=data.test_fraction,
                  seed=config.seed)
    # float64 when standardising (the statistics are float64), else the model's dtype
    dtype = np.float64 if data.standardize else np.dtype(config.model.dtype)
    check_scale(full.x, dtype)
    if full.task == "regression":
        check_scale(full.y, dtype, what="target")
    standardizer = None
    if data.standardize:
        standardizer = Standardizer.fit(parts["train"].x)
        parts = {name: replace(d, x=standardizer.transform(d.x)) for name, d in parts.items()}
    return parts, standardizer


def build_model(config: Config, spec: dict) -> Module:
    """The model `spec` describes, initialised as config.model says, from config.seed."""
    m = config.model
    return model_from_spec(spec, rng=np.random.default_rng(config.seed),
                           weight_init=initializer(m.weight_init, **m.weight_init_params),
                           bias_init=initializer(m.bias_init, **m.bias_init_params))


def best_monitor(config: Config, splits: list[str]) -> str:
    """The metric `best` follows: early stopping's monitor, else val_loss or train_loss."""
    return config.trainer.early_stopping.monitor or (
        "val_loss" if "val" in splits else "train_loss")


def build_run(config: Config, out_dir: Path | None) -> Run:
    """Plugins, data, model, loss and optimizer as the config says. The loss's name and
    the model's spec are worked out here once and kept on the Run."""
    load_plugins(config.plugins)
    parts, standardizer = build_data(config)
    task = parts["train"].task
    name = loss_name(config.loss, task)
    check_with_data(config, task, name)
    spec = model_spec(config, parts["train"], name)
    model = build_model(config, spec)
    opt = make_optimizer(config.optimizer.name, model.parameters(), **config.optimizer.kwargs())
    best = BestWeights(best_monitor(config, list(parts)))
    return Run(config=config, out_dir=out_dir, model=model, loss=make_loss(name),
               optimizer=opt, data=parts, loss_name=name, model_spec=spec, best_weights=best,
               standardizer=standardizer)
