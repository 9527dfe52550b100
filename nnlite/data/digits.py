"""The 8x8 handwritten digits, read from the copy shipped inside scikit-learn."""

from __future__ import annotations

import dataclasses

import numpy as np

from nnlite.data.dataset import Dataset
from nnlite.data.generated import check_samples_and_noise
from nnlite.data.split import subsample


def digits(n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with the library),
    multiclass with 10 classes; pixels scaled to [0, 1]. `n_samples` picks a seeded
    subset; `noise` adds gaussian pixel noise, clipped to [0, 1]. x: (N, 64), y: (N,)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:
        raise ImportError(
            "the digits dataset needs scikit-learn: pip install 'nnlite[digits]'"
        ) from err
    check_samples_and_noise(1 if n_samples is None else n_samples, noise)
    raw = load_digits()
    rng = np.random.default_rng(seed)
    ds = subsample(Dataset(raw.data / 16.0, raw.target, "multiclass", "digits", 10),
                   n_samples, rng)
    if noise:
        ds = dataclasses.replace(
            ds, x=np.clip(ds.x + noise * rng.standard_normal(ds.x.shape), 0.0, 1.0))
    return ds
