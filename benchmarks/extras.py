"""Whole-process measurements: peak memory, import time, a run end to end, a sweep.

Each runs fresh Python processes (`sys.executable`), alternating the things compared,
and reports medians and ratios. None of them needs PyTorch or scikit-learn.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.timing import wait_until_quiet

# Modules `import nnlite` must not pull in (DESIGN.md: the core imports neither Hydra
# nor matplotlib); the others would be as costly.
HEAVY_MODULES = ("hydra", "omegaconf", "matplotlib", "tqdm", "torch", "sklearn", "scipy",
                 "pandas")
XOR_RUN = ("-m", "nnlite", "+experiment=xor", "trainer.progress=false")
SWEEP_SEEDS = "seed=" + ",".join(str(s) for s in range(8))


def _python(*args: str, env: dict[str, str] | None = None, cwd: str | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout, check=True)


def _timed_python(*args: str, env=None, cwd=None) -> float:
    """Wall time of a fresh `python *args`, started once the machine is quiet."""
    wait_until_quiet()
    start = time.perf_counter()
    _python(*args, env=env, cwd=cwd)
    return time.perf_counter() - start


def peak_rss(implementations: list[str], workload: str = "medium", env=None) -> dict[str, Any]:
    """Peak RSS (MB) of each implementation training `workload` in its own process."""
    result: dict[str, Any] = {"workload": workload, "peak_rss_mb": {}}
    for name in ["baseline", *implementations]:
        out = _python("-m", "benchmarks.rss", name, workload, env=env).stdout
        result["peak_rss_mb"][name] = json.loads(out)["peak_rss_kb"] / 1024
    rss = result["peak_rss_mb"]
    if "nnlite" in rss and "numpy" in rss:
        result["nnlite/numpy"] = rss["nnlite"] / rss["numpy"]
    return result


def _timed_import(module: str, env=None) -> float:
    code = ("import time; t = time.perf_counter(); import " + module
            + "; print(time.perf_counter() - t)")
    wait_until_quiet()
    return float(_python("-c", code, env=env).stdout)


def import_time(runs: int = 11, env=None) -> dict[str, Any]:
    """`import nnlite` vs `import numpy`, each in fresh processes (alternating), and
    which heavy modules `import nnlite` loads, with the import chain that pulls each in."""
    times: dict[str, list[float]] = {"numpy": [], "nnlite": []}
    for _ in range(runs):
        for module, samples in times.items():
            samples.append(_timed_import(module, env))
    code = f"import sys, nnlite; print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    loaded = json.loads(_python("-c", code, env=env).stdout.replace("'", '"'))
    trace = _python("-X", "importtime", "-c", "import nnlite", env=env).stderr
    return {
        "median_s": {m: statistics.median(t) for m, t in times.items()},
        "nnlite/numpy": statistics.median(a / b for a, b in zip(times["nnlite"], times["numpy"])),
        "heavy_modules": {m: import_chain(trace, m) for m in loaded},
        "runs": runs,
    }


def import_chain(trace: str, module: str) -> list[str]:
    """From `python -X importtime` output, the chain of imports that first loaded
    `module`: ['nnlite', 'nnlite.x', ..., module]. Nesting is shown by indentation and a
    parent is printed after its children, so the chain is read downwards."""
    rows = []
    for line in trace.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1]
            rows.append((len(name) - len(name.lstrip()), name.strip()))
    for i, (depth, name) in enumerate(rows):
        if name == module or name.startswith(module + "."):
            chain = [name]
            for parent_depth, parent in rows[i + 1:]:
                if parent_depth < depth:
                    chain.append(parent)
                    depth = parent_depth
            return chain[::-1]
    return []


def end_to_end(runs: int = 5, env=None) -> dict[str, Any]:
    """`python -m nnlite +experiment=xor` (Hydra start-up, training, run files and plots),
    the same with `plots=false`, and a bare `python -c "import hydra, numpy"`, in a
    scratch working directory. Ratios are to the bare import."""
    commands = {"xor_run": XOR_RUN, "xor_run_no_plots": (*XOR_RUN, "plots=false"),
                "import_hydra_numpy": ("-c", "import hydra, numpy")}
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            for name, args in commands.items():
                times[name].append(_timed_python(*args, env=env, cwd=cwd))
        summaries = list(Path(cwd, "runs").rglob("summary.json"))
        status = json.loads(summaries[0].read_text()).get("status") if summaries else None
    bare = times["import_hydra_numpy"]
    return {
        "median_s": {name: statistics.median(t) for name, t in times.items()},
        "ratio": statistics.median(a / b for a, b in zip(times["xor_run"], bare)),
        "ratio_no_plots": statistics.median(a / b for a, b in zip(times["xor_run_no_plots"], bare)),
        "runs": runs, "xor_status": status,
    }


def joblib_launcher_installed() -> bool:
    try:
        return importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is not None
    except ModuleNotFoundError:
        return False


def sweep(runs: int = 1, env=None) -> dict[str, Any]:
    """8 XOR jobs (seeds 0-7) with Hydra's basic launcher (one after another) and with
    `hydra/launcher=joblib` (in parallel), when the joblib launcher is installed."""
    if not joblib_launcher_installed():
        return {"skipped": "hydra-joblib-launcher is not installed (pip install -e "
                           "'.[sweep]' in the checkout), so there is no parallel launcher "
                           "to compare"}
    launchers = {"sequential": (), "joblib": ("hydra/launcher=joblib",)}
    times: dict[str, list[float]] = {name: [] for name in launchers}
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            for name, extra in launchers.items():
                times[name].append(_timed_python("-m", "nnlite", "-m", "+experiment=xor",
                                                 "trainer.progress=false", SWEEP_SEEDS, *extra,
                                                 env=env, cwd=cwd))
    seconds = {name: statistics.median(t) for name, t in times.items()}
    return {"seconds": seconds, "sequential/joblib": seconds["sequential"] / seconds["joblib"],
            "jobs": 8, "runs": runs, "cores": os.cpu_count()}
