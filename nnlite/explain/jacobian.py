"""Softmax's Jacobian shown (note 002 §3.6): J = ∂a/∂z = diag(σ) - σσ^T for one sample of
a small layer, and the backward step ∂/∂z = J^T ∂/∂a worked unit by unit, where an
elementwise activation has the one factor g'(z) instead. J is computed here from σ, the
layer's output; the step's result is the backward pass's own ∂/∂z.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnlite.explain import notation as n
from nnlite.explain.trace import LayerTrace

SHOWN_UP_TO = 6  # units: a larger J is too large to read as a matrix of numbers


def softmax_jacobian(sigma: np.ndarray) -> np.ndarray:
    """diag(σ) - σσ^T for one sample's softmax output σ: (k,) -> (k, k)."""
    return np.diag(sigma) - np.outer(sigma, sigma)


def lines(layer: LayerTrace, sample: int, q: str, z: Callable[[int], str],
          a: Callable[[int], str], a_name: str, z_name: str) -> list[str]:
    """The Jacobian of layer's softmax at `sample` and ∂q/∂z from it; z(j), a(j) write
    unit j's symbols (from 1), a_name and z_name the layer's vectors."""
    k = layer.units
    if k > SHOWN_UP_TO:
        return [f"  softmax's Jacobian J = ∂{a_name}/∂{z_name} = diag(σ) - σσ^T is {k} × {k}, "
                "too large to print"]
    sigma = layer.gz[sample]
    J = softmax_jacobian(sigma)
    out = [f"  softmax's Jacobian at sample {sample}: J = ∂{a_name}/∂{z_name} = diag(σ) - σσ^T, "
           f"σ = {a_name} = {n.value(sigma)}:", n.matrix(J),
           f"  J is symmetric, so ∂{q}/∂{z_name}_j = Σ_k J_kj ∂{q}/∂{a_name}_k:"]
    for j in range(k):
        terms = " + ".join(f"J_{k_ + 1}{j + 1} {n.d(q, a(k_ + 1))}" for k_ in range(k))
        nums = " + ".join(n.product([J[k_, j], layer.da[sample, k_]]) for k_ in range(k))
        out.append(f"  {n.d(q, z(j + 1))} = {terms} = {nums} = {n.num(layer.dz[sample, j])}")
    return out
