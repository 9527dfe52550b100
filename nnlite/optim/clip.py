"""Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_.

Called between `backward` and `optimizer.step()`: it measures the norm of all the
gradients taken together and, when that exceeds `max_norm`, scales every gradient by the
same factor so the update keeps its direction but not its size.
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.optim.optimizer import ParamsLike, as_parameter_list

_CLIP_EPS = 1e-6  # PyTorch's guard against dividing by a zero norm


def check_max_norm(max_norm: float) -> float:
    """`max_norm` as a float if it is a norm > 0 (0 would zero every gradient), else a
    ValueError naming it. The config's trainer.clip_grad_norm is checked here too."""
    value = float(max_norm)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"clip_grad_norm: invalid max_norm={max_norm!r}; it must be a "
                         f"finite norm > 0")
    return value


def clip_grad_norm(
    params: ParamsLike,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale all gradients in place so their joint `norm_type`-norm is at most ~`max_norm`.

    The total norm is the norm of the per-parameter norms (`norm_type` may be `inf`: the
    largest absolute entry). Each gradient is multiplied by max_norm / (total + 1e-6) when
    that factor is below 1, exactly as PyTorch does. Returns the total norm before clipping,
    as a python float. A non-finite total raises RuntimeError when `error_if_nonfinite`.
    """
    grads = [p.grad for p in as_parameter_list(params, "clip_grad_norm") if p.grad.size]
    max_norm, norm_type = check_max_norm(max_norm), float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm: invalid norm_type={norm_type!r}; it must be > 0 or inf")
    if not grads:
        return 0.0
    # In float64: squaring a finite float32 gradient of ~1e20 would overflow to inf, and
    # skip the clipping exactly when it is needed most.
    norms = [float(np.linalg.norm(g.ravel().astype(np.float64), ord=norm_type)) for g in grads]
    total = float(np.linalg.norm(np.array(norms), ord=norm_type))
    if not math.isfinite(total):
        if error_if_nonfinite:
            raise RuntimeError(f"clip_grad_norm: the total gradient norm is {total}")
        return total
    scale = max_norm / (total + _CLIP_EPS)  # a python float: keeps float32 gradients float32
    if scale < 1.0:
        for g in grads:
            g *= scale
    return total
