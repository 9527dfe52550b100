"""Learning-rate schedules: `fn(base_lr, epochs, **kw) -> lr_at(epoch)`.

The trainer sets `optimizer.lr = lr_at(epoch)` before each epoch (0-based), the
per-epoch equivalents of PyTorch's StepLR, ExponentialLR and CosineAnnealingLR.
"""

from __future__ import annotations

import math
from typing import Callable

Schedule = Callable[[int], float]


def constant_lr(base_lr: float, epochs: int) -> Schedule:
    """lr = base_lr for every epoch."""
    return lambda epoch: base_lr


def step(base_lr: float, epochs: int, step_size: int = 30, gamma: float = 0.1) -> Schedule:
    """lr = base_lr * gamma ** (epoch // step_size)."""
    if step_size < 1:
        raise ValueError(f"step schedule: step_size must be >= 1, got {step_size!r}")
    if gamma <= 0:
        raise ValueError(f"step schedule: gamma must be > 0, got {gamma!r}")
    return lambda epoch: base_lr * gamma ** (epoch // step_size)


def exponential(base_lr: float, epochs: int, gamma: float = 0.99) -> Schedule:
    """lr = base_lr * gamma ** epoch."""
    if gamma <= 0:
        raise ValueError(f"exponential schedule: gamma must be > 0, got {gamma!r}")
    return lambda epoch: base_lr * gamma**epoch


def cosine(base_lr: float, epochs: int, min_lr: float = 0.0) -> Schedule:
    """lr = min_lr + (base_lr - min_lr) (1 + cos(pi epoch / epochs)) / 2 (PyTorch's
    CosineAnnealingLR with T_max = epochs): base_lr at epoch 0, approaching min_lr; the
    last epoch still trains with a positive rate."""
    if min_lr < 0 or min_lr > base_lr:
        raise ValueError(f"cosine schedule: min_lr must be in [0, lr={base_lr}], got {min_lr!r}")

    def lr_at(epoch: int) -> float:
        progress = min(epoch, epochs) / epochs
        return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2

    return lr_at
