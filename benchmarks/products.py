"""The matrix products of one training step alone, in numpy and in PyTorch.

On a large network a step is nearly all BLAS: the forward products x @ W, and in the
backward dW = x.T @ dout for every layer and dx = dout @ W.T for all but the first.
Timing just those products, with the step's shapes and preallocated outputs, gives the
ceiling of "torch / nnlite" when matrix products dominate: nnlite can be no faster
than numpy's BLAS (OpenBLAS), PyTorch no slower than its own (MKL on x86).
"""

from __future__ import annotations

import numpy as np

from benchmarks.implementations import THREADS, Step
from benchmarks.workloads import Workload, make_batch, make_weights


def _shapes(w: Workload, dtype: np.dtype) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """The batch, the weights (in, out) and a fixed output gradient (batch, d_out)."""
    x, _ = make_batch(w, dtype)
    weights = [weight for weight, _ in make_weights(w, dtype)]
    dout = np.random.default_rng(2).standard_normal((w.batch, w.sizes[-1])).astype(dtype)
    return x, weights, dout


def numpy_products(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """np.matmul into preallocated arrays: 3 forward, then dW and dx per layer."""
    x, weights, dout = _shapes(w, dtype)
    acts = [x] + [np.empty((w.batch, d), dtype) for d in w.sizes[1:]]
    dacts = [np.empty((w.batch, d), dtype) for d in w.sizes[:-1]]
    dweights = [np.empty_like(weight) for weight in weights]

    def step() -> float:
        for k, weight in enumerate(weights):
            np.matmul(acts[k], weight, out=acts[k + 1])
        d = dout
        for k in reversed(range(len(weights))):
            np.matmul(acts[k].T, d, out=dweights[k])
            if k > 0:
                d = np.matmul(d, weights[k].T, out=dacts[k])
        return 0.0

    return step


def torch_products(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """The same products with torch.matmul(out=) on the same arrays, THREADS threads."""
    import torch

    torch.set_num_threads(THREADS)
    x, weights, dout = _shapes(w, dtype)
    tx, tdout = torch.from_numpy(x), torch.from_numpy(dout)
    tweights = [torch.from_numpy(weight) for weight in weights]
    acts = [tx] + [torch.empty((w.batch, d), dtype=tx.dtype) for d in w.sizes[1:]]
    dacts = [torch.empty((w.batch, d), dtype=tx.dtype) for d in w.sizes[:-1]]
    dweights = [torch.empty_like(weight) for weight in tweights]

    def step() -> float:
        for k, weight in enumerate(tweights):
            torch.matmul(acts[k], weight, out=acts[k + 1])
        d = tdout
        for k in reversed(range(len(tweights))):
            torch.matmul(acts[k].T, d, out=dweights[k])
            if k > 0:
                d = torch.matmul(d, tweights[k].T, out=dacts[k])
        return 0.0

    return step


PRODUCTS = {"numpy": numpy_products, "torch": torch_products}
