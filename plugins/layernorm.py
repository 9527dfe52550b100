"""Example layer plugin: LayerNorm (Ba et al. 2016) over the features of each sample.

    mu, var = mean and variance of x over its last axis (per sample)
    x_hat   = (x - mu) / sqrt(var + eps)
    y       = x_hat * weight + bias

A layer is an `nl.Module`: `forward` keeps exactly what `backward` needs, `backward`
returns dx and ADDS the parameter gradients into `.grad` (+=). Its constructor takes the
width as `num_features`, so a config can leave it out and get the running width:

    python -m nnlite +experiment=moons 'plugins=[plugins/layernorm.py]' \
        'model.layers=[{type: linear, out_features: 16}, {type: layernorm},
                       {type: relu}, {type: linear, out_features: out}]'

LayerNorm behaves the same in training and evaluation (compare plugins/batchnorm.py).
"""

from typing import Any

import numpy as np

import nnlite as nl
from nnlite.nn.module import resolve_dtype


class LayerNorm(nl.Module):
    """Normalise each sample over its features, then scale and shift.

    x: (N, num_features) -> y: (N, num_features). weight (ones) and bias (zeros):
    (num_features,), learned if elementwise_affine. Inputs are cast to the layer's dtype.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, elementwise_affine: bool = True,
                 dtype: Any = None) -> None:
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)) \
                or num_features <= 0:
            raise ValueError(
                f"LayerNorm: num_features must be a positive integer, got {num_features!r}")
        self.num_features, self.eps = int(num_features), float(eps)
        self.dtype = resolve_dtype(dtype)
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = nl.Parameter(np.ones(self.num_features, self.dtype), "weight")
            self.bias = nl.Parameter(np.zeros(self.num_features, self.dtype), "bias")
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"LayerNorm({self.num_features}) expects input of shape "
                             f"(N, {self.num_features}), got {x.shape}")
        centered = x - x.mean(axis=1, keepdims=True)
        inv_std = 1.0 / np.sqrt((centered * centered).mean(axis=1, keepdims=True) + self.eps)
        x_hat = centered * inv_std
        self._cache = (x_hat, inv_std)  # (N, D), (N, 1)
        if self.weight is None:
            return x_hat
        return x_hat * self.weight.data + self.bias.data

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: (N, D) -> dx: (N, D). With g = dout * weight (= dL/dx_hat):
        dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat)), means over the features;
        dweight += sum_n dout * x_hat, dbias += sum_n dout."""
        self._require_forward(self._cache)
        x_hat, inv_std = self._cache
        g = dout
        if self.weight is not None:
            self.weight.accumulate(np.sum, dout * x_hat, axis=0)  # dweight += sum_n dout * x_hat
            self.bias.accumulate(np.sum, dout, axis=0)  # dbias += sum_n dout
            g = dout * self.weight.data
        return inv_std * (g - g.mean(axis=1, keepdims=True)
                          - x_hat * (g * x_hat).mean(axis=1, keepdims=True))

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, elementwise_affine={self.weight is not None}"


@nl.hookimpl
def nnlite_layers() -> dict[str, type]:
    return {"layernorm": LayerNorm}
