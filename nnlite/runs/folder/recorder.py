"""`RunRecorder`: writes a run's files as training goes.

    runs/<experiment>/<timestamp>/
        config.yaml     the resolved config (at the start)
        run_info.json   nnlite/Python/numpy versions, start time, git commit (at the start)
        metrics.csv     one row per epoch (rewritten atomically every few seconds)
        summary.json    status, final and best metrics, diagnostics (at the end)
        model.npz       weights + "__meta__" (JSON: how to rebuild the model)
        best.npz        the same for the best monitored epoch (summary.json: best_epoch)
        checkpoint.npz  what resuming needs (nnlite.runs.training.checkpoint; every few seconds)
        *.png           learning curves, decision boundary or fitted curve
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from nnlite.runs.folder.writing import json_safe, metrics_csv, save_model, save_weights, write_atomic
from nnlite.runs.metrics import binary_threshold, predict_labels
from nnlite.runs.folder.provenance import run_info

log = logging.getLogger("nnlite")
FLUSH_EVERY_S = 2.0


class RunRecorder:
    """Writes a run's files as it goes: config at the start, metrics every few seconds
    and at the end, summary/model/plots at the end (whatever the status)."""

    def __init__(self, out_dir: Path, config: dict[str, Any], model_spec: dict[str, Any],
                 background_plots: bool = False) -> None:
        """`background_plots`: draw the PNGs in a process of their own that the run does
        not wait for (`nnlite.runs.draw`), when the folder alone suffices to draw them."""
        import yaml

        from nnlite.runs.folder.background import can_draw_later

        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.model_spec = model_spec
        self.plots = config.get("plots") is not False  # None (unset) draws them
        self.background = background_plots and can_draw_later(config)
        self.rows: list[dict[str, float]] = []
        self._last_flush = time.monotonic()
        write_atomic(self.out_dir / "config.yaml", yaml.safe_dump(config, sort_keys=False))
        write_atomic(self.out_dir / "run_info.json", json.dumps(run_info(), indent=2))

    def log_epoch(self, row: dict[str, float]) -> None:
        self.rows.append(row)
        if time.monotonic() - self._last_flush > FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        write_atomic(self.out_dir / "metrics.csv", metrics_csv(self.rows))
        self._last_flush = time.monotonic()

    def finish(self, run: Any, summary: dict[str, Any]) -> None:
        self.flush()
        meta = {"model": self.model_spec, "task": run.data["train"].task,
                "n_classes": run.data["train"].n_classes,
                "threshold": binary_threshold(run.loss_name),  # a binary output's class edge
                "classes": (list(run.data["train"].classes)
                            if run.data["train"].classes is not None else None),
                "standardizer": ({k: v.tolist() for k, v in run.standardizer.state().items()}
                                 if run.standardizer is not None else None)}
        save_model(self.out_dir / "model.npz", run.model, meta)
        if run.best_weights is not None and run.best_weights.weights is not None:
            save_weights(self.out_dir / "best.npz", run.best_weights.weights, meta)
        write_atomic(self.out_dir / "summary.json",
                     json.dumps(json_safe(summary), indent=2, allow_nan=False))
        if self.plots and self.background:
            from nnlite.runs.folder.background import start

            start(self.out_dir)  # every other file is written: the drawer reads them
            log.info("plots are being drawn in the background into %s", self.out_dir)
        elif self.plots:
            self.write_plots(run)
        log.info("run files in %s", self.out_dir)

    def write_plots(self, run: Any) -> None:
        try:
            from nnlite.plots.run import plot_run  # matplotlib: imported only when drawing

            plot_run(self.out_dir, run.history, run.model, run.data["train"],
                     run.config.get("name", "run"), run.snapshots,
                     lambda outputs: predict_labels(outputs, run.data["train"].task,
                                                    binary_threshold(run.loss_name)),
                     val=run.data.get("val"))
        except Exception as err:  # a plot must never cost the run its record
            log.warning("plots were not written: %r", err)
