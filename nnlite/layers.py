"""The structural layers: Linear, Sequential, Residual, Dropout, Flatten.

Each layer is a Module with an explicit `forward` (caching exactly what backward
needs, overwritten on every call) and `backward(dout)` that returns dx and adds the
parameter gradients into `.grad` with `+=` (so shared layers and repeated calls
accumulate correctly, as in micrograd).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from nnlite.module import Module, Parameter, resolve_dtype

Initializer = Callable[..., np.ndarray]


def as_rng(rng: Any = None) -> np.random.Generator:
    """Accept a Generator, an int seed or None (fresh entropy) and return a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def _resolve_init(init: str | Initializer) -> Initializer:
    if isinstance(init, str):
        from nnlite.factories import initializer

        return initializer(init)
    if callable(init):
        return init
    raise ValueError(f"an initializer must be a registered name or a callable, got {init!r}")


class Linear(Module):
    """Fully connected layer y = x @ W + b.

    weight: (in_features, out_features), so W[i, j] connects input unit i to output
    unit j (the W_ij convention of the course notes); bias: (out_features,).
    x: (N, in_features) -> y: (N, out_features). Inputs are cast to the layer's dtype.

    `needs_input_grad` (default True): set it to False on a network's first layer, whose
    input is the data, and backward skips computing dx (returning None) -- one of the
    three matrix products of the layer's backward, which nobody would read.
    """

    needs_input_grad: bool = True

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        weight_init: str | Initializer = "xavier_uniform",
        bias_init: str | Initializer = "zeros",
        rng: Any = None,
        dtype: Any = None,
    ) -> None:
        for label, size in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size <= 0:
                raise ValueError(f"Linear: {label} must be a positive integer, got {size!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        dtype = resolve_dtype(dtype)
        rng = as_rng(rng)
        w = _resolve_init(weight_init)((self.in_features, self.out_features), rng)
        self.weight = Parameter(np.asarray(w, dtype=dtype), "weight")
        self.bias = None
        if bias:
            b = _resolve_init(bias_init)((self.out_features,), rng)
            self.bias = Parameter(np.asarray(b, dtype=dtype), "bias")
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=self.weight.data.dtype)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"Linear({self.in_features}, {self.out_features}) expects input of shape "
                f"(N, {self.in_features}), got {x.shape}"
            )
        self._x = x
        out = x @ self.weight.data
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """dout: (N, out_features) -> dx: (N, in_features); dW += x.T @ dout, db += sum_n dout.

        Returns None, skipping the dx product, when `needs_input_grad` is False.
        """
        self._require_forward(self._x)
        dout = np.asarray(dout, dtype=self.weight.data.dtype)  # float32 stays float32
        self.weight.accumulate(np.matmul, self._x.T, dout)  # dW += x.T @ dout
        if self.bias is not None:
            self.bias.accumulate(np.add.reduce, dout, 0)  # db += sum of dout over the batch
        if not self.needs_input_grad:
            return None
        return dout @ self.weight.data.T

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, bias={self.bias is not None}"


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


class Dropout(Module):
    """Inverted dropout: in training, zero each unit with probability p and scale the
    survivors by 1/(1-p), so the expected activation is unchanged and evaluation needs
    no rescaling. Identity in eval mode. x: (N, ...) -> same shape (in training, integer
    x is promoted to float64; float x keeps its dtype)."""

    def __init__(self, p: float = 0.5, rng: Any = None) -> None:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = as_rng(rng)
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self._mask = None
            return x
        if x.dtype.kind != "f":
            x = x.astype(np.float64)  # an integer dtype cannot hold the 1/(1-p) scale
        keep = self.rng.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64)
        self._mask = (keep >= self.p).astype(x.dtype) / x.dtype.type(1.0 - self.p)
        return x * self._mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            return dout
        self._require_forward(self._mask)
        return dout * self._mask

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Flatten(Module):
    """(N, d1, d2, ...) -> (N, d1*d2*...); backward reshapes back."""

    def __init__(self) -> None:
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._require_forward(self._shape)
        return dout.reshape(self._shape)
