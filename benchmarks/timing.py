"""Interleaved timing: every implementation once per round, in a rotating order.

Absolute times on a shared machine drift by tens of percent within minutes; timing the
implementations round by round, each round a short burst of steps of each, makes the
drift hit all of them alike. A ratio is then the median over rounds of the per-round
ratio (paired), which cancels what a round had in common.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def steps_per_burst(step: Callable[[], float], burst_s: float) -> int:
    """How many steps take about `burst_s` seconds (at least 1)."""
    step()  # first call: lazy set-up, caches
    n, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(n):
            step()
        elapsed = time.perf_counter() - start
        if elapsed >= burst_s / 4 or n >= 1 << 20:
            break
        n *= 4
    return max(1, round(n * burst_s / elapsed))


def interleaved(steps: dict[str, Callable[[], float]], rounds: int,
                burst_s: float = 0.05) -> dict[str, list[float]]:
    """Seconds per step of each implementation, one entry per round.

    Each burst is preceded by one untimed step, so the switch from the previous
    implementation (cold caches, the other library's threads still spinning) is not
    charged to this one. The garbage collector is off while timing, as in `timeit`.
    """
    names = list(steps)
    counts = {name: steps_per_burst(steps[name], burst_s) for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            for name in names[r % len(names):] + names[: r % len(names)]:
                step, n = steps[name], counts[name]
                step()
                start = time.perf_counter()
                for _ in range(n):
                    step()
                times[name].append((time.perf_counter() - start) / n)
            gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of numerator[r] / denominator[r]."""
    return statistics.median(a / b for a, b in zip(numerator, denominator))
