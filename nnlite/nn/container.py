"""Containers: `Sequential` (layers in order) and `Residual` (y = x + f(x))."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from nnlite.nn.module import Module


class Sequential(Module):
    """Layers applied in order; backward runs them in reverse. Indexable, with len()."""

    def __init__(self, *layers: Module) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ValueError(f"Sequential: item {i} is {layer!r}, not an nnlite Module")
        self.layers = list(layers)

    def children(self) -> Iterator[tuple[str, Module]]:
        for i, layer in enumerate(self.layers):
            yield str(i), layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def __getitem__(self, index: int | slice) -> Module:
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


class Residual(Module):
    """y = x + f(x); backward: dx = dout + f.backward(dout) (the identity path never vanishes).

    f must map (N, D) to (N, D).
    """

    def __init__(self, module: Module) -> None:
        if not isinstance(module, Module):
            raise ValueError(f"Residual: {module!r} is not an nnlite Module")
        self.module = module

    def forward(self, x: np.ndarray) -> np.ndarray:
        fx = self.module.forward(x)
        if fx.shape != np.shape(x):
            raise ValueError(f"Residual: the wrapped module maps {np.shape(x)} to {fx.shape}; "
                             "shapes must match for y = x + f(x)")
        return x + fx

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout + self.module.backward(dout)

