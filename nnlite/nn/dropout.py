"""`Dropout`: inverted dropout, the identity in eval mode."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.nn.module import Module
from nnlite.nn.rng import as_rng


class Dropout(Module):
    """Inverted dropout: in training, zero each unit with probability p and scale the
    survivors by 1/(1-p), so the expected activation is unchanged and evaluation needs
    no rescaling. Identity in eval mode. x: (N, ...) -> same shape (in training, integer
    x is promoted to float64; float x keeps its dtype)."""

    def __init__(self, p: float = 0.5, rng: Any = None) -> None:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = as_rng(rng)
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self._mask = None
            return x
        if x.dtype.kind != "f":
            x = x.astype(np.float64)  # an integer dtype cannot hold the 1/(1-p) scale
        keep = self.rng.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64)
        self._mask = (keep >= self.p).astype(x.dtype) / x.dtype.type(1.0 - self.p)
        return x * self._mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            return dout
        self._require_forward(self._mask)
        return dout * self._mask

    def extra_repr(self) -> str:
        return f"p={self.p}"

