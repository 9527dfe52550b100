"""The 8x8 handwritten digits, shipped inside nnlite as `digits.npz` (45 kB).

The 1,797 images of the UCI Optical Recognition of Handwritten Digits test set (E.
Alpaydin, C. Kaynak; CC BY 4.0; see `digits.NOTICE` beside the file). They are read on
first use and kept, so importing nnlite reads nothing and a sweep reads the file once
per process.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from nnlite.data.dataset import Dataset
from nnlite.data.generated import check_samples_and_noise
from nnlite.data.split import subsample


@lru_cache(maxsize=1)
def _pixels_and_labels() -> tuple[np.ndarray, np.ndarray]:
    """pixels: (1797, 64) uint8 in 0..16, labels: (1797,) uint8 in 0..9 (read-only)."""
    from importlib import resources  # 8 ms of `import nnlite` if imported at the top

    with resources.files("nnlite.data").joinpath("digits.npz").open("rb") as f:
        with np.load(f) as npz:
            pixels, labels = npz["pixels"], npz["labels"]
    pixels.flags.writeable = labels.flags.writeable = False  # shared by every call
    return pixels, labels


def digits(n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """The 8x8 handwritten digits (1797 images), multiclass with 10 classes; pixels
    scaled to [0, 1] (float64, as every dataset; the model casts). `n_samples` picks a
    seeded subset; `noise` adds gaussian pixel noise, clipped to [0, 1].
    x: (N, 64), y: (N,) int64."""
    check_samples_and_noise(1 if n_samples is None else n_samples, noise)
    pixels, labels = _pixels_and_labels()
    rng = np.random.default_rng(seed)
    ds = subsample(Dataset(pixels / 16.0, labels.astype(np.int64), "multiclass", "digits", 10),
                   n_samples, rng)
    if noise:
        ds = dataclasses.replace(
            ds, x=np.clip(ds.x + noise * rng.standard_normal(ds.x.shape), 0.0, 1.0))
    return ds
