"""Example layer plugin with train/eval behaviour: BatchNorm1d (Ioffe & Szegedy 2015).

Training: normalise each feature with the statistics of the current batch, and keep
running averages of them. Evaluation: normalise with the running averages, so a sample's
output no longer depends on the rest of its batch. As in PyTorch, the running variance
is the unbiased one and `momentum` is the weight of the newest batch.

    python -m nnlite +experiment=moons 'plugins=[plugins/batchnorm.py]' \
        'model.layers=[{type: linear, out_features: 32}, {type: batchnorm1d},
                       {type: relu}, {type: linear, out_features: out}]'

The running statistics are state but not parameters (no gradient, the optimizer must
not touch them), so this layer adds them to its own `state_dict`.
"""

from typing import Any

import numpy as np

import nnlite as nl
from nnlite.nn.module import resolve_dtype


class BatchNorm1d(nl.Module):
    """x: (N, num_features) -> y: (N, num_features); y = x_hat * weight + bias.

    weight (ones), bias (zeros): (num_features,), learned if affine. Buffers
    running_mean (zeros) and running_var (ones): (num_features,).
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, dtype: Any = None) -> None:
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)) \
                or num_features <= 0:
            raise ValueError(
                f"BatchNorm1d: num_features must be a positive integer, got {num_features!r}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNorm1d: momentum must be in [0, 1], got {momentum!r}")
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), float(momentum)
        self.dtype = resolve_dtype(dtype)
        self.weight = self.bias = None
        if affine:
            self.weight = nl.Parameter(np.ones(self.num_features, self.dtype), "weight")
            self.bias = nl.Parameter(np.zeros(self.num_features, self.dtype), "bias")
        self.running_mean = np.zeros(self.num_features, self.dtype)
        self.running_var = np.ones(self.num_features, self.dtype)
        self._cache: tuple[np.ndarray, np.ndarray, bool] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}) expects input of shape "
                             f"(N, {self.num_features}), got {x.shape}")
        n = x.shape[0]
        if self.training:
            if n < 2:
                raise ValueError("BatchNorm1d: training needs at least 2 samples per batch to "
                                 "estimate statistics, got 1 (use a larger batch_size)")
            mean = x.mean(axis=0)
            centered = x - mean
            var = (centered * centered).mean(axis=0)
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mean
            self.running_var *= 1.0 - m
            self.running_var += (m * n / (n - 1)) * var
        else:
            centered, var = x - self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)  # (D,)
        x_hat = centered * inv_std
        self._cache = (x_hat, inv_std, self.training)
        if self.weight is None:
            return x_hat
        return x_hat * self.weight.data + self.bias.data

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: (N, D) -> dx: (N, D). With g = dout * weight: in training (batch
        statistics depend on every sample) dx = inv_std * (g - mean_n(g) - x_hat *
        mean_n(g * x_hat)); in evaluation (constants) dx = inv_std * g."""
        self._require_forward(self._cache)
        x_hat, inv_std, batch_statistics = self._cache
        g = dout
        if self.weight is not None:
            self.weight.accumulate(np.sum, dout * x_hat, axis=0)  # dweight += sum_n dout * x_hat
            self.bias.accumulate(np.sum, dout, axis=0)  # dbias += sum_n dout
            g = dout * self.weight.data
        if not batch_statistics:
            return g * inv_std
        return inv_std * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))

    def state_dict(self) -> dict[str, np.ndarray]:
        state = super().state_dict()
        state["running_mean"] = self.running_mean.copy()
        state["running_var"] = self.running_var.copy()
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        state = dict(state)
        names = ("running_mean", "running_var")
        buffers = {name: np.asarray(state.pop(name, None)) for name in names}
        for name, value in buffers.items():
            if value.shape != (self.num_features,):
                raise KeyError(f"BatchNorm1d.load_state_dict: {name} missing or of shape "
                               f"{value.shape}, expected ({self.num_features},)")
        super().load_state_dict(state)
        for name, value in buffers.items():
            getattr(self, name)[...] = value

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


@nl.hookimpl
def nnlite_layers() -> dict[str, type]:
    return {"batchnorm1d": BatchNorm1d}
