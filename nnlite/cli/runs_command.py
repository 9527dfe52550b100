"""`python -m nnlite runs [DIR] [--sort METRIC] [--filter KEY=VALUE ...]`: a table of the
runs and sweeps under DIR (default runs/), the best one marked with `*`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nnlite.runs.results.listing import Listing, find_runs, matches_filters, rank, ranking_metric

SHOWN = ("final.val_accuracy", "final.val_loss", "final.train_accuracy", "final.train_loss",
         "final.val_r2", "final.train_r2")
MAX_METRICS = 4


def runs_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnlite runs",
        description="List runs and sweeps (a sweep shows its best job), oldest first; the "
                    "best is marked *. Metrics are summary.json paths (final.val_loss, "
                    "best.train_accuracy; 'val_loss' is short for final.val_loss).")
    p.add_argument("dir", nargs="?", type=Path, default=Path("runs"), help="default: runs/")
    p.add_argument("--sort", metavar="METRIC", help="best first by METRIC (lower is better "
                   "for losses and MSE); it also picks the best run")
    p.add_argument("--filter", metavar="KEY=VALUE", action="append", default=[],
                   help="keep rows where KEY (experiment, status, a config key such as "
                        "optimizer.name, or a metric) equals VALUE; repeatable")
    return p


def metric_key(name: str | None) -> str | None:
    if name and not name.startswith(("final.", "best.", "config.")) and name not in (
            "epochs", "experiment", "status", "started"):
        return f"final.{name}"
    return name


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "–" if value is None else str(value)


def table(entries: list[Listing], metric: str | None) -> str:
    """The rows as aligned text columns, the best entry by `metric` marked `*`."""
    best = rank(entries, metric)[0] if ranking_metric(entries, metric) else None
    metrics = [m for m in SHOWN if any(e.get(m) is not None for e in entries)][:MAX_METRICS]
    if metric and metric not in metrics and metric.startswith(("final.", "best.")):
        metrics.append(metric)
    header = ["", "experiment", "started", "status", "epochs",
              *(m.removeprefix("final.") for m in metrics), "folder"]
    rows = []
    for e in entries:
        name = e.get("experiment") if e.kind == "run" else (
            f"{e.get('experiment')} (sweep, {e.jobs} jobs)")
        folder = str(e.path) + (f"  (best job {e.get('best_job')})" if e.kind == "sweep" else "")
        rows.append(["*" if e is best else "", str(name), str(e.get("started"))[:19],
                     str(e.get("status")), _cell(e.get("epochs")),
                     *(_cell(e.get(m)) for m in metrics), folder])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    shown_metric = ranking_metric(entries, metric)
    if best is not None:
        lines.append(f"* best by {shown_metric}")
    return "\n".join(lines)


def runs_command(argv: list[str]) -> int:
    """Prints the table; returns 0, or 1 after one `nnlite:` line."""
    args = runs_parser().parse_args(argv)
    filters = []
    for item in args.filter:
        key, sep, value = item.partition("=")
        if not sep or not key:
            print(f"nnlite: --filter {item!r}: use KEY=VALUE, e.g. optimizer.name=adam",
                  file=sys.stderr)
            return 1
        filters.append((metric_key(key) if key.startswith(("final.", "best.")) else key, value))
    if not args.dir.is_dir():
        print(f"nnlite: no such folder {str(args.dir)!r} (runs are written to runs/ in the "
              "directory you run from)", file=sys.stderr)
        return 1
    metric = metric_key(args.sort)
    entries = [e for e in find_runs(args.dir, metric) if matches_filters(e, filters)]
    if not entries:
        print(f"no runs under {args.dir}" + (" matching the filters" if filters else ""))
        return 0
    if metric and not any(e.get(metric) is not None for e in entries):
        print(f"nnlite: no run has the metric {metric!r} (e.g. final.val_loss, "
              "final.train_accuracy, best.val_accuracy)", file=sys.stderr)
        return 1
    print(table(rank(entries, metric) if metric else entries, metric))
    return 0
