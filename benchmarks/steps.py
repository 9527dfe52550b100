"""Per-step timings of every implementation, in one process, for one BLAS kernel.

`python -m benchmarks.steps --json out.json [--rounds N] [--workloads ...]` times the
main table (SGD, float32, every workload), Adam on medium and float64 on small, and
writes the timings with the BLAS set-up that ran them (threadpoolctl, after every
library is imported, so the kernel reported is the one used). The runner starts one
such process per OPENBLAS_CORETYPE setting, since OpenBLAS reads it once, at load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.implementations import IMPLEMENTATIONS, THREADS
from benchmarks.products import PRODUCTS
from benchmarks.timing import interleaved, paired_ratio
from benchmarks.workloads import TINY, WORKLOADS, Workload

# (suite name, workload names or None for all selected, dtype, optimizer)
SUITES = (
    ("sgd-float32", None, "float32", "sgd"),
    ("adam-float32", ("medium",), "float32", "adam"),
    ("sgd-float64", ("small",), "float64", "sgd"),
)
RATIOS = (("nnlite", "numpy"), ("torch", "nnlite"), ("sklearn", "nnlite"))
# The step's matrix products alone (benchmarks/products.py): the BLAS ceiling.
PRODUCTS_SUITE, PRODUCTS_RATIOS = "products-float32", (("torch", "numpy"),)


def available(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """The implementations that can run here, and why the others cannot."""
    ok, skipped = [], {}
    for name in names:
        try:
            IMPLEMENTATIONS[name](TINY, np.dtype(np.float32))()
            ok.append(name)
        except ImportError as err:
            skipped[name] = f"not installed ({err.name or err}); pip install -e '.[bench]'"
    return ok, skipped


def time_suite(workloads: list[Workload], names: list[str], dtype: str, optimizer: str,
               rounds: int, burst_s: float, quiet: float | None,
               factories: dict[str, Any] = IMPLEMENTATIONS,
               ratios: tuple[tuple[str, str], ...] = RATIOS) -> list[dict[str, Any]]:
    """One row per workload: median seconds per step and paired ratios."""
    rows = []
    for w in workloads:
        steps = {name: factories[name](w, np.dtype(dtype), optimizer) for name in names}
        losses = {name: step() for name, step in steps.items()}  # all start from one state
        times, loaded = interleaved(steps, rounds, burst_s, quiet)
        row: dict[str, Any] = {
            "workload": w.name, "label": w.label, "dtype": dtype, "optimizer": optimizer,
            "first_loss": losses, "rounds": rounds, "loaded_rounds": loaded,
            "median_s": {name: statistics.median(t) for name, t in times.items()},
            "ratios": {},
        }
        for a, b in ratios:
            if a in times and b in times:
                row["ratios"][f"{a}/{b}"] = paired_ratio(times[a], times[b])
        rows.append(row)
        print(f"  {dtype} {optimizer} {w.label}: " + ", ".join(
            f"{k}={v:.3f}" for k, v in row["ratios"].items()), file=sys.stderr, flush=True)
    return rows


def blas_info() -> dict[str, Any]:
    """Machine, library versions and the BLAS libraries actually loaded."""
    info: dict[str, Any] = {
        "python": platform.python_version(), "numpy": np.__version__,
        "machine": platform.machine(), "cpu": _cpu_model(), "cores": os.cpu_count(),
        "threads": THREADS, "load_average": os.getloadavg(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
    }
    for module in ("torch", "sklearn"):
        if module in sys.modules:
            info[module] = sys.modules[module].__version__
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    else:
        info["threadpools"] = [
            {k: pool.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                      "threading_layer")}
            | {"filepath": _package_file(pool.get("filepath"))}
            for pool in threadpool_info()
        ]
    return info


def _package_file(path: str | None) -> str | None:
    """"numpy.libs/libopenblas....so": which package's library, without this machine's
    directories."""
    return None if path is None else "/".join(Path(path).parts[-2:])


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", required=True, help="where to write the results")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--burst", type=float, default=0.05, help="seconds per timed burst")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--implementations", default=",".join(IMPLEMENTATIONS))
    parser.add_argument("--quiet", type=float, default=0.1,
                        help="before each round wait until other processes use less than "
                             "this share of the machine (negative: never wait)")
    parser.add_argument("--tiny", action="store_true", help="the smoke test's workload only")
    args = parser.parse_args(argv)
    names, skipped = available(args.implementations.split(","))
    selected = [TINY] if args.tiny else [WORKLOADS[n] for n in args.workloads.split(",")]
    suites = {}
    for suite, only, dtype, optimizer in SUITES:
        workloads = [w for w in selected if args.tiny or only is None or w.name in only]
        if workloads:
            suites[suite] = time_suite(workloads, names, dtype, optimizer, args.rounds,
                                       args.burst, args.quiet if args.quiet >= 0 else None)
    product_names = [name for name in PRODUCTS if name in names]
    suites[PRODUCTS_SUITE] = time_suite(selected, product_names, "float32", "sgd", args.rounds,
                                        args.burst, args.quiet if args.quiet >= 0 else None,
                                        PRODUCTS, PRODUCTS_RATIOS)
    result = {"blas": blas_info(), "implementations": names, "skipped": skipped,
              "suites": suites}
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
