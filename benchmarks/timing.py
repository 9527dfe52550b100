"""Interleaved timing: every implementation once per round, in a rotating order.

Absolute times on a shared machine drift by tens of percent within minutes; timing the
implementations round by round, each round a short burst of steps of each, makes the
drift hit all of them alike. A ratio is then the median over rounds of the per-round
ratio (paired), which cancels what a round had in common.
"""

from __future__ import annotations

import gc
import os
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


def _cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat (None elsewhere)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def others_busy(interval: float = 0.1) -> float:
    """Share of the machine's CPU time that other processes (and the hypervisor's steal)
    used while this one slept for `interval`; 0.0 where /proc/stat does not exist. This
    process's own threads (BLAS or OpenMP workers still spinning) are not counted."""
    before, own_before = _cpu_times(), _own_cpu()
    time.sleep(interval)
    after, own_after = _cpu_times(), _own_cpu()
    if before is None or after is None or after[1] == before[1]:
        return 0.0
    own = (own_after - own_before) * os.sysconf("SC_CLK_TCK")
    return max(0.0, after[0] - before[0] - own) / (after[1] - before[1])


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def wait_until_quiet(threshold: float = 0.1, max_wait: float = 20.0) -> bool:
    """Wait (at most `max_wait` s) until other processes use under `threshold` of the
    machine. With 2 cores, one busy neighbour stalls every 2-thread BLAS call until the
    scheduler gets round to its second thread; such rounds measure the neighbour."""
    deadline = time.perf_counter() + max_wait
    while others_busy() >= threshold:
        if time.perf_counter() > deadline:
            return False
    return True


def interleaved(steps: dict[str, Callable[[], float]], rounds: int,
                burst_s: float = 0.05,
                quiet: float | None = 0.1) -> tuple[dict[str, list[float]], int]:
    """Seconds per step of each implementation (one entry per round), and how many
    rounds had to start while other processes were busy.

    Each burst is preceded by one untimed step, so the switch from the previous
    implementation (cold caches, the other library's threads still spinning) is not
    charged to this one. The garbage collector is off while timing, as in `timeit`.
    With `quiet`, each round first waits for the rest of the machine to be idle (see
    `wait_until_quiet`) -- but starts anyway after a while, and counts that round.
    """
    names = list(steps)
    counts = {name: steps_per_burst(steps[name], burst_s) for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    loaded = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            if quiet is not None and not wait_until_quiet(quiet):
                loaded += 1
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
    return times, loaded


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of numerator[r] / denominator[r]."""
    return statistics.median(a / b for a, b in zip(numerator, denominator))
