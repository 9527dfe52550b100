"""The contents of summary.json: status, final and best metrics, and diagnostics."""

from __future__ import annotations

import math
from typing import Any

from nnlite.runs.metrics import lower_is_better, reached_target
from nnlite.runs.run import Run
from nnlite.runs.training import diagnostics

SUMMARY_METRICS = ("train_loss", "train_accuracy", "train_mse", "train_r2", "val_loss",
                   "val_accuracy", "val_mse", "val_r2", "test_loss", "test_accuracy",
                   "test_mse", "test_r2")


def summarize(run: Run, status: str, wall_time: float) -> dict[str, Any]:
    """The summary.json contents (keys of DESIGN.md plus diagnostics)."""
    final = final_metrics(run)
    tracker = run.best_weights
    return {
        "status": status,
        "experiment": run.config.name,
        "seed": run.config.seed,
        "epochs": len(run.history),
        "num_parameters": run.model.num_parameters(),
        "wall_time_s": wall_time,
        "final": final,
        "best": best_metrics(run.history, final),
        "stop_reason": run.stop_reason,
        "best_epoch": tracker.epoch,  # 0-based, as in metrics.csv
        "best_monitor": tracker.monitor,
        "restored_best_epoch": run.restored_best_epoch,
        "epochs_to_target": epochs_to_target(run),
        "diagnostics": run_diagnostics(run),
        **({"initial_grad_norms": run.initial_grad_norms} if run.initial_grad_norms else {}),
    }


def final_metrics(run: Run) -> dict[str, float]:
    """The metrics of the model the run ends with: its last epoch's, or the best epoch's
    that early stopping restored; the test split's; and the generalization gap."""
    last = run.history[-1] if run.history else {}
    if run.restored_best_epoch is not None:
        last = next(row for row in run.history if row["epoch"] == run.restored_best_epoch)
    final = {k: v for k, v in last.items() if k in SUMMARY_METRICS}
    final.update(run.test_metrics)
    if "train_loss" in final and "val_loss" in final:
        final["generalization_gap"] = final["val_loss"] - final["train_loss"]
    return final


def best_metrics(history: list[dict[str, float]], final: dict[str, float]) -> dict[str, float]:
    """Each final metric's best finite value over the epochs (lowest loss, highest accuracy)."""
    best: dict[str, float] = {}
    for key in final:
        values = [row[key] for row in history if key in row and math.isfinite(row[key])]
        if values:
            best[key] = min(values) if lower_is_better(key) else max(values)
    return best


def epochs_to_target(run: Run) -> int | None:
    """Epochs until `trainer.target_metric` first reached its value, or None."""
    target, value = run.config.trainer.target_metric, run.config.trainer.target_value
    reached = [row["epoch"] + 1 for row in run.history
               if target and target in row and reached_target(row[target], value, target)]
    return reached[0] if reached else None


def run_diagnostics(run: Run) -> dict[str, float]:
    """Hidden-unit symmetry, the last epoch's gradient norms, saturated or dead units at
    the start, and how much of the output layer's gradient reached the first layer."""
    last = run.history[-1] if run.history else {}
    found = diagnostics.hidden_unit_symmetry(run.model)
    found.update({k: v for k, v in last.items() if k.startswith("grad_norm")})
    found.update({f"initial_{k}": v for k, v in run.initial_activations.items()})
    norms = run.initial_grad_norms
    if norms:
        first, final = norms["grad_norm.layer1"], norms[f"grad_norm.layer{len(norms)}"]
        found["grad_ratio_first_last"] = first / final if final > 0 else float("nan")
    return found
