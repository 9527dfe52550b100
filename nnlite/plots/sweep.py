"""Sweep plots (matplotlib Agg): a metric against each swept axis, and per-layer
gradient norms at initialisation. Rows are `nnlite.runs.results.sweep`'s flat job rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from nnlite.plots.figure import new_figure, save

MAX_LINES = 12


def _axis_order(values: list[str]) -> list[str]:
    """Numeric axis values in numeric order, anything else in first-seen order."""
    unique = list(dict.fromkeys(values))
    try:
        return sorted(unique, key=float)
    except ValueError:
        return unique


def _is_numeric(values: list[str]) -> bool:
    try:
        [float(v) for v in values]
    except ValueError:
        return False
    return True


def _key(row: dict, axes: list[str]) -> tuple[str, ...]:
    return tuple(str(row.get(a)) for a in axes)


def _label(axes: list[str], values: tuple[str, ...]) -> str:
    return ", ".join(f"{a.removeprefix('axis.')}={v}" for a, v in zip(axes, values))


def _finite(row: dict, metric: str) -> float | None:
    value = row.get(metric)
    return float(value) if value is not None and np.isfinite(float(value)) else None


def sweep_metric(path: Path, rows: list[dict], x_axis: str, line_axes: list[str],
                 metric: str, title: str) -> None:
    """mean ± std of `metric` over the jobs at each value of `x_axis`, one line per
    combination of `line_axes` (seeds and other repeats are averaged). A metric that
    spans more than two decades is drawn on a log scale."""
    xs = _axis_order([str(r.get(x_axis)) for r in rows])
    numeric = _is_numeric(xs)
    fig, ax = new_figure(figsize=(6.4, 4.0))
    lines = list(dict.fromkeys(_key(r, line_axes) for r in rows))
    everything = []
    for line in lines:
        means, stds = [], []
        for x in xs:
            values = [v for r in rows if str(r.get(x_axis)) == x and _key(r, line_axes) == line
                      and (v := _finite(r, metric)) is not None]
            everything += values
            means.append(np.mean(values) if values else np.nan)
            stds.append(np.std(values) if values else np.nan)
        # a line joins numeric values only; categories (activation, init) are points,
        # nudged apart so that several lines' error bars do not overlap
        shift = 0.0 if numeric else 0.08 * (lines.index(line) - (len(lines) - 1) / 2)
        ax.errorbar(np.arange(len(xs)) + shift, means, yerr=stds, marker="o", capsize=3,
                    linestyle="-" if numeric else "none", label=_label(line_axes, line) or None)
    positive = [v for v in everything if v > 0]
    if positive and len(positive) == len(everything) and max(positive) > 100 * min(positive):
        ax.set_yscale("log")
    ax.set_xticks(range(len(xs)), xs, rotation=30 if max(map(len, xs)) > 6 else 0)
    ax.set_xlabel(x_axis.removeprefix("axis."))
    ax.set_ylabel(f"{metric} (mean ± std over seeds)")
    ax.errorbar([], [], yerr=[], color="gray", capsize=3, linestyle="none",
                label="error bars: ± 1 std")
    ax.legend(fontsize=6)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    save(fig, path)


def _layer_norms(members: list[dict]) -> tuple[list[int], list[float]]:
    prefix = "initial_grad_norms.grad_norm.layer"
    depth = max(int(k.removeprefix(prefix)) for r in members for k in r if k.startswith(prefix))
    layers = list(range(1, depth + 1))

    def norm(r: dict, k: int) -> float:  # a norm of exactly 0 (vanished) is a value, not a gap
        value = r.get(f"{prefix}{k}")
        return np.nan if value in (None, "") else float(value)

    values = [[norm(r, k) for r in members] for k in layers]
    norms = [np.nanmean(v) if not np.all(np.isnan(v)) else np.nan for v in values]
    return layers, norms


def grad_norms_per_layer(path: Path, rows: list[dict], axes: list[str], title: str,
                         only_values: dict[str, Any], panel_axis: str | None) -> None:
    """Initial gradient norm of each layer's weights (log scale): vanishing gradients
    appear as lines falling towards layer 1. `only_values` (axis -> value) keeps the
    jobs with those axis values; `panel_axis` draws one panel per value of that axis;
    every other swept axis makes the lines."""
    only = {f"axis.{k}": str(v) for k, v in only_values.items()
            if f"axis.{k}" in axes}  # an axis fixed from the command line is not swept
    kept = [r for r in rows if all(str(r.get(k)) == v for k, v in only.items())]
    if not kept:  # the sweep has none of those values (e.g. another init): draw every job
        only, kept = {}, rows
    rows = kept
    if not rows:
        return
    panel_axes = [f"axis.{panel_axis}"] if panel_axis else []
    line_axes = [a for a in axes if a not in only and a not in panel_axes]
    panels = list(dict.fromkeys(_key(r, panel_axes) for r in rows))
    lines = list(dict.fromkeys(_key(r, line_axes) for r in rows))  # same colour in every panel
    fig, grid = new_figure(1, len(panels), figsize=(4.2 * len(panels), 3.8), sharey=True,
                             squeeze=False)
    for ax, panel in zip(grid[0], panels):
        members = [r for r in rows if _key(r, panel_axes) == panel]
        for i, line in enumerate(lines):
            chosen = [r for r in members if _key(r, line_axes) == line]
            if chosen:
                layers, norms = _layer_norms(chosen)
                ax.plot(layers, np.maximum(norms, 1e-30), marker=".", color=f"C{i % 10}",
                        label=_label(line_axes, line))
        ax.set_yscale("log")
        ax.set_xlabel("layer (1 = nearest the input)")
        ax.set_title(_label(panel_axes, panel) or title, fontsize=9)
        ax.grid(alpha=0.3)
    grid[0][0].set_ylabel("||dL/dW|| at initialisation")
    fullest = max(grid[0], key=lambda ax: len(ax.get_lines()))
    if any(line.get_label() and not line.get_label().startswith("_")
           for line in fullest.get_lines()):  # one line per panel needs no legend
        fullest.legend(fontsize=6, loc="best")
    fig.suptitle(f"{title} {_label(list(only), tuple(only.values()))}", y=1.02)
    save(fig, path)


def plot_sweep(root: Path, rows: list[dict], axes: list[str], plot_metrics: list[str],
               grad_norms: bool = False, grad_norm_only: dict[str, Any] | None = None,
               grad_norm_panels: str | None = None) -> None:
    """The sweep's plots: `plot_metrics` (default: the main accuracy or loss) against each
    swept axis (seeds averaged), and, with `grad_norms`, the per-layer initial gradient
    norms (of the jobs with `grad_norm_only`'s values, a panel per `grad_norm_panels`)."""
    done = [r for r in rows if r.get("status") == "completed"]
    axes = [a for a in axes if a != "axis.seed"]
    if not done or not axes:
        return
    defaults = ("final.train_accuracy", "final.val_accuracy", "final.train_loss")
    metrics = plot_metrics or [m for m in defaults if m in done[0]][:1]
    title = ", ".join(sorted({r["experiment"] for r in rows}))
    for metric in metrics:
        for x_axis in axes:
            others = [a for a in axes if a != x_axis]
            while len({_key(r, others) for r in done}) > MAX_LINES:
                others = others[:-1]
            name = f"sweep_{metric.replace('.', '_')}_vs_{x_axis.removeprefix('axis.')}.png"
            sweep_metric(root / name.replace("/", "_"), done, x_axis, others, metric, title)
    if grad_norms:
        grad_norms_per_layer(root / "grad_norms_per_layer.png", done, axes, title,
                             grad_norm_only or {}, grad_norm_panels)
