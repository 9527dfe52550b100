"""Sweep summaries: one row per job, grouped by the swept axes, with plots.

`write_summary(sweep_dir)` writes `summary.csv` (one row per job: its overrides,
status, final/best metrics and diagnostics), `summary.md` (grouped by the axes that
vary, mean ± std over the rest, success count) and the plots, from whatever the job
folders hold, so it works on an interrupted sweep too: a job without summary.json is
listed as "missing". The command `python -m nnlite.report` and the Hydra callback that
ends every `-m` sweep both call it.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

from nnlite.runs.config import DEFAULT_REPORT_METRICS
from nnlite.runs.files import metrics_csv, write_atomic
from nnlite.runs.metrics import lower_is_better, reached_target
from nnlite.runs.safe_read import read_json, read_yaml


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


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value


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
    for key in ("status", "epochs", "epochs_to_target", "wall_time_s", "num_parameters",
                "stop_reason"):
        row[key] = summary.get(key)
    for section in ("final", "best", "diagnostics", "initial_grad_norms"):
        _flatten(section, summary.get(section) or {}, row)
    return row


def report_settings(jobs: list[Path]) -> dict[str, Any]:
    """The `report:` section of the first job's config (what to show, what is success)."""
    for job in jobs:
        config_file = job / "config.yaml"
        if config_file.is_file():
            return read_yaml(config_file).get("report") or {}
    return {}


def swept_axes(rows: list[dict[str, Any]]) -> list[str]:
    """Override keys whose value differs between jobs, in first-seen order."""
    keys = list(dict.fromkeys(k for row in rows for k in row if k.startswith("axis.")))
    return [k for k in keys if len({str(row.get(k)) for row in rows}) > 1]


def succeeded(row: dict[str, Any], settings: dict[str, Any]) -> bool | None:
    metric, threshold = settings.get("success_metric"), settings.get("success_threshold")
    if not metric or threshold is None or row.get("status") not in ("completed",):
        return None if not metric else False
    value = row.get(metric)
    if value is None or not math.isfinite(float(value)):
        return False
    return reached_target(value, threshold, metric)


def _mean_std(values: list[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return f"{statistics.fmean(values):.4g} ± {statistics.stdev(values):.2g}"


def group_rows(rows: list[dict[str, Any]], group_by: list[str]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(str(row.get(k, "")) for k in group_by), []).append(row)
    return groups


def markdown(rows: list[dict[str, Any]], settings: dict[str, Any], title: str) -> str:
    """The grouped table: one line per combination of the axes other than the seed."""
    axes = swept_axes(rows)
    group_by = [a for a in axes if a != "axis.seed"] or axes[:0]
    metrics = [m for m in (settings.get("metrics") or DEFAULT_REPORT_METRICS)
               if any(m in row for row in rows)]
    has_success = bool(settings.get("success_metric"))
    header = [a.removeprefix("axis.") for a in group_by] + ["jobs", "completed"]
    header += ["success"] if has_success else []
    header += metrics
    lines = [f"# {title}", "", f"{len(rows)} jobs; swept: "
             f"{', '.join(a.removeprefix('axis.') for a in axes) or 'nothing'}", ""]
    if has_success:
        op = "≤" if lower_is_better(settings["success_metric"]) else "≥"
        lines += [f"success: {settings['success_metric']} {op} {settings['success_threshold']}", ""]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, members in group_rows(rows, group_by).items():
        done = [r for r in members if r.get("status") == "completed"]
        others = sorted({str(r.get("status")) for r in members} - {"completed"})
        note = ", ".join(f"{sum(str(r.get('status')) == s for r in members)} {s}" for s in others)
        cells = list(key) + [str(len(members)), f"{len(done)} ({note})" if note else str(len(done))]
        if has_success:
            cells.append(f"{sum(bool(succeeded(r, settings)) for r in members)}/{len(members)}")
        for metric in metrics:
            values = [float(r[metric]) for r in done if r.get(metric) is not None]
            cells.append(_mean_std([v for v in values if math.isfinite(v)]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_summary(root: Path | str) -> list[dict[str, Any]]:
    """(Re)write summary.csv, summary.md and the sweep plots at `root`; return the rows."""
    root = Path(root)
    jobs = job_dirs(root)
    if not jobs:
        raise FileNotFoundError(f"no job directories (with a .hydra record) under {root}")
    settings = report_settings(jobs)
    rows = [job_row(job) for job in jobs]
    for row in rows:
        ok = succeeded(row, settings)
        if ok is not None:
            row["success"] = ok
    root.mkdir(parents=True, exist_ok=True)
    write_atomic(root / "summary.csv", metrics_csv(rows))
    title = ", ".join(sorted({r["experiment"] for r in rows}))
    write_atomic(root / "summary.md", markdown(rows, settings, f"Sweep: {title}"))
    from nnlite.plots.sweep import plot_sweep  # matplotlib: imported only when drawing

    plot_sweep(root, rows, swept_axes(rows), settings)
    return rows
