"""Build things by registry name: `nl.activation("relu")`, `nl.optimizer("adam", params)`...

Every factory goes through the plugin registry, so a plugin's names work everywhere a
built-in's do. Unknown names list the known ones; bad keyword arguments name the
signature that was expected.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from nnlite.module import Module, resolve_dtype
from nnlite.plugins import registry
from nnlite.registry import SINGULAR, PluginTypeError, build


def _wrong(kind: str, name: str, what: str) -> PluginTypeError:
    """The error for a factory that gave the wrong thing, naming its plugin and file."""
    entry = registry.entry(kind, name)
    return PluginTypeError(
        f"{SINGULAR[kind]} {name!r} from plugin {entry.plugin!r} {what} (in {entry.source})"
    )


def _check_instance(kind: str, name: str, obj: Any, expected: type) -> Any:
    if not isinstance(obj, expected):
        raise _wrong(kind, name, f"returned {type(obj).__name__}, not an "
                                 f"{expected.__module__.split('.')[0]}.{expected.__name__}")
    return obj


def activation(name: str, **kwargs: Any) -> Module:
    """A new activation Module, e.g. `activation("leaky_relu", negative_slope=0.1)`."""
    module = build("activations", name, registry, **kwargs)
    return _check_instance("activations", name, module, Module)


def layer(name: str, *args: Any, **kwargs: Any) -> Module:
    """A new layer Module by registered name, e.g. `layer("linear", 4, 8)`."""
    return _check_instance("layers", name, build("layers", name, registry, *args, **kwargs), Module)


def loss(name: str, **kwargs: Any) -> Any:
    """A new loss by registered name, e.g. `loss("cross_entropy", label_smoothing=0.1)`."""
    from nnlite.losses import Loss

    return _check_instance("losses", name, build("losses", name, registry, **kwargs), Loss)


def optimizer(name: str, params: Any, **kwargs: Any) -> Any:
    """A new optimizer over `params` (a Module or a list of Parameters)."""
    from nnlite.optim import Optimizer

    if isinstance(params, Module):
        params = params.parameters()
    opt = build("optimizers", name, registry, params, **kwargs)
    return _check_instance("optimizers", name, opt, Optimizer)


def initializer(name: str, **kwargs: Any) -> Callable[..., np.ndarray]:
    """An initializer `init(shape, rng=None, dtype=None) -> ndarray` with `kwargs` bound.

    `rng` is a numpy Generator or an int seed; dtype defaults to float32.
    """
    fn = registry.get("initializers", name)
    try:  # check the keyword arguments now, not at first use
        inspect.signature(fn).bind((1,), None, **kwargs)
    except TypeError as err:
        raise ValueError(
            f"initializer {name!r}: {err}; its signature is {name}{inspect.signature(fn)}"
        ) from None

    def init(shape: tuple[int, ...], rng: Any = None, dtype: Any = None) -> np.ndarray:
        from nnlite.layers import as_rng

        shape = tuple(int(s) for s in np.atleast_1d(shape))
        if any(s < 0 for s in shape):
            raise ValueError(f"initializer {name!r}: negative size in shape {shape}")
        values = fn(shape, as_rng(rng), **kwargs)
        if np.shape(values) != shape:
            raise _wrong("initializers", name,
                         f"returned an array of shape {np.shape(values)} when asked for {shape}")
        return np.asarray(values, dtype=resolve_dtype(dtype))

    init.__name__ = name
    init.__qualname__ = f"initializer({name!r})"
    return init


def dataset(name: str, **kwargs: Any) -> Any:
    """A dataset by registered name (see `nnlite.data`)."""
    from nnlite.data import Dataset

    return _check_instance("datasets", name, build("datasets", name, registry, **kwargs), Dataset)


def schedule(name: str, **kwargs: Any) -> Any:
    """A learning-rate schedule by registered name: `lr_at(epoch) -> lr`."""
    lr_at = build("schedules", name, registry, **kwargs)
    if not callable(lr_at):
        raise _wrong("schedules", name, f"returned {type(lr_at).__name__}, not a function "
                                        "lr_at(epoch) -> lr")
    return lr_at
