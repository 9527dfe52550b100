"""Soak: 10^5 steps of the README's training loop, with the process's memory recorded.

    python -m benchmarks.soak [steps]      # writes benchmarks/soak.json, prints the growth

A leak of even a few bytes a step (a cache appended to instead of overwritten, a
gradient kept alive) shows as resident memory that grows with the steps. The loop is
the README's XOR loop verbatim; RSS (current, from /proc/self/statm) is sampled every
`steps // 20` steps after a warm-up, and the growth from the first sample to the last
is the number to watch: it should stay near zero (allocator noise is a few hundred KB).
Not a unit test: it takes about a minute.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("soak.json")


def rss_kb() -> int:
    """Current resident set size of this process, in KB (Linux)."""
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


def soak(steps: int) -> dict:
    import numpy as np

    import nnlite as nl

    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    model = nl.mlp([2, 8, 1], activation="tanh", weight_init="xavier_normal", rng=0)
    loss_fn = nl.BCEWithLogitsLoss()
    opt = nl.optimizer("adam", model.parameters(), lr=0.05)
    every = max(steps // 20, 1)
    samples: list[tuple[int, int]] = []
    start = time.perf_counter()
    for step in range(steps):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        model.backward(loss_fn.backward())
        opt.step()
        if step % every == 0 or step == steps - 1:
            samples.append((step, rss_kb()))
    seconds = time.perf_counter() - start
    warm = samples[1:]  # the first sample is before numpy's buffers and caches settle
    growth = warm[-1][1] - warm[0][1]
    return {"steps": steps, "seconds": round(seconds, 2), "final_loss": float(loss),
            "rss_kb": samples, "growth_kb": growth,
            "growth_bytes_per_step": round(growth * 1024 / max(warm[-1][0] - warm[0][0], 1), 4)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    result = soak(int(argv[0]) if argv else 100_000)
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{result['steps']} steps in {result['seconds']} s: RSS grew {result['growth_kb']} KB "
          f"({result['growth_bytes_per_step']} bytes a step) after warm-up; see {OUT.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
