"""`initializer(name, **kw)`: a registered weight initializer, ready for any shape.

The formulas are plain functions `fn(shape, rng, **kw)` (nnlite.nn.init and plugins);
this binds the keyword arguments once, checks them against the formula's signature,
and gives back `init(shape, rng=None, dtype=None) -> ndarray` in the dtype asked for.
Layers accept a registered name or such a callable (`resolve_initializer`).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from nnlite.nn.module import resolve_dtype
from nnlite.nn.rng import as_rng
from nnlite.registry import registry

Initializer = Callable[..., np.ndarray]


def initializer(name: str, **kwargs: Any) -> Initializer:
    """An initializer `init(shape, rng=None, dtype=None) -> ndarray` with `kwargs` bound.

    `rng` is a numpy Generator or an int seed; dtype defaults to float32.
    """
    formula = registry.get("initializers", name)
    try:  # check the keyword arguments now, not at first use
        inspect.signature(formula).bind((1,), None, **kwargs)
    except TypeError as err:
        raise ValueError(
            f"initializer {name!r}: {err}; its signature is {name}{inspect.signature(formula)}"
        ) from None

    def init(shape: tuple[int, ...], rng: Any = None, dtype: Any = None) -> np.ndarray:
        shape = tuple(int(s) for s in np.atleast_1d(shape))
        if any(s < 0 for s in shape):
            raise ValueError(f"initializer {name!r}: negative size in shape {shape}")
        values = formula(shape, as_rng(rng), **kwargs)
        if np.shape(values) != shape:
            raise registry.wrong("initializers", name, f"returned an array of shape "
                                 f"{np.shape(values)} when asked for {shape}")
        return np.asarray(values, dtype=resolve_dtype(dtype))

    init.__name__ = name
    init.__qualname__ = f"initializer({name!r})"
    return init


def resolve_initializer(init: str | Initializer) -> Initializer:
    """A registered name becomes `initializer(name)`; a callable is used as it is."""
    if isinstance(init, str):
        return initializer(init)
    if callable(init):
        return init
    raise ValueError(f"an initializer must be a registered name or a callable, got {init!r}")
