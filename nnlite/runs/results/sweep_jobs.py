"""A sweep's jobs read back from their folders, one flat row each.

A job folder is a numbered run folder with Hydra's record (.hydra/); its row holds its
overrides as `axis.<key>` columns, its status, and its summary.json flattened
(`final.val_loss`, ...). A job without summary.json is "missing": a sweep that was
stopped is summarised from whatever its folders hold.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from nnlite.nested import flatten
from nnlite.runs.config.schema import ReportConfig
from nnlite.runs.config.typed import as_section
from nnlite.runs.folder.safe_read import read_json, read_yaml
from nnlite.runs.metrics import reached_target


def job_dirs(root: Path) -> list[Path]:
    """Job directories of a sweep: numbered subfolders holding a Hydra record.

    When one sweep spanned several experiments, Hydra put each experiment's jobs under
    runs/multirun/<experiment>/<same timestamp>/; those siblings are gathered too.
    """
    def jobs_in(folder: Path) -> list[Path]:
        return [p for p in folder.iterdir() if p.is_dir() and (p / ".hydra").is_dir()]

    found = jobs_in(root) if root.is_dir() else []
    if not found and root.parent.parent.is_dir():
        for sibling in sorted(root.parent.parent.glob(f"*/{root.name}")):
            found += jobs_in(sibling)
    return sorted(found, key=lambda p: (p.parent.parent.name, _job_number(p)))


def _job_number(path: Path) -> int:
    return int(path.name) if path.name.isdigit() else 10**9


def job_row(job: Path) -> dict[str, Any]:
    """One job as a flat dict: overrides as columns, then its summary flattened."""
    overrides_file = job / ".hydra" / "overrides.yaml"
    overrides = read_yaml(overrides_file, list) if overrides_file.is_file() else []
    row: dict[str, Any] = {"job": str(job.name), "experiment": job.parent.parent.name}
    for item in overrides or []:
        key, _, value = item.lstrip("+~").partition("=")
        if key != "experiment":
            row[f"axis.{key}"] = value
    row["overrides"] = " ".join(overrides or [])
    summary_file = job / "summary.json"
    if not summary_file.is_file():
        row["status"] = "missing"
        return row
    summary = read_json(summary_file)
    row["experiment"] = summary.get("experiment") or row["experiment"]  # also a single run's
    for key in ("status", "epochs", "epochs_to_target", "wall_time_s", "num_parameters",
                "stop_reason", "error", "exit_status"):
        row[key] = summary.get(key)
    for section in ("final", "best", "diagnostics", "initial_grad_norms"):
        row.update(flatten(summary.get(section) or {}, section))
    return row


def report_settings(jobs: list[Path]) -> ReportConfig:
    """The `report:` section of the first job's config (what to show, what is success)."""
    for job in jobs:
        config_file = job / "config.yaml"
        if config_file.is_file():
            section = read_yaml(config_file).get("report")
            return as_section(ReportConfig, section if isinstance(section, dict) else {},
                              f"{config_file}: report")
    return ReportConfig()


def swept_axes(rows: list[dict[str, Any]]) -> list[str]:
    """Override keys whose value differs between jobs, in first-seen order."""
    keys = list(dict.fromkeys(k for row in rows for k in row if k.startswith("axis.")))
    return [k for k in keys if len({str(row.get(k)) for row in rows}) > 1]


def succeeded(row: dict[str, Any], settings: ReportConfig) -> bool | None:
    metric, threshold = settings.success_metric, settings.success_threshold
    if not metric or threshold is None or row.get("status") not in ("completed",):
        return None if not metric else False
    value = row.get(metric)
    if value is None or not math.isfinite(float(value)):
        return False
    return reached_target(value, threshold, metric)


def summary_rows(root: Path, jobs: list[Path] | None = None
                 ) -> tuple[list[Path], list[dict[str, Any]], ReportConfig]:
    """(jobs, one row per job, the report settings) of the sweep at `root`."""
    jobs = job_dirs(root) if jobs is None else jobs
    if not jobs:
        raise FileNotFoundError(f"no job directories (with a .hydra record) under {root}")
    settings = report_settings(jobs)
    rows = [job_row(job) for job in jobs]
    if len({job.parent for job in jobs}) > 1:  # several sweeps: say where each job is
        for row, job in zip(rows, jobs):
            row["folder"] = str(job)
    for row in rows:
        ok = succeeded(row, settings)
        if ok is not None:
            row["success"] = ok
    return jobs, rows, settings
