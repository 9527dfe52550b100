"""Value checks of a config beyond its types: lr > 0, 0 <= dropout < 1, names that
exist in the registry, optimizer options the optimizer takes. Each failure is a
ConfigError naming the key, the value and what is allowed."""

from __future__ import annotations

import inspect
from typing import Any

from nnlite import loggers
from nnlite.registry import registry
from nnlite.runs.config.schema import DIRECTIONS, optimizer_kwargs
from nnlite.runs.errors import ConfigError


def _need(condition: bool, key: str, value: Any, allowed: str) -> None:
    if not condition:
        raise ConfigError(f"{key}={value!r} is not allowed: {allowed}")


def _require_registered(kind: str, key: str, name: Any) -> None:
    """The name must be registered; the registry's message lists the known ones."""
    try:
        registry.entry(kind, name)
    except ValueError as err:
        raise ConfigError(f"{key}={name!r}: {err}") from None


def validate(config: dict[str, Any]) -> None:
    """Value checks beyond types; plugins must already be loaded (their names count)."""
    data, model, trainer = config["data"], config["model"], config["trainer"]
    opt = config["optimizer"]
    _require_registered("datasets", "data.name", data["name"])
    _need(0 <= data["val_fraction"] < 1, "data.val_fraction", data["val_fraction"], "in [0, 1)")
    _need(0 <= data["test_fraction"] < 1, "data.test_fraction", data["test_fraction"], "in [0, 1)")
    _need(data["n_samples"] is None or data["n_samples"] > 0, "data.n_samples", data["n_samples"],
          "a positive integer or null")
    _need(all(h > 0 for h in model["hidden"]), "model.hidden", model["hidden"],
          "positive layer widths")
    _need(model["depth"] is None or model["depth"] >= 0, "model.depth", model["depth"],
          "a number of hidden layers >= 0, or null to use model.hidden")
    _need(model["width"] > 0, "model.width", model["width"], "a positive layer width")
    for key in ("activation", "output_activation"):
        if model[key] is not None:
            _require_registered("activations", f"model.{key}", model[key])
    for key in ("weight_init", "bias_init"):
        _require_registered("initializers", f"model.{key}", model[key])
    for i, spec in enumerate(model["layers"] or []):
        kind = spec.get("type")
        known = registry.names("layers") + registry.names("activations")
        _need(kind in known, f"model.layers[{i}].type", kind,
              f"a registered layer or activation: {', '.join(sorted(known))}")
    _need(0 <= model["dropout"] < 1, "model.dropout", model["dropout"], "a probability in [0, 1)")
    _need(model["dtype"] in ("float32", "float64"), "model.dtype", model["dtype"],
          "float32 or float64")
    _require_registered("optimizers", "optimizer.name", opt["name"])
    _need(opt["lr"] > 0, "optimizer.lr", opt["lr"], "a learning rate > 0")
    if config["loss"] != "auto":
        _require_registered("losses", "loss", config["loss"])
    _need(config["seed"] >= 0, "seed", config["seed"], "an integer >= 0")
    _need(trainer["epochs"] >= 1, "trainer.epochs", trainer["epochs"], "at least 1")
    _need(trainer["clip_grad_norm"] is None or trainer["clip_grad_norm"] > 0,
          "trainer.clip_grad_norm", trainer["clip_grad_norm"], "a norm > 0, or null (no clipping)")
    stopping = trainer["early_stopping"]
    _need(stopping["monitor"] is None or stopping["patience"] >= 1,
          "trainer.early_stopping.patience", stopping["patience"],
          f"at least 1 epoch when early_stopping.monitor is set ({stopping['monitor']})")
    _need(stopping["min_delta"] >= 0, "trainer.early_stopping.min_delta",
          stopping["min_delta"], "an improvement >= 0")
    _need(trainer["threads"] is None or trainer["threads"] >= 1, "trainer.threads",
          trainer["threads"], "a positive integer or null (chosen from the network's size)")
    _need(trainer.get("checkpoint_every_s", 0) >= 0, "trainer.checkpoint_every_s",
          trainer.get("checkpoint_every_s"), "seconds >= 0 (0: after every epoch)")
    _need(trainer["batch_size"] is None or trainer["batch_size"] >= 1, "trainer.batch_size",
          trainer["batch_size"], "a positive integer or null (full batch)")
    for name in config.get("logger") or {}:
        problem = loggers.missing(name)
        if problem:
            raise ConfigError(problem)
    direction = (config.get("report") or {}).get("direction")
    _need(direction in (None, *DIRECTIONS), "report.direction", direction,
          "minimize, maximize or null (from the metric)")
    if trainer["schedule"]["name"] is not None:
        _require_registered("schedules", "trainer.schedule.name", trainer["schedule"]["name"])
    factory = registry.get("optimizers", opt["name"])
    accepted = inspect.signature(factory).parameters
    if not any(p.kind == p.VAR_KEYWORD for p in accepted.values()):
        for key in optimizer_kwargs(opt):
            source = f"optimizer.params.{key}" if key in opt["params"] else f"optimizer.{key}"
            # optimizer.name=sgd on top of adam's config keeps adam's betas; the group
            # option optimizer=sgd brings sgd's own keys only
            switch = "" if key in opt["params"] else (
                f"; to switch optimizers choose the config, optimizer={opt['name']}, which "
                "sets only its own keys")
            _need(key in accepted, source, opt["params"].get(key, opt.get(key)),
                  f"optimizer {opt['name']!r} takes "
                  f"{', '.join(k for k in accepted if k != 'params')}{switch}")
