"""`Linear`: the fully connected layer y = x @ W + b, with its backward written out.

The layer caches its input in `forward` (overwritten on every call) and `backward`
adds dW and db into the parameters' `.grad` (so a shared layer or repeated calls
accumulate correctly) and returns dx.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.checks import require_int
from nnlite.nn.initializer_by_name import Initializer, resolve_initializer
from nnlite.nn.module import Module, Parameter, resolve_dtype
from nnlite.nn.rng import as_rng


class Linear(Module):
    """Fully connected layer y = x @ W + b.

    weight: (in_features, out_features), so W[i, j] connects input unit i to output
    unit j (note 004's W_ij convention; notes 000, 001 and 003 write z = A x with
    A = W.T, of shape (out, in)); bias: (out_features,).
    x: (N, in_features) -> y: (N, out_features). Inputs are cast to the layer's dtype.

    `backward(dout, input_grad=False)` skips computing dx (and returns None): on a
    network's first layer, whose input is the data, that is one of the three matrix
    products of the backward, and nobody reads it (see `nnlite.nn.input_grad`).
    """

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
        self.in_features = require_int("Linear: in_features", in_features)
        self.out_features = require_int("Linear: out_features", out_features)
        dtype = resolve_dtype(dtype)
        rng = as_rng(rng)
        w = resolve_initializer(weight_init)((self.in_features, self.out_features), rng)
        self.weight = Parameter(np.asarray(w, dtype=dtype), "weight")
        self.bias = None
        if bias:
            b = resolve_initializer(bias_init)((self.out_features,), rng)
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

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """dout: (N, out_features) -> dx: (N, in_features); dW += x.T @ dout, db += sum_n dout.

        With input_grad=False the dx product is skipped and None is returned.
        """
        self._require_forward(self._x)
        dout = np.asarray(dout, dtype=self.weight.data.dtype)  # float32 stays float32
        self.weight.accumulate(np.matmul, self._x.T, dout)  # dW += x.T @ dout
        if self.bias is not None:
            self.bias.accumulate(np.add.reduce, dout, 0)  # db += sum of dout over the batch
        if not input_grad:
            return None
        return dout @ self.weight.data.T

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, bias={self.bias is not None}"

