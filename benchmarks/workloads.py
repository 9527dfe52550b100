"""The workloads every implementation is timed on, and the shared data and weights.

A workload is one MLP shape, batch size, activation and loss. Every implementation
starts from the SAME initial weights and trains on the SAME batch, so besides the
timings the benchmark can check that they all compute the same losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    name: str
    sizes: tuple[int, ...]  # [d_in, hidden..., d_out]
    batch: int
    activation: str = "relu"  # hidden activation: relu or tanh
    loss: str = "cross_entropy"  # cross_entropy (integer labels) or bce_with_logits
    lr: float = 0.01  # small enough that no implementation diverges over thousands of steps

    @property
    def label(self) -> str:
        return f"{self.name} {'-'.join(map(str, self.sizes))}, batch {self.batch}"


WORKLOADS = {
    w.name: w
    for w in (
        # The XOR experiment's network: 2-8-1 tanh, logits into BCE, all four points per step.
        Workload("xor", (2, 8, 1), 4, activation="tanh", loss="bce_with_logits", lr=0.1),
        Workload("small", (64, 128, 10), 64),
        Workload("medium", (784, 256, 128, 10), 128),
        Workload("large", (1024, 2048, 2048, 10), 256),
    )
}

# For the smoke test: every code path of the benchmark in a fraction of a second.
TINY = Workload("tiny", (5, 7, 3), 6)


def make_batch(w: Workload, dtype: np.dtype, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One fixed batch: x (batch, d_in) in `dtype`; y integer labels (batch,) for
    cross-entropy, or float 0/1 targets (batch, 1) in `dtype` for BCE."""
    rng = np.random.default_rng(seed)
    if w.name == "xor":
        x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
        return x, np.array([[0], [1], [1], [0]], dtype=dtype)
    x = rng.standard_normal((w.batch, w.sizes[0])).astype(dtype)
    if w.loss == "bce_with_logits":
        return x, rng.integers(0, 2, size=(w.batch, 1)).astype(dtype)
    return x, rng.integers(0, w.sizes[-1], size=w.batch)


def make_weights(w: Workload, dtype: np.dtype,
                 seed: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """He-normal weights (in, out) and zero biases, one pair per Linear layer."""
    rng = np.random.default_rng(seed)
    return [
        (
            (rng.standard_normal((d_in, d_out)) * np.sqrt(2.0 / d_in)).astype(dtype),
            np.zeros(d_out, dtype=dtype),
        )
        for d_in, d_out in zip(w.sizes[:-1], w.sizes[1:])
    ]
