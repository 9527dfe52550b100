"""Finding runs and sweeps under a folder, as rows to list, filter, sort and rank.

A run folder holds config.yaml (and, once it ends, summary.json); a sweep folder holds
numbered job folders, each a run with a .hydra record. `find_runs(root)` gives one
`Listing` per single run and per sweep (a sweep's metrics are its best job's); `python -m nnlite
runs` prints them as a table (cli/runs_command.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nnlite.nested import flatten
from nnlite.runs.metrics import lower_is_better

# The metric that ranks runs when none is asked for: the first one every row has.
RANKING = ("final.val_loss", "final.val_accuracy", "final.train_loss", "final.train_r2")


def _read(path: Path, loader: Any) -> Any:
    try:
        return loader(path.read_text()) if path.is_file() else None
    except (OSError, ValueError, yaml.YAMLError):
        return None  # a file being written or damaged: list the run without it


@dataclass
class Listing:
    """One line of the table: a single run, or a sweep (`jobs` > 0)."""

    path: Path
    kind: str                      # "run" | "sweep"
    values: dict[str, Any] = field(default_factory=dict)  # experiment, started, status, ...
    jobs: int = 0

    def get(self, key: str) -> Any:
        return self.values.get(key)


def _timestamp(name: str) -> str:
    """A run folder's name (2026-12-01_02-34-04-881993) as ISO time, or the name."""
    import datetime

    for form in ("%Y-%m-%d_%H-%M-%S-%f", "%Y-%m-%d_%H-%M-%S"):
        try:
            return datetime.datetime.strptime(name, form).isoformat(timespec="seconds")
        except ValueError:
            continue
    return name


def started(info: dict[str, Any], folder: Path) -> str:
    """When the run started: run_info.json's time (UTC), else the folder's timestamp."""
    return str(info.get("started") or _timestamp(folder.name))[:19]


def run_entry(folder: Path) -> Listing:
    """A run folder's config, summary and run info, flattened: `config.optimizer.lr`,
    `final.val_loss`, `best.train_accuracy`, `experiment`, `status`, `epochs`, `started`."""
    config = _read(folder / "config.yaml", yaml.safe_load) or {}
    summary = _read(folder / "summary.json", json.loads) or {}
    info = _read(folder / "run_info.json", json.loads) or {}
    values: dict[str, Any] = {
        "experiment": summary.get("experiment") or config.get("name") or folder.parent.name,
        "started": started(info, folder),
        "status": summary.get("status") or "running or lost",
        "epochs": summary.get("epochs"),
    }
    values.update(flatten(summary.get("final") or {}, "final"))
    values.update(flatten(summary.get("best") or {}, "best"))
    values.update(flatten(config, "config"))
    return Listing(folder, "run", values)


def sweep_entry(folder: Path, jobs: list[Path], metric: str | None) -> Listing:
    """A sweep as one line: the best job's metrics, status counts and the job count."""
    runs = [run_entry(job) for job in jobs]
    best = rank(runs, metric)[0] if runs else None
    statuses = {}
    for run in runs:
        statuses[run.get("status")] = statuses.get(run.get("status"), 0) + 1
    values = dict(best.values) if best else {}
    values.update({"status": ", ".join(f"{n} {s}" for s, n in statuses.items()),
                   "started": min((str(r.get("started")) for r in runs), default="")
                   if runs and all(r.path.name != r.get("started") for r in runs)
                   else _timestamp(folder.name),
                   "best_job": best.path.name if best else None})
    return Listing(folder, "sweep", values, jobs=len(jobs))


# Folders that hold copies of run files, not runs: Hydra's record, MLflow's artifact store
# (runs/mlartifacts by default), event files.
NOT_RUNS = {".hydra", "mlartifacts", "mlruns", "tensorboard"}


def run_folders(root: Path) -> list[Path]:
    """Every folder under `root` (or root) holding a run's config.yaml."""
    return sorted({p.parent for p in Path(root).rglob("config.yaml")
                   if not NOT_RUNS & set(p.relative_to(root).parts)})


def find_runs(root: Path | str, metric: str | None = None) -> list[Listing]:
    """Every run and sweep under `root` (or `root` itself), oldest first. Sweep jobs
    (numbered folders with a .hydra record) are gathered under their sweep."""
    root = Path(root)
    singles, sweeps = [], {}
    for folder in run_folders(root):
        if folder.name.isdigit() and (folder / ".hydra").is_dir():
            sweeps.setdefault(folder.parent, []).append(folder)
        else:
            singles.append(folder)
    entries = [run_entry(folder) for folder in singles]
    entries += [sweep_entry(folder, sorted(jobs, key=lambda j: int(j.name)), metric)
                for folder, jobs in sweeps.items()]
    return sorted(entries, key=lambda e: str(e.get("started")))


def ranking_metric(entries: list[Listing], metric: str | None = None) -> str | None:
    """`metric`, or the first of RANKING that every entry has (else that some entry has)."""
    if metric:
        return metric
    for test in (all, any):
        found = next((m for m in RANKING
                      if test(_number(e.get(m)) is not None for e in entries)), None)
        if found:
            return found
    return None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rank(entries: list[Listing], metric: str | None = None) -> list[Listing]:
    """Best first by `metric` (lower is better for losses and MSE); entries without the
    metric last, in their order."""
    metric = ranking_metric(entries, metric)
    if metric is None:
        return list(entries)
    sign = 1.0 if lower_is_better(metric) else -1.0
    return sorted(entries, key=lambda e: (_number(e.get(metric)) is None,
                                          sign * (_number(e.get(metric)) or 0.0)))


def matches_filters(entry: Listing, filters: list[tuple[str, str]]) -> bool:
    """Every key=value holds: the key as shown (experiment, status), a summary path
    (final.val_loss) or a config key (optimizer.name, or config.optimizer.name)."""
    for key, wanted in filters:
        value = entry.get(key)
        if value is None:
            value = entry.get(f"config.{key}")
        if value is None:
            return False
        same_number = _number(wanted) is not None and _number(value) == _number(wanted)
        if str(value) != wanted and not same_number:
            return False
    return True
