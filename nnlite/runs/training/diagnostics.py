"""Per-epoch diagnostics: gradient norms per layer and activation statistics.

Both read what the layers already hold (each parameter's `.grad`, each activation's
cached output), so they cost a few reductions per epoch and can be left on. They are
what makes vanishing gradients, dead ReLUs and saturated sigmoids visible.
"""

from __future__ import annotations

import numpy as np

from nnlite.nn.activations import Elementwise, ReLU, Sigmoid, Tanh
from nnlite.nn.linear import Linear
from nnlite.nn.module import Module

SATURATION = 0.99  # |tanh| or the distance of a sigmoid from 0.5, scaled to [0, 1]


def linear_layers(model: Module) -> list[Linear]:
    """The Linear layers in forward order (layer 1 is nearest the input)."""
    return [m for m in model.modules() if isinstance(m, Linear)]


def gradient_norms(model: Module) -> dict[str, float]:
    """{"grad_norm.layer<k>": ||dL/dW_k||} for each Linear layer k = 1..K (weights only)."""
    return {
        f"grad_norm.layer{k}": float(np.linalg.norm(layer.weight.grad))
        for k, layer in enumerate(linear_layers(model), start=1)
    }


def activation_stats(model: Module) -> dict[str, float]:
    """Statistics of each activation's last output (call after a forward pass).

    For activation k: mean and std of its output; for ReLU the fraction of dead units
    (zero for every sample in the batch); for sigmoid/tanh the fraction of saturated
    outputs (within 1% of the asymptotes), where the derivative is nearly zero.
    """
    stats: dict[str, float] = {}
    activations = [m for m in model.modules()
                   if isinstance(m, Elementwise) and m.output is not None]
    for k, act in enumerate(activations, start=1):
        y = act.output
        stats[f"act.layer{k}.mean"] = float(y.mean())
        stats[f"act.layer{k}.std"] = float(y.std())
        if isinstance(act, ReLU) and y.ndim == 2:
            stats[f"act.layer{k}.dead"] = float(np.mean(~(y > 0).any(axis=0)))
        elif isinstance(act, Sigmoid):
            stats[f"act.layer{k}.saturated"] = float(np.mean(np.abs(2 * y - 1) > SATURATION))
        elif isinstance(act, Tanh):
            stats[f"act.layer{k}.saturated"] = float(np.mean(np.abs(y) > SATURATION))
    return stats


def saturation_fractions(stats: dict[str, float]) -> dict[str, float]:
    """Across layers: the mean fraction of saturated sigmoid/tanh outputs and of dead
    ReLU units (keys present only when the model has such activations)."""
    summary = {}
    for kind in ("saturated", "dead"):
        values = [v for k, v in stats.items() if k.endswith(f".{kind}")]
        if values:
            summary[f"{kind}_fraction"] = float(np.mean(values))
    return summary


def hidden_unit_symmetry(model: Module) -> dict[str, float]:
    """How alike the first hidden layer's units are (zero-init symmetry, made visible).

    `symmetry.max_distance`: the largest distance between two hidden units' incoming
    weight vectors (with bias); `symmetry.distinct_units`: how many units differ from
    every earlier one by more than 1e-6. Identical units (distance 0, 1 distinct unit)
    can never become different under gradient descent.
    """
    layers = linear_layers(model)
    if not layers:
        return {}
    first = layers[0]
    units = first.weight.data.T.astype(np.float64)  # (hidden, in): one row per unit
    if first.bias is not None:
        units = np.hstack([units, first.bias.data[:, None]])
    with np.errstate(invalid="ignore"):  # a diverged run's inf weights give NaN distances
        distances = np.linalg.norm(units[:, None, :] - units[None, :, :], axis=-1)
    distinct = sum(
        1 for j in range(len(units)) if j == 0 or distances[j, :j].min() > 1e-6
    )
    return {"symmetry.max_distance": float(distances.max()), "symmetry.distinct_units": distinct}
