"""Mish, f(x) = x tanh(softplus(x)) (Misra 2019), packaged as an nnlite plugin.

Installed, this package announces itself through the entry point
`[project.entry-points.nnlite] mish = "nnlite_mish"` in its pyproject.toml, so
`nl.activation("mish")` and `model.activation=mish` work with nothing else to load.
"""

import numpy as np

import nnlite as nl
from nnlite.nn.activations import stable_sigmoid

__version__ = "0.1.0"


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


class Mish(nl.Elementwise):
    """f(x) = x t, t = tanh(softplus(x)); f'(x) = t + x (1 - t^2) sigmoid(x)
    (softplus' = sigmoid, tanh' = 1 - tanh^2)."""

    def f(self, x: np.ndarray) -> np.ndarray:
        return x * np.tanh(_softplus(x))

    def df(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        t = np.tanh(_softplus(x))
        return t + x * (1.0 - t * t) * stable_sigmoid(x)


@nl.hookimpl
def nnlite_activations() -> dict[str, type]:
    return {"mish": Mish}
