"""One figure overlaying the learning curves of several runs (`nnlite compare`), and the
curves of a sweep's jobs as mean ± std over seeds (`nnlite.report`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnlite.plots.figure import new_figure, plain_log_labels, save

SPLIT_STYLE = {"train": "-", "val": "--", "test": ":"}


def overlay_curves(path: Path, curves: dict[str, dict[str, np.ndarray]], title: str) -> None:
    """`curves`: label -> metric columns (epoch, train_loss, val_loss, ... as arrays over
    epochs). One colour per run, one line style per split (train solid, val dashed);
    loss on a log scale, and accuracy or R^2 beside it when the runs have it."""
    second = next((m for m in ("accuracy", "r2")
                   if any(f"train_{m}" in c for c in curves.values())), None)
    panels = 2 if second else 1
    fig, axes = new_figure(1, panels, figsize=(5.5 * panels, 3.8), squeeze=False)
    for ax, metric in zip(axes[0], ["loss", second]):
        for i, (label, columns) in enumerate(curves.items()):
            epochs = columns.get("epoch", np.arange(len(next(iter(columns.values())))))
            for split, style in SPLIT_STYLE.items():
                key = f"{split}_{metric}"
                if key in columns:
                    ax.plot(epochs, columns[key], style, color=f"C{i % 10}",
                            label=f"{label} ({split})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        if metric == "loss":
            ax.set_yscale("log")
            plain_log_labels(ax.yaxis)
        ax.grid(alpha=0.3)
    axes[0][-1].legend(fontsize=7, loc="best")
    fig.suptitle(title)
    save(fig, path)


def mean_std_curves(path: Path, groups: dict[str, list[dict[str, np.ndarray]]], metric: str,
                    title: str) -> None:
    """`groups`: label -> the metric columns of each job in the group (e.g. the seeds of
    one setting). One line per group, the mean over its jobs, with a band of ± one
    standard deviation; jobs of different lengths are cut to the shortest."""
    fig, ax = new_figure(figsize=(6.5, 4.0))
    for i, (label, jobs) in enumerate(groups.items()):
        series = [job[metric] for job in jobs if metric in job]
        if not series:
            continue
        n = min(len(s) for s in series)
        stacked = np.array([s[:n] for s in series], dtype=float)
        mean = np.nanmean(stacked, axis=0)
        epochs = np.arange(1, n + 1)
        line = f"{label} (n={len(series)})" if len(series) > 1 else label
        ax.plot(epochs, mean, color=f"C{i % 10}", label=line)
        if len(series) > 1:
            std = np.nanstd(stacked, axis=0, ddof=1)
            ax.fill_between(epochs, mean - std, mean + std, color=f"C{i % 10}", alpha=0.2,
                            linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{metric} (mean ± std over seeds)")
    if metric.endswith("loss"):
        ax.set_yscale("log")
        plain_log_labels(ax.yaxis)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(title)
    save(fig, path)
