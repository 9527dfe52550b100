"""`Standardizer`: per-feature rescaling fitted on the training split, storable as arrays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


class Standardizer:
    """Per-feature (x - mean) / std with statistics fitted on training inputs.

    mean, std: (D,). A constant column gets std 1 (it is only centred). `state()`
    gives plain arrays to store with a model; `from_state` rebuilds the Standardizer.
    """

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=np.float64).reshape(-1)
        self.std = np.asarray(std, dtype=np.float64).reshape(-1)
        if self.mean.shape != self.std.shape or np.any(self.std <= 0):
            raise ValueError(f"Standardizer needs equal-length mean and positive std, got "
                             f"shapes {self.mean.shape}, {self.std.shape}")

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardizer:
        """Statistics of x: (N, D), N >= 1."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or len(x) == 0:
            raise ValueError(f"Standardizer.fit needs x of shape (N, D) with N >= 1, got {x.shape}")
        mean, std = x.mean(axis=0), x.std(axis=0)
        constant = std <= 1e-10 * np.maximum(1.0, np.abs(mean))
        return cls(mean, np.where(constant, 1.0, std))

    def transform(self, x: np.ndarray) -> np.ndarray:
        """x: (N, D) -> (N, D), in x's float dtype (float64 for integer input)."""
        x = np.asarray(x)
        if x.shape[-1] != len(self.mean):
            raise ValueError(f"Standardizer was fitted on {len(self.mean)} features, "
                             f"got x of shape {x.shape}")
        dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
        return ((x - self.mean) / self.std).astype(dtype, copy=False)

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        """Undo `transform`: (N, D) standardized -> (N, D) raw."""
        return np.asarray(x) * self.std + self.mean

    def state(self) -> dict[str, np.ndarray]:
        """{"mean": (D,), "std": (D,)}, ready for np.savez."""
        return {"mean": self.mean.copy(), "std": self.std.copy()}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Standardizer:
        return cls(state["mean"], state["std"])

    def __repr__(self) -> str:
        return f"Standardizer(n_features={len(self.mean)})"
