"""Sweep summaries: one row per job, grouped by the swept axes, with plots.

`write_summary(sweep_dir)` writes `summary.csv` (one row per job: its overrides,
status, final/best metrics and diagnostics; read by sweep_jobs.py), `summary.md`
(grouped by the axes that vary, mean ± std over the rest, success count) and the plots,
from whatever the job folders hold, so it works on an interrupted sweep too. The
command `python -m nnlite.report` and the Hydra callback that ends every `-m` sweep
both call it.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

import yaml

from nnlite.runs.config.schema import DEFAULT_REPORT_METRICS, ReportConfig
from nnlite.runs.folder.writing import csv_text, write_atomic
from nnlite.runs.metrics import lower_is_better
from nnlite.runs.results.objective import minimise, objective_metric
from nnlite.runs.results.sweep_jobs import succeeded, summary_rows, swept_axes

MAX_CURVES = 12  # settings drawn in curves_<metric>.png


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


def sweep_markdown(rows: list[dict[str, Any]], settings: ReportConfig, title: str) -> str:
    """The grouped table: one line per combination of the axes other than the seed."""
    axes = swept_axes(rows)
    group_by = [a for a in axes if a != "axis.seed"] or axes[:0]
    metrics = [m for m in (settings.metrics or DEFAULT_REPORT_METRICS)
               if any(m in row for row in rows)]
    has_success = bool(settings.success_metric)
    header = [a.removeprefix("axis.") for a in group_by] + ["jobs", "completed"]
    header += ["success"] if has_success else []
    header += [*metrics, "best"]
    ranked = best_group(group_rows(rows, group_by), settings)
    lines = [f"# {title}", "", f"{len(rows)} jobs; swept: "
             f"{', '.join(a.removeprefix('axis.') for a in axes) or 'nothing'}", ""]
    if has_success:
        op = "≤" if lower_is_better(settings.success_metric) else "≥"
        lines += [f"success: {settings.success_metric} {op} {settings.success_threshold}", ""]
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
        cells.append("*" if ranked and key == ranked[0] else "")
        lines.append("| " + " | ".join(cells) + " |")
    if ranked:
        direction = "lowest" if minimise(settings, ranked[1]) else "highest"
        lines += ["", f"best (*): the {direction} mean {ranked[1]} over completed jobs"]
    return "\n".join(lines + failures(rows)) + "\n"


def failures(rows: list[dict[str, Any]]) -> list[str]:
    """The failed and missing jobs, each with what it ran and why it ended."""
    ended = [r for r in rows if r.get("status") in ("failed", "missing")]
    if not ended:
        return []
    lines = ["", "| job | overrides | status | error |", "|---|---|---|---|"]
    for r in ended:
        error = str(r.get("error") or ("no summary.json: still running, or killed"
                                       if r.get("status") == "missing" else ""))
        lines.append(f"| {r['job']} | {r.get('overrides') or ''} | {r['status']} | "
                     f"{error.replace('|', '/')} |")
    return lines


def best_group(groups: dict[tuple, list[dict]], settings: ReportConfig
               ) -> tuple[tuple, str] | None:
    """(key of the group with the best mean objective over its completed jobs, metric)."""
    metric = objective_metric(settings, [r for members in groups.values() for r in members])
    scored = []
    for key, members in groups.items():
        values = [float(r[metric]) for r in members if r.get("status") == "completed"
                  and r.get(metric) is not None and math.isfinite(float(r[metric]))]
        if values:
            scored.append((statistics.fmean(values), key))
    if not metric or not scored:
        return None
    pick = min if minimise(settings, metric) else max
    return pick(scored, key=lambda s: s[0])[1], metric


def write_summary(root: Path | str, jobs: list[Path] | None = None,
                  plots: bool = True) -> list[dict[str, Any]]:
    """(Re)write summary.csv, summary.md and, with `plots`, the sweep plots at `root`;
    return the rows. `jobs`: the run folders to summarise (default: the sweep's job
    folders under root)."""
    root = Path(root)
    jobs, rows, settings = summary_rows(root, jobs)
    root.mkdir(parents=True, exist_ok=True)
    write_atomic(root / "summary.csv", csv_text(rows))
    title = ", ".join(sorted({r["experiment"] for r in rows}))
    best = best_job(jobs, rows, settings)
    write_atomic(root / "summary.md", sweep_markdown(rows, settings, f"Sweep: {title}") + (
        f"\nbest job: {best[0]} ({best[1]} = {best[2]:.4g})\n" if best else ""))
    results = root / "optimization_results.yaml"  # Optuna's result: name the best job too
    if best and results.is_file():
        found = yaml.safe_load(results.read_text()) or {}
        found.update({"best_job": str(best[0]), "objective": best[1]})
        write_atomic(results, yaml.safe_dump(found, sort_keys=False))
    if plots:
        plot_summary(root, jobs, rows, settings)
    return rows


def plot_summary(root: Path, jobs: list[Path], rows: list[dict[str, Any]],
                 settings: ReportConfig) -> None:
    """The sweep plots at `root`: the swept axes against the report metrics, and the
    learning curves of every job."""
    from nnlite.plots.sweep import plot_sweep  # matplotlib: imported only when drawing

    plot_sweep(root, rows, swept_axes(rows), settings.plot_metrics,
               grad_norms=settings.plot_grad_norms, grad_norm_only=settings.grad_norm_only,
               grad_norm_panels=settings.grad_norm_panels)
    plot_job_curves(root, jobs, rows, settings)


def best_job(jobs: list[Path], rows: list[dict[str, Any]],
             settings: ReportConfig) -> tuple[Path, str, float] | None:
    """(folder, objective metric, value) of the completed job with the best objective."""
    metric = objective_metric(settings, rows)
    scored = [(float(r[metric]), job) for job, r in zip(jobs, rows)
              if metric and r.get("status") == "completed" and r.get(metric) is not None
              and math.isfinite(float(r[metric]))]
    if not scored:
        return None
    value, job = (min if minimise(settings, metric) else max)(scored, key=lambda s: s[0])
    return job, metric, value


def plot_job_curves(root: Path, jobs: list[Path], rows: list[dict[str, Any]],
                    settings: ReportConfig) -> None:
    """curves_<metric>.png: every job's learning curve of the objective's metric, as the
    mean ± std over the seeds of each setting (one line per setting)."""
    from nnlite.plots.compare import mean_std_curves
    from nnlite.runs.folder.metrics_file import read_columns

    metric = (objective_metric(settings, rows) or "final.train_loss").split(".", 1)[1]
    group_by = [a for a in swept_axes(rows) if a != "axis.seed"]
    groups: dict[str, list] = {}
    for job, row in zip(jobs, rows):
        label = ", ".join(f"{a.removeprefix('axis.')}={row.get(a)}" for a in group_by)
        groups.setdefault(label or row["experiment"], []).append(read_columns(job))
    if any(metric in curves for members in groups.values() for curves in members):
        title = ", ".join(sorted({r["experiment"] for r in rows}))
        if len(groups) > MAX_CURVES:  # more lines than a reader can tell apart
            title += f" (first {MAX_CURVES} of {len(groups)} settings)"
            groups = dict(list(groups.items())[:MAX_CURVES])
        mean_std_curves(root / f"curves_{metric}.png", groups, metric, title)
