"""Containers: `Sequential` (layers in order) and `Residual` (y = x + f(x))."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from nnlite.nn.input_grad import backward_with_input_grad
from nnlite.nn.module import Module


class Sequential(Module):
    """Layers applied in order; backward runs them in reverse. Indexable, with len().

    `input_grad` (default True) says whether `backward(dout)` returns dx, the gradient
    with respect to the first layer's input. A network whose input is the data says
    False (`nl.mlp` does): its first layer then skips that product and backward returns
    None; `backward(dout, input_grad=True)` asks for dx anyway.
    """

    def __init__(self, *layers: Module, input_grad: bool = True) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ValueError(f"Sequential: item {i} is {layer!r}, not an nnlite Module")
        self.layers = list(layers)
        self.input_grad = bool(input_grad)

    def children(self) -> Iterator[tuple[str, Module]]:
        for i, layer in enumerate(self.layers):
            yield str(i), layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout: np.ndarray, input_grad: bool | None = None) -> np.ndarray | None:
        """dout: the gradient w.r.t. the output -> dx (or None when input_grad, or else the
        Sequential's own `input_grad`, is False and the first layer can skip it)."""
        if not self.layers:
            return dout
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        wanted = self.input_grad if input_grad is None else input_grad
        return backward_with_input_grad(self.layers[0], dout, wanted)

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

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dx = dout + f.backward(dout); with input_grad=False, f's own input gradient
        is still needed for nothing, so it is skipped too and None is returned."""
        fdx = backward_with_input_grad(self.module, dout, input_grad)
        return dout + fdx if input_grad else None

