"""The contents of summary.json: status, final and best metrics, and diagnostics."""

from __future__ import annotations

import math
from typing import Any

from nnlite.runs.training import diagnostics
from nnlite.runs.metrics import lower_is_better, reached_target
from nnlite.runs.run import Run

SUMMARY_METRICS = ("train_loss", "train_accuracy", "train_mse", "train_r2", "val_loss",
                   "val_accuracy", "val_mse", "val_r2", "test_loss", "test_accuracy",
                   "test_mse", "test_r2")


def summarize(run: Run, status: str, wall_time: float) -> dict[str, Any]:
    """The summary.json contents (keys of DESIGN.md plus diagnostics)."""
    history = run.history
    # The model the run ends with: the last epoch's, or the best one early stopping restored.
    last = history[-1] if history else {}
    if run.restored_best_epoch is not None:
        last = next(row for row in history if row["epoch"] == run.restored_best_epoch)
    final = {k: v for k, v in last.items() if k in SUMMARY_METRICS}
    final.update(run.test_metrics)
    best: dict[str, float] = {}
    for key in final:
        values = [row[key] for row in history if key in row and math.isfinite(row[key])]
        if values:
            best[key] = min(values) if lower_is_better(key) else max(values)
    tracker = run.best_weights
    target = run.config["trainer"].get("target_metric")
    reached = [row["epoch"] + 1 for row in history
               if target and target in row and reached_target(row[target],
                                                             run.config["trainer"]["target_value"],
                                                             target)]
    if "train_loss" in final and "val_loss" in final:
        final["generalization_gap"] = final["val_loss"] - final["train_loss"]
    summary = {
        "status": status,
        "experiment": run.config.get("name", "default"),
        "seed": run.config["seed"],
        "epochs": len(history),
        "num_parameters": run.model.num_parameters(),
        "wall_time_s": wall_time,
        "final": final,
        "best": best,
        "stop_reason": run.stop_reason,
        "best_epoch": None if tracker is None else tracker.epoch,  # 0-based, as in metrics.csv
        "best_monitor": None if tracker is None else tracker.monitor,
        "restored_best_epoch": run.restored_best_epoch,
        "epochs_to_target": reached[0] if reached else None,
        "diagnostics": diagnostics.hidden_unit_symmetry(run.model)
        | {k: v for k, v in (history[-1] if history else {}).items() if k.startswith("grad_norm")},
    }
    summary["diagnostics"].update(
        {f"initial_{k}": v for k, v in run.initial_activations.items()})
    norms = run.initial_grad_norms
    if norms:
        summary["initial_grad_norms"] = norms
        first, last = norms["grad_norm.layer1"], norms[f"grad_norm.layer{len(norms)}"]
        # How much of the output layer's gradient reaches the first layer.
        summary["diagnostics"]["grad_ratio_first_last"] = first / last if last > 0 else float("nan")
    return summary
