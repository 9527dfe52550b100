"""When do BLAS threads pay? One matrix product at 1 thread and at every core.

    python -m benchmarks.blas_threads          # prints a table, writes blas_threads.json

For square-ish products (N, K) @ (K, M) of growing size, times one product with
threadpoolctl limiting OpenBLAS to 1 thread and to all cores, interleaved round by
round (medians). The smallest size whose multi-thread time beats one thread by 10% sets
`nnlite.runs.training.threads.MIN_MNK_FOR_THREADS` (M*N*K = N*K*M of the product): below it,
extra threads only spin. Other work on the machine moves the threshold up a lot (a
thread that waits for a busy core stalls the product), so the measurement's load
average is recorded with it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# (batch N, inner K, outer M): from XOR-sized products up to a wide MNIST-sized layer
SHAPES = [(4, 2, 8), (64, 64, 128), (128, 128, 128), (128, 256, 256), (256, 256, 256),
          (256, 512, 512), (512, 784, 256), (1024, 1024, 1024)]


def _time_product(a: np.ndarray, b: np.ndarray, out: np.ndarray, min_s: float = 0.02) -> float:
    reps, start = 0, time.perf_counter()
    while True:
        np.matmul(a, b, out=out)
        reps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_s:
            return elapsed / reps


def measure(rounds: int = 7) -> list[dict[str, float]]:
    from threadpoolctl import threadpool_limits

    cores = os.cpu_count() or 1
    rng = np.random.default_rng(0)
    rows = []
    for n, k, m in SHAPES:
        a = rng.standard_normal((n, k), dtype=np.float32)
        b = rng.standard_normal((k, m), dtype=np.float32)
        out = np.empty((n, m), np.float32)
        times: dict[int, list[float]] = {1: [], cores: []}
        for _ in range(rounds):
            for threads in times:
                with threadpool_limits(threads, user_api="blas"):
                    times[threads].append(_time_product(a, b, out))
        one, many = (statistics.median(times[t]) for t in (1, cores))
        rows.append({"shape": [n, k, m], "mnk": n * k * m, "one_thread_s": one,
                     "all_threads_s": many, "threads": cores, "speedup": one / many})
    return rows


def threshold(rows: list[dict[str, float]], gain: float = 1.1) -> int | None:
    """The smallest M*N*K from which every larger product gains `gain` or more."""
    for i, row in enumerate(rows):
        if all(r["speedup"] >= gain for r in rows[i:]):
            return int(row["mnk"])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path, default=HERE / "blas_threads.json")
    args = parser.parse_args(argv)
    rows = measure(args.rounds)
    for r in rows:
        print(f"{'x'.join(map(str, r['shape'])):>16}  {r['mnk']:>13,} MNK  "
              f"1 thread {r['one_thread_s'] * 1e6:9.1f} us  {r['threads']} threads "
              f"{r['all_threads_s'] * 1e6:9.1f} us  speed-up {r['speedup']:.2f}")
    found = threshold(rows)
    load = os.getloadavg()
    print(f"threads pay from M*N*K = {found:,}" if found else "threads never pay",
          f"(load average {load[0]:.1f} on {os.cpu_count()} cores)")
    result = {"rows": rows, "threshold_mnk": found, "load_average": load,
              "cores": os.cpu_count()}
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
