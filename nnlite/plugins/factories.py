"""Build things by registered name: `nl.activation("relu")`, `nl.optimizer("adam", params)`...

Every factory goes through the registry, so a plugin's names work everywhere a
built-in's do. Unknown names list the known ones; bad keyword arguments name the
signature that was expected; a factory that returns the wrong kind of object is named
with its plugin and file.
"""

from __future__ import annotations

from typing import Any, Callable

from nnlite.data.dataset import Dataset
from nnlite.nn.initializer_by_name import initializer
from nnlite.nn.losses import Loss
from nnlite.nn.module import Module
from nnlite.optim.optimizer import Optimizer
from nnlite.registry import registry

__all__ = ["activation", "dataset", "initializer", "layer", "loss", "optimizer", "schedule"]


def activation(name: str, **kwargs: Any) -> Module:
    """A new activation Module, e.g. `activation("leaky_relu", negative_slope=0.1)`."""
    return registry.create("activations", name, expected=Module, **kwargs)


def layer(name: str, *args: Any, **kwargs: Any) -> Module:
    """A new layer Module by registered name, e.g. `layer("linear", 4, 8)`."""
    return registry.create("layers", name, *args, expected=Module, **kwargs)


def loss(name: str, **kwargs: Any) -> Loss:
    """A new loss by registered name, e.g. `loss("cross_entropy", label_smoothing=0.1)`."""
    return registry.create("losses", name, expected=Loss, **kwargs)


def optimizer(name: str, params: Any, **kwargs: Any) -> Optimizer:
    """A new optimizer over `params` (a Module or a list of Parameters)."""
    if isinstance(params, Module):
        params = params.parameters()
    return registry.create("optimizers", name, params, expected=Optimizer, **kwargs)


def dataset(name: str, **kwargs: Any) -> Dataset:
    """A dataset by registered name (see `nnlite.data`)."""
    return registry.create("datasets", name, expected=Dataset, **kwargs)


def schedule(name: str, **kwargs: Any) -> Callable[[int], float]:
    """A learning-rate schedule by registered name: `lr_at(epoch) -> lr`."""
    lr_at = registry.create("schedules", name, **kwargs)
    if not callable(lr_at):
        raise registry.wrong("schedules", name, f"returned {type(lr_at).__name__}, not a "
                             "function lr_at(epoch) -> lr")
    return lr_at
