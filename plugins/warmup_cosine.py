"""Example learning-rate schedule plugin: linear warm-up, then cosine decay.

A schedule is `fn(base_lr, epochs, **kwargs) -> lr_at(epoch)`; the trainer sets
`optimizer.lr = lr_at(epoch)` before each epoch (0-based). Every value must be > 0:
optimizers refuse a learning rate of 0, so the decay ends at `min_lr_ratio * base_lr`.

Use it: `python -m nnlite +experiment=moons 'plugins=[plugins/warmup_cosine.py]'
trainer.schedule.name=warmup_cosine +trainer.schedule.params.warmup=10`.
"""

import math
from collections.abc import Callable

import nnlite as nl


def warmup_cosine(base_lr: float, epochs: int, warmup: int = 5,
                  min_lr_ratio: float = 0.01) -> Callable[[int], float]:
    """Epochs 0..warmup-1: lr rises linearly to base_lr (base_lr * (epoch + 1) / warmup);
    then it follows half a cosine from base_lr down to min_lr_ratio * base_lr at the
    last epoch."""
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup_cosine: warmup must be an integer >= 0, got {warmup!r}")
    if not 0 < min_lr_ratio <= 1:
        raise ValueError(f"warmup_cosine: min_lr_ratio must be in (0, 1], got {min_lr_ratio!r}")
    min_lr = base_lr * min_lr_ratio
    span = max(epochs - 1 - warmup, 1)

    def lr_at(epoch: int) -> float:
        if epoch < warmup:
            return base_lr * (epoch + 1) / warmup
        progress = min(epoch - warmup, span) / span
        return min_lr + (base_lr - min_lr) * (1.0 + math.cos(math.pi * progress)) / 2.0

    return lr_at


@nl.hookimpl
def nnlite_schedules() -> dict[str, object]:
    return {"warmup_cosine": warmup_cosine}
