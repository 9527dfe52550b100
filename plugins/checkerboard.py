"""Example dataset plugin: a 2-D checkerboard, binary, harder than XOR the more tiles.

A dataset is a function `fn(n_samples=..., noise=..., seed=0, **kwargs) -> nl.Dataset`
that generates its arrays locally from `seed` (the run passes its own seed; the same seed
must give the same data). `data.n_samples` and `data.noise` in a config reach the
arguments of the same names, `data.params` the rest.

Use it: `python -m nnlite +experiment=moons 'plugins=[plugins/checkerboard.py]'
data.name=checkerboard +data.params.tiles=3`.
"""

import numpy as np

import nnlite as nl


def checkerboard(n_samples: int = 400, noise: float = 0.0, tiles: int = 4,
                 seed: int = 0) -> nl.Dataset:
    """Points uniform in [-1, 1]^2 on a `tiles` x `tiles` board; label = colour of the
    square, (row + column) mod 2. `noise`: std of gaussian jitter added to the inputs
    after labelling. x: (N, 2), y: (N,)."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"checkerboard: n_samples must be a positive integer, got {n_samples!r}")
    if not noise >= 0:
        raise ValueError(f"checkerboard: noise must be >= 0, got {noise!r}")
    if isinstance(tiles, bool) or not isinstance(tiles, (int, np.integer)) or tiles < 2:
        raise ValueError(f"checkerboard: tiles must be an integer >= 2, got {tiles!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    square = np.minimum(np.floor((x + 1.0) / 2.0 * tiles), tiles - 1).astype(np.int64)
    y = (square[:, 0] + square[:, 1]) % 2
    if noise:
        x = x + noise * rng.standard_normal(x.shape)
    return nl.Dataset(x, y, "binary", name="checkerboard", n_classes=2)


@nl.hookimpl
def nnlite_datasets() -> dict[str, object]:
    return {"checkerboard": checkerboard}
