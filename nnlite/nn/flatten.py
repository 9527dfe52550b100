"""`Flatten`: (N, d1, d2, ...) -> (N, d1*d2*...), and back in backward."""

from __future__ import annotations

import numpy as np

from nnlite.nn.module import Module


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
