"""The objective: the one number that ranks runs, for sweepers (Optuna minimises or
maximises what each job returns) and for the best row of a summary.

`report.objective` names it as a summary.json path (final.val_loss, best.val_accuracy;
a bare val_loss means final.val_loss); null means final.val_loss where the run has a
validation split, else final.train_loss. `report.direction` (minimize | maximize) says
which way is better; null follows the metric (losses and MSE are minimised).
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from nnlite.runs.config.schema import ReportConfig
from nnlite.runs.metrics import lower_is_better


def metric_path(name: str) -> str:
    return name if "." in name else f"final.{name}"


def objective_metric(report: ReportConfig, rows: Iterable[dict[str, Any]]) -> str | None:
    """The objective's summary path; `rows` are flat summaries (final.val_loss: value)."""
    if report.objective:
        return metric_path(report.objective)
    rows = list(rows)
    return next((m for m in ("final.val_loss", "final.train_loss")
                 if any(r.get(m) is not None for r in rows)), None)


def minimise(report: ReportConfig, metric: str) -> bool:
    """True when lower values of `metric` are better."""
    if report.direction:
        return report.direction == "minimize"
    return lower_is_better(metric)


def value_of(summary: dict[str, Any], metric: str) -> float:
    """summary.json's value at a dotted path, as a float (NaN when absent or not finite)."""
    node: Any = summary
    for part in metric.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    try:
        value = float(node)
    except (TypeError, ValueError):
        return float("nan")
    return value if math.isfinite(value) else float("nan")


def objective_value(summary: dict[str, Any], report: ReportConfig) -> float:
    """What a sweeper optimises for this run: the objective's value in its summary."""
    flat = {f"final.{k}": v for k, v in (summary.get("final") or {}).items()}
    metric = objective_metric(report, [flat]) or "final.train_loss"
    return value_of(summary, metric)
