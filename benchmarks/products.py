"""The matrix products of one training step alone, in numpy and in PyTorch.

On a large network a step is nearly all BLAS: the forward products x @ W, and in the
backward dW = x.T @ dout for every layer and dx = dout @ W.T for all but the first.
Timing just those products, with the step's shapes and preallocated outputs, gives the
ceiling of "torch / nnlite" when matrix products dominate: nnlite can be no faster
than numpy's BLAS (OpenBLAS), PyTorch no slower than its own (MKL on x86).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.implementations import THREADS, Step
from benchmarks.workloads import Workload, make_batch, make_weights


def _shapes(w: Workload, dtype: np.dtype) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """The batch, the weights (in, out) and a fixed output gradient (batch, d_out)."""
    x, _ = make_batch(w, dtype)
    weights = [weight for weight, _ in make_weights(w, dtype)]
    dout = np.random.default_rng(2).standard_normal((w.batch, w.sizes[-1])).astype(dtype)
    return x, weights, dout


def _products(w: Workload, x: Any, weights: list[Any], dout: Any, empty: Callable[..., Any],
              matmul: Callable[..., Any]) -> Step:
    """The step's products with one library's `matmul(a, b, out=)` into arrays made by
    `empty(shape)`: forward x @ W per layer, then dW = a.T @ d per layer and dx = d @ W.T
    for all but the first."""
    acts = [x] + [empty((w.batch, d)) for d in w.sizes[1:]]
    dacts = [empty((w.batch, d)) for d in w.sizes[:-1]]
    dweights = [empty(weight.shape) for weight in weights]

    def step() -> float:
        for k, weight in enumerate(weights):
            matmul(acts[k], weight, out=acts[k + 1])
        d = dout
        for k in reversed(range(len(weights))):
            matmul(acts[k].T, d, out=dweights[k])
            if k > 0:
                d = matmul(d, weights[k].T, out=dacts[k])
        return 0.0

    return step


def numpy_products(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """np.matmul into preallocated numpy arrays."""
    x, weights, dout = _shapes(w, dtype)
    return _products(w, x, weights, dout, lambda shape: np.empty(shape, dtype), np.matmul)


def torch_products(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """torch.matmul into preallocated tensors (sharing the numpy arrays), THREADS threads."""
    import torch

    torch.set_num_threads(THREADS)
    x, weights, dout = _shapes(w, dtype)
    tx = torch.from_numpy(x)
    return _products(w, tx, [torch.from_numpy(a) for a in weights], torch.from_numpy(dout),
                     lambda shape: torch.empty(shape, dtype=tx.dtype), torch.matmul)


PRODUCTS = {"numpy": numpy_products, "torch": torch_products}
