"""Random numbers: `as_rng` (a Generator, a seed or None, as every function that draws
takes) and `named_generators` (the Generators a module tree holds)."""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from nnlite.nn.module import Module


def as_rng(rng: Any = None) -> np.random.Generator:
    """Accept a Generator, an int seed or None (fresh entropy) and return a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def named_generators(module: Module, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every numpy Generator a module tree holds (dropout masks, noise layers), by path;
    a generator shared by several layers is the same object and is listed under each."""
    for attr, value in vars(module).items():
        if isinstance(value, np.random.Generator):
            yield f"{prefix}{attr}", value
    for name, child in module.children():
        yield from named_generators(child, f"{prefix}{name}.")
