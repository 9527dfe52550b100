"""Every value check of a run's config, in one place: what types cannot say.

`check(config)` runs before anything is built (plugins loaded first: their names count);
`check_with_data(config, task, loss_name)` runs once the data say what task the run is,
for the rules that depend on it (a loss that fits the task, metric names). Each failure
is a ConfigError naming the key, the value and what is allowed.

Where the API has a rule of its own (an optimizer's learning rate, dropout's p, an
initializer's or a schedule's arguments, clipping's max_norm), the check asks the API
itself, by building the thing from the config's values: so `optimizer.lr=0` and
`nl.optimizer(..., lr=0)` can never disagree.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable

import numpy as np

from nnlite import loggers
from nnlite.registry import PluginError, registry
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import DIRECTIONS, Config
from nnlite.runs.config.tasks import AUTO_LOSS, CLASS_LOSSES, DOUBLE_SQUASHING, metric_names


def _need(condition: bool, key: str, value: Any, allowed: str) -> None:
    if not condition:
        raise ConfigError(f"{key}={value!r} is not allowed: {allowed}")


def _registered(kind: str, key: str, name: Any) -> None:
    """The name must be registered; the registry's message lists the known ones."""
    try:
        registry.entry(kind, name)
    except ValueError as err:
        raise ConfigError(f"{key}={name!r}: {err}") from None


def _api_accepts(key: str, build: Callable[[], Any], given: dict[str, Any]) -> None:
    """`build()` must succeed: its ValueError or TypeError becomes a ConfigError naming
    the key of `given` (key -> value) that the message names, else all of them."""
    try:
        build()
    except PluginError:
        raise
    except (TypeError, ValueError) as err:
        named = [k for k in given if f"{k.rsplit('.', 1)[-1]}=" in str(err)] or list(given)
        where = ", ".join(f"{k}={given[k]!r}" for k in named) or key
        raise ConfigError(f"{where} is not allowed: {err}") from None


# A run's name is a folder under runs/: one plain name, never a path out of it.
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.,=+@-]{0,127}")


def check_name(name: object) -> str:
    """`name` if it can be a folder under runs/ (no '/', no '..', not absolute), else a
    ConfigError. Hydra's run and sweep folders are built from it through this check."""
    if not isinstance(name, str) or not PLAIN_NAME.fullmatch(name) or ".." in name:
        raise ConfigError(f"name={name!r} is not allowed: a plain name for the folder "
                          f"runs/<name>/ (letters, digits and _ . , = + @ -, at most 128; no "
                          f"'/', no '..', no absolute path)")
    return name


def check_config(config: Config) -> None:
    """Value checks beyond types; plugins must already be loaded (their names count)."""
    check_name(config.name)
    _need(config.seed >= 0, "seed", config.seed, "an integer >= 0")
    if config.loss != "auto":
        _registered("losses", "loss", config.loss)
    _check_data(config)
    _check_model(config)
    _check_optimizer(config)
    _check_trainer(config)
    _check_report_and_loggers(config)


def _check_data(config: Config) -> None:
    data = config.data
    _registered("datasets", "data.name", data.name)
    for key in ("val_fraction", "test_fraction"):
        _need(0 <= getattr(data, key) < 1, f"data.{key}", getattr(data, key), "in [0, 1)")
    _need(data.val_fraction + data.test_fraction < 1, "data.val_fraction + data.test_fraction",
          data.val_fraction + data.test_fraction, "below 1, to leave a training split")
    _need(data.n_samples is None or data.n_samples > 0, "data.n_samples", data.n_samples,
          "a positive integer or null")


def _check_model(config: Config) -> None:
    from nnlite.nn.dropout import Dropout
    from nnlite.plugins.factories import activation, initializer

    model = config.model
    _need(all(h > 0 for h in model.hidden), "model.hidden", model.hidden, "positive layer widths")
    _need(model.depth is None or model.depth >= 0, "model.depth", model.depth,
          "a number of hidden layers >= 0, or null to use model.hidden")
    _need(model.width > 0, "model.width", model.width, "a positive layer width")
    _need(model.dtype in ("float32", "float64"), "model.dtype", model.dtype, "float32 or float64")
    for key in ("activation", "output_activation"):
        name = getattr(model, key)
        if name is not None:
            _registered("activations", f"model.{key}", name)
            _api_accepts(f"model.{key}", lambda n=name: activation(n), {f"model.{key}": name})
    for key in ("weight_init", "bias_init"):
        name, params = getattr(model, key), getattr(model, f"{key}_params")
        _registered("initializers", f"model.{key}", name)
        _api_accepts(f"model.{key}_params", lambda n=name, p=params: initializer(n, **p)(
            (2, 2), np.random.default_rng(0)),
                     {f"model.{key}_params.{k}": v for k, v in params.items()})
    known = registry.names("layers") + registry.names("activations")
    for i, spec in enumerate(model.layers or []):
        _need(spec.get("type") in known, f"model.layers[{i}].type", spec.get("type"),
              f"a registered layer or activation: {', '.join(sorted(known))}")
    _api_accepts("model.dropout", lambda: Dropout(model.dropout), {"model.dropout": model.dropout})


def _check_optimizer(config: Config) -> None:
    from nnlite.nn.module import Parameter
    from nnlite.plugins.factories import optimizer

    opt = config.optimizer
    _registered("optimizers", "optimizer.name", opt.name)
    given = {f"optimizer.{k}": v for k, v in opt.kwargs().items() if k not in opt.params}
    given.update({f"optimizer.params.{k}": v for k, v in opt.params.items()})
    accepted = inspect.signature(registry.get("optimizers", opt.name)).parameters
    if not any(p.kind == p.VAR_KEYWORD for p in accepted.values()):
        takes = ", ".join(k for k in accepted if k != "params")
        for key, value in given.items():
            _need(key.rsplit(".", 1)[1] in accepted, key, value,
                  f"optimizer {opt.name!r} takes {takes}{_switch_advice(opt.name, key)}")
    probe = [Parameter(np.zeros(1, dtype=np.dtype(config.model.dtype)))]
    _api_accepts("optimizer", lambda: optimizer(opt.name, probe, **opt.kwargs()), given)


def _switch_advice(name: str, key: str) -> str:
    if key.startswith("optimizer.params."):
        return ""
    # optimizer.name=sgd on top of adam's config keeps adam's betas; the group option
    # optimizer=sgd brings sgd's own keys only
    return (f"; to switch optimizers choose the config, optimizer={name}, which sets only "
            f"its own keys")


def _check_trainer(config: Config) -> None:
    from nnlite.optim.clip import check_max_norm
    from nnlite.plugins.factories import schedule

    trainer = config.trainer
    _need(trainer.epochs >= 1, "trainer.epochs", trainer.epochs, "at least 1")
    _need(trainer.batch_size is None or trainer.batch_size >= 1, "trainer.batch_size",
          trainer.batch_size, "a positive integer or null (full batch)")
    if trainer.clip_grad_norm is not None:
        _api_accepts("trainer.clip_grad_norm", lambda: check_max_norm(trainer.clip_grad_norm),
                     {"trainer.clip_grad_norm": trainer.clip_grad_norm})
    stopping = trainer.early_stopping
    _need(stopping.monitor is None or stopping.patience >= 1, "trainer.early_stopping.patience",
          stopping.patience, f"at least 1 epoch when early_stopping.monitor is set "
                             f"({stopping.monitor})")
    _need(stopping.min_delta >= 0, "trainer.early_stopping.min_delta", stopping.min_delta,
          "an improvement >= 0")
    _need(trainer.threads is None or trainer.threads >= 1, "trainer.threads", trainer.threads,
          "a positive integer or null (chosen from the network's size)")
    _need(trainer.checkpoint_every_s >= 0, "trainer.checkpoint_every_s",
          trainer.checkpoint_every_s, "seconds >= 0 (0: after every epoch)")
    outside = [e for e in trainer.snapshot_epochs if not 0 <= e <= trainer.epochs]
    _need(not outside, "trainer.snapshot_epochs", trainer.snapshot_epochs,
          f"epochs from 0 (before training) to trainer.epochs={trainer.epochs} (a shorter "
          f"run needs its own, e.g. trainer.snapshot_epochs=[0,{trainer.epochs}])")
    if trainer.target_metric is not None and trainer.target_value is None:
        raise ConfigError("trainer.target_metric is set but trainer.target_value is null")
    name = trainer.schedule.name
    _need(name is not None or not trainer.schedule.params, "trainer.schedule.params",
          trainer.schedule.params, "a schedule's arguments: choose it with "
                                   "trainer.schedule.name (step, exponential, cosine, ...)")
    if name is not None:
        _registered("schedules", "trainer.schedule.name", name)
        params = trainer.schedule.params
        _api_accepts("trainer.schedule.params", lambda: schedule(
            name, base_lr=config.optimizer.lr, epochs=trainer.epochs, **params),
            {f"trainer.schedule.params.{k}": v for k, v in params.items()})


def _check_report_and_loggers(config: Config) -> None:
    for name in config.logger:
        problem = loggers.missing(name)
        if problem:
            raise ConfigError(problem)
    _need(config.report.direction in (None, *DIRECTIONS), "report.direction",
          config.report.direction, "minimize, maximize or null (from the metric)")


def check_with_data(config: Config, task: str, loss_name: str) -> None:
    """The rules that need the task the data turned out to be: the loss fits it, the
    output activation is not the loss's own squashing, metric names exist."""
    if loss_name in CLASS_LOSSES and task not in CLASS_LOSSES[loss_name]:
        raise ConfigError(f"loss={loss_name!r} does not fit data {config.data.name!r}, a {task} "
                          f"task: use loss=auto ({AUTO_LOSS[task]}) or a loss for {task} data")
    model = config.model
    last = model.output_activation
    if last is None and model.layers:
        last = model.layers[-1].get("type")
    if last is not None and DOUBLE_SQUASHING.get(loss_name) == last:
        key = "model.output_activation" if model.output_activation else "model.layers"
        raise ConfigError(f"{key} ends in {last!r} but loss {loss_name!r} takes logits and "
                          f"applies {last} itself: leave the output activation null, or use "
                          f"loss=mse to train {last} outputs on the labels")
    known = metric_names(task, config.data.split_names())
    trainer = config.trainer
    for key, name in (("trainer.target_metric", trainer.target_metric),
                      ("trainer.early_stopping.monitor", trainer.early_stopping.monitor)):
        if name is not None and name not in known:
            why = (" (the test split is evaluated once, at the end: nothing selects on it)"
                   if name.startswith("test_") else "")
            raise ConfigError(f"{key}={name!r} is not a metric of this run{why}; metrics are "
                              f"{', '.join(known)}")
