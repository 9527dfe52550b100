"""Toy datasets generated locally from a seed: xor, moons, circles, spirals, blobs and
1-D regression curves.

Every function has the shape `fn(n_samples=..., noise=..., seed=0, **specific)` and
returns a `Dataset` with float64 inputs; the same seed gives the same arrays. They are
registered by name (`nl.dataset("moons", n_samples=100)`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from nnlite.checks import require_int
from nnlite.data.dataset import Dataset

# name -> (f, default (x_min, x_max)); ranges chosen so every f stays within [-1, 1].
REGRESSION_FUNCTIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = {
    "sine": (np.sin, (-np.pi, np.pi)),
    "cosine": (np.cos, (-np.pi, np.pi)),
    "abs": (np.abs, (-1.0, 1.0)),
    "square": (np.square, (-1.0, 1.0)),
    "cubic": (lambda x: x ** 3, (-1.0, 1.0)),
    "step": (lambda x: np.where(x < 0, 0.0, 1.0), (-1.0, 1.0)),
    "sawtooth": (lambda x: 2.0 * (x - np.floor(x + 0.5)), (-2.0, 2.0)),  # period 1, [-1, 1)
    "bump": (lambda x: np.exp(-x ** 2), (-3.0, 3.0)),  # gaussian bump
}


def check_samples_and_noise(n_samples: int, noise: float) -> None:
    require_int("n_samples", n_samples)
    if not noise >= 0:
        raise ValueError(f"noise={noise!r} must be >= 0")


def _labelled(name: str, x: np.ndarray, y: np.ndarray, n_classes: int,
              rng: np.random.Generator) -> Dataset:
    """A classification Dataset with its rows in a random (seeded) order."""
    order = rng.permutation(len(x))
    task = "binary" if n_classes == 2 else "multiclass"
    return Dataset(x[order], y[order], task, name=name, n_classes=n_classes)


def _per_class(n_samples: int, n_classes: int) -> list[int]:
    """n_samples shared as evenly as possible: class sizes differ by at most one."""
    return [n_samples // n_classes + (c < n_samples % n_classes) for c in range(n_classes)]


def xor(n_samples: int | None = None, noise: float = 0.0, seed: int = 0) -> Dataset:
    """XOR, binary. None: the 4 points (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0;
    otherwise n_samples points cycling over the 4 corners. Gaussian noise (std `noise`)
    is added to the inputs. x: (N, 2), y: (N,)."""
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    rng = np.random.default_rng(seed)
    check_samples_and_noise(4 if n_samples is None else n_samples, noise)
    which = np.arange(4) if n_samples is None else rng.permutation(np.arange(n_samples) % 4)
    x = corners[which] + (noise * rng.standard_normal((len(which), 2)) if noise else 0.0)
    return Dataset(x, labels[which], "binary", name="xor", n_classes=2)


def moons(n_samples: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles of radius 1 (as sklearn's make_moons), binary.
    Class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t), t in [0, pi].
    x: (N, 2), y: (N,)."""
    check_samples_and_noise(n_samples, noise)
    rng = np.random.default_rng(seed)
    n0, n1 = _per_class(n_samples, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], axis=1),
                        np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)])
    x += noise * rng.standard_normal(x.shape)
    return _labelled("moons", x, np.repeat([0, 1], [n0, n1]), 2, rng)


def circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5,
            seed: int = 0) -> Dataset:
    """Two concentric circles, binary: class 0 radius 1, class 1 radius `factor` in (0, 1).
    x: (N, 2), y: (N,)."""
    check_samples_and_noise(n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor={factor!r} must be in (0, 1)")
    rng = np.random.default_rng(seed)
    n0, n1 = _per_class(n_samples, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], axis=1),
                        factor * np.stack([np.cos(t1), np.sin(t1)], axis=1)])
    x += noise * rng.standard_normal(x.shape)
    return _labelled("circles", x, np.repeat([0, 1], [n0, n1]), 2, rng)


def spirals(n_samples: int = 300, noise: float = 0.2, n_classes: int = 3, turns: float = 1.0,
            seed: int = 0) -> Dataset:
    """Interleaved spiral arms, one per class (CS231n's toy data), equal class sizes.

    Arm c: radius r from 0.1 to 1 while the angle grows by `turns` full turns, starting
    at 2 pi c / n_classes; `noise` is the std of gaussian jitter of the angle (radians).
    Binary if n_classes == 2, else multiclass. x: (N, 2), y: (N,).
    """
    check_samples_and_noise(n_samples, noise)
    require_int("n_classes", n_classes, 2)
    rng = np.random.default_rng(seed)
    sizes = _per_class(n_samples, int(n_classes))
    arms = []
    for c, m in enumerate(sizes):
        s = np.linspace(0.0, 1.0, m)
        r = 0.1 + 0.9 * s
        t = 2 * np.pi * (c / n_classes + turns * s) + noise * rng.standard_normal(m)
        arms.append(np.stack([r * np.cos(t), r * np.sin(t)], axis=1))
    y = np.repeat(np.arange(n_classes), sizes)
    return _labelled("spirals", np.concatenate(arms), y, int(n_classes), rng)


def blobs(n_samples: int = 300, noise: float | None = None, n_classes: int = 3,
          n_features: int = 2, cluster_std: float = 1.0,
          center_box: tuple[float, float] = (-5.0, 5.0), seed: int = 0) -> Dataset:
    """Gaussian clusters, one per class, centres uniform in `center_box` per feature.

    `noise`, if given, is the cluster std (so `data.noise` works for every dataset) and
    overrides `cluster_std`. Equal class sizes. x: (N, n_features), y: (N,).
    """
    std = cluster_std if noise is None else noise
    check_samples_and_noise(n_samples, std)
    require_int("n_classes", n_classes, 2)
    require_int("n_features", n_features, 1)
    rng = np.random.default_rng(seed)
    centers = rng.uniform(center_box[0], center_box[1], size=(int(n_classes), int(n_features)))
    sizes = _per_class(n_samples, int(n_classes))
    y = np.repeat(np.arange(n_classes), sizes)
    x = centers[y] + std * rng.standard_normal((n_samples, int(n_features)))
    return _labelled("blobs", x, y, int(n_classes), rng)


def regression1d(function: str = "sine", n_samples: int = 200, noise: float = 0.05,
                 x_min: float | None = None, x_max: float | None = None,
                 seed: int = 0) -> Dataset:
    """y = f(x) + gaussian noise (std `noise`), x uniform in [x_min, x_max].

    Functions (default range): sine, cosine (-pi, pi); abs, square, cubic, step
    (-1, 1); sawtooth (-2, 2), period 1 in [-1, 1); bump = exp(-x^2) (-3, 3).
    Regression. x: (N, 1), y: (N, 1).
    """
    if function not in REGRESSION_FUNCTIONS:
        raise ValueError(f"unknown regression1d function {function!r}; "
                         f"allowed: {', '.join(REGRESSION_FUNCTIONS)}")
    check_samples_and_noise(n_samples, noise)
    f, (low, high) = REGRESSION_FUNCTIONS[function]
    low, high = low if x_min is None else x_min, high if x_max is None else x_max
    if not low < high:
        raise ValueError(f"x_min={low!r} must be below x_max={high!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=(n_samples, 1))
    y = f(x) + noise * rng.standard_normal(x.shape)
    return Dataset(x, y, "regression", name=f"regression1d-{function}")


def sine(n_samples: int = 200, noise: float = 0.05, x_min: float | None = None,
         x_max: float | None = None, seed: int = 0) -> Dataset:
    """`regression1d("sine", ...)`: y = sin(x) + noise on [-pi, pi]. x, y: (N, 1)."""
    ds = regression1d("sine", n_samples=n_samples, noise=noise, x_min=x_min, x_max=x_max,
                      seed=seed)
    return dataclasses.replace(ds, name="sine")
