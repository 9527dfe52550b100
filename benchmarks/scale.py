"""Whole-process ratios for sweeps, threads and whole runs, each measured in one run:

- `sweep_floor`: `init_ablation` (60 XOR jobs, defaults) against a bare Hydra app's
  60-job multirun on the same basic launcher (benchmarks/apps/bare_hydra_app.py);
- `cpu_wall`: CPU time (the process and its children) over wall time of
  `dropout_ablation` (idle BLAS threads spinning show here);
- `parallel`: `lr_sweep` sequential against `hydra/launcher=joblib` (n_jobs = cores);
- `digits`: `+experiment=digits` (plots included) against a whole scikit-learn process
  fitting MLPClassifier(128) on the same rows (benchmarks/apps/sklearn_digits.py), with
  both held-out accuracies.

Commands alternate A B A B in a scratch working directory, each started once the
machine is quiet; medians and paired ratios.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.timing import wait_until_quiet

APPS = Path(__file__).resolve().parent / "apps"
NNLITE = (sys.executable, "-m", "nnlite")


def _timed(command: tuple[str, ...], cwd: str, env=None) -> dict[str, float]:
    """Wall and CPU seconds (user + system, children included) of one command, started
    once the machine is quiet (the plots a previous command left drawing included)."""
    wait_until_quiet()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=1800)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "stdout": result.stdout}


def _paired(commands: dict[str, tuple[str, ...]], runs: int, env=None,
            cwd: str | None = None) -> dict[str, list]:
    times: dict[str, list] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(_timed(command, cwd or scratch, env))
    return times


def _ratio(times: dict[str, list], a: str, b: str, key: str = "wall_s") -> float:
    return statistics.median(x[key] / y[key] for x, y in zip(times[a], times[b]))


def _median(times: list[dict[str, float]], key: str = "wall_s") -> float:
    return statistics.median(t[key] for t in times)


def sweep_floor(runs: int = 3, env=None) -> dict[str, Any]:
    commands = {"init_ablation": (*NNLITE, "-m", "+experiment=init_ablation"),
                "bare_hydra": (sys.executable, str(APPS / "bare_hydra_app.py"), "-m",
                               "+job=range(60)")}
    times = _paired(commands, runs, env)
    return {"median_s": {n: _median(t) for n, t in times.items()}, "jobs": 60, "runs": runs,
            "ratio": _ratio(times, "init_ablation", "bare_hydra")}


def cpu_wall(runs: int = 3, env=None) -> dict[str, Any]:
    times = _paired({"dropout_ablation": (*NNLITE, "-m", "+experiment=dropout_ablation")},
                    runs, env)["dropout_ablation"]
    return {"wall_s": _median(times), "cpu_s": _median(times, "cpu_s"), "runs": runs,
            "cores": os.cpu_count(),
            "ratio": statistics.median(t["cpu_s"] / t["wall_s"] for t in times)}


PARALLEL_SWEEPS = ("dropout_ablation", "lr_sweep")  # the target is on the first


def parallel(runs: int = 2, env=None) -> dict[str, Any]:
    """Sequential against `hydra/launcher=joblib` on the same sweep, for a sweep of
    0.5-1 s jobs (dropout_ablation, where the target applies) and one of 0.2 s jobs
    (lr_sweep, where each worker's start-up is a large part of the work)."""
    cores = os.cpu_count() or 1
    result: dict[str, Any] = {"runs": runs, "cores": cores, "sweeps": {}}
    for name in PARALLEL_SWEEPS:
        sweep = (*NNLITE, "-m", f"+experiment={name}")
        times = _paired({"sequential": sweep,
                         "joblib": (*sweep, "hydra/launcher=joblib",
                                    f"hydra.launcher.n_jobs={cores}")}, runs, env)
        result["sweeps"][name] = {"median_s": {n: _median(t) for n, t in times.items()},
                                  "ratio": _ratio(times, "joblib", "sequential")}
    result["ratio"] = result["sweeps"][PARALLEL_SWEEPS[0]]["ratio"]
    return result


def _digits_rows(path: Path) -> None:
    """The rows nnlite trains on and holds out (test), as +experiment=digits splits them;
    scikit-learn early-stops on 10% of the training rows, nnlite on its 20% val split."""
    from nnlite.data import digits, split

    full = digits()
    full = type(full)(np.arange(len(full))[:, None].astype(float), full.y, full.task,
                      full.name, full.n_classes)
    parts = split(full, val_fraction=0.2, test_fraction=0.1, seed=0)
    fit = parts["train"].x[:, 0].astype(int)
    np.savez(path, fit_rows=fit, test_rows=parts["test"].x[:, 0].astype(int))


def digits(runs: int = 3, env=None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        rows = Path(tmp, "rows.npz")
        _digits_rows(rows)
        times = _paired({"nnlite": (*NNLITE, "+experiment=digits", "trainer.progress=false"),
                         "sklearn": (sys.executable, str(APPS / "sklearn_digits.py"), str(rows))},
                        runs, env, cwd=tmp)
        summary = next(Path(tmp, "runs", "digits").glob("*/summary.json"))
        nnlite_acc = json.loads(summary.read_text())["final"]["test_accuracy"]
    sklearn_acc = json.loads(times["sklearn"][-1]["stdout"])["test_accuracy"]
    return {"median_s": {n: _median(t) for n, t in times.items()}, "runs": runs,
            "ratio": _ratio(times, "nnlite", "sklearn"), "nnlite_test_accuracy": nnlite_acc,
            "sklearn_test_accuracy": sklearn_acc}


# The targets of these ratios (at most, except accuracy: at most this many points below).
TARGETS = {"floor": 2.0, "cpu": 1.15, "parallel": 0.6, "digits": 1.0, "accuracy_points": 1.0}
RUNS = {"floor": sweep_floor, "cpu": cpu_wall, "parallel": parallel, "digits": digits}
# every section timed as whole processes (extras.py's and these)
WHOLE_PROCESS = ("rss", "import", "e2e", "sweep", *RUNS)


def _ok(value: float, target: float) -> str:
    return f"≤ {target} {'✓' if value <= target else '✗'}"


def report_lines(results: dict[str, Any]) -> list[str]:
    """RESULTS.md's section for these measurements (those that were run)."""
    out: list[str] = []
    floor, cpu, par, dig = (results.get(k) for k in ("floor", "cpu", "parallel", "digits"))
    if floor:
        t = floor["median_s"]
        out += ["## Sweep against Hydra's floor", "",
                (f"`python -m nnlite -m +experiment=init_ablation` ({floor['jobs']} jobs): "
                 f"{t['init_ablation']:.1f} s; a bare Hydra app's {floor['jobs']}-job multirun: "
                 f"{t['bare_hydra']:.1f} s — **{floor['ratio']:.2f}×** "
                 f"({_ok(floor['ratio'], TARGETS['floor'])}); medians of {floor['runs']}, "
                 "paired."), ""]
    if cpu:
        out += ["## CPU time against wall time", "",
                (f"`dropout_ablation`: {cpu['cpu_s']:.1f} s of CPU for {cpu['wall_s']:.1f} s "
                 f"of wall time on {cpu['cores']} cores — **{cpu['ratio']:.2f}** "
                 f"({_ok(cpu['ratio'], TARGETS['cpu'])}); medians of {cpu['runs']}."), ""]
    if par:
        out += ["## Parallel launcher", ""]
        for i, (name, sweep) in enumerate(par.get("sweeps", {}).items()):
            t, target = sweep["median_s"], _ok(sweep["ratio"], TARGETS["parallel"])
            out.append(f"- `{name}` with `hydra/launcher=joblib` (n_jobs={par['cores']}): "
                       f"{t['joblib']:.1f} s against {t['sequential']:.1f} s sequential — "
                       f"**{sweep['ratio']:.2f}×**" + (f" ({target})" if i == 0 else
                                                     " (no target: 0.2 s jobs)"))
        out += ["", f"Medians of {par['runs']}, paired. What a parallel launcher cannot "
                "remove on two cores (start-up, each worker's imports, shared caches), and "
                "how the ratio falls as jobs grow: docs/scaling.md.", ""]
    if dig:
        t, gap = dig["median_s"], 100 * (dig["sklearn_test_accuracy"]
                                          - dig["nnlite_test_accuracy"])
        out += ["## Digits against scikit-learn", "",
                (f"`python -m nnlite +experiment=digits` (plots included): {t['nnlite']:.2f} s; "
                 f"a scikit-learn process loading the digits and fitting MLPClassifier(128) "
                 f"on the same rows: {t['sklearn']:.2f} s — **{dig['ratio']:.2f}×** "
                 f"({_ok(dig['ratio'], TARGETS['digits'])}). Held-out accuracy: nnlite "
                 f"{dig['nnlite_test_accuracy']:.3f}, scikit-learn "
                 f"{dig['sklearn_test_accuracy']:.3f}: nnlite {abs(gap):.1f} points "
                 f"{'below' if gap > 0 else 'above'} ({_ok(gap, TARGETS['accuracy_points'])} "
                 f"below). Medians of {dig['runs']}, paired."),
                ""]
    return out
