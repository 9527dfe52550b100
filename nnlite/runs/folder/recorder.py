"""`RunRecorder`: writes a run's files as training goes.

    runs/<experiment>/<timestamp>/
        config.yaml     the resolved config (at the start)
        run_info.json   nnlite/Python/numpy versions, start time, git commit (at the start)
        metrics.csv     one row per epoch (appended every few seconds; metrics_file.py)
        model.npz       weights + "__meta__" (JSON: how to rebuild the model)
        best.npz        the same for the best monitored epoch (summary.json: best_epoch)
        checkpoint.npz  what resuming needs (nnlite.runs.training.checkpoint)
        summary.json    status, final and best metrics, diagnostics (once, at the end)
        *.png           learning curves, decision boundary or fitted curve
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from nnlite.runs.config.schema import Config
from nnlite.runs.config.typed import as_dict
from nnlite.runs.folder.background import can_draw_later, start_drawing
from nnlite.runs.folder.metrics_file import FILE as METRICS
from nnlite.runs.folder.metrics_file import MetricsFile
from nnlite.runs.folder.provenance import run_info
from nnlite.runs.folder.writing import json_safe, save_weights, write_atomic
from nnlite.runs.metrics import binary_threshold, predict_labels
from nnlite.runs.prediction import model_meta
from nnlite.runs.run import Run

log = logging.getLogger("nnlite")
FLUSH_EVERY_S = 2.0


class RunRecorder:
    """Writes a run's files as it goes: config at the start, metrics every few seconds,
    then (whatever the status) the model and metrics, the summary, the plots."""

    def __init__(self, out_dir: Path, config: Config, background_plots: bool = False) -> None:
        """`background_plots`: draw the PNGs in a process of their own that the run does
        not wait for (`nnlite.runs.draw`), when the folder alone suffices to draw them."""
        import yaml

        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.plots = config.plots is not False  # None (unset) draws them
        self.background = background_plots and can_draw_later(config)
        self.rows: list[dict[str, float]] = []
        self.metrics = MetricsFile(self.out_dir / METRICS)
        self._last_flush = time.monotonic()
        write_atomic(self.out_dir / "config.yaml", yaml.safe_dump(as_dict(config),
                                                                  sort_keys=False))
        write_atomic(self.out_dir / "run_info.json", json.dumps(run_info(), indent=2))

    def log_epoch(self, row: dict[str, float]) -> None:
        self.rows.append(row)
        if time.monotonic() - self._last_flush > FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self.metrics.write(self.rows)
        self._last_flush = time.monotonic()

    def write_model(self, run: Run) -> None:
        """metrics.csv complete, model.npz and best.npz: the run's results, before its
        summary (which the end hooks may still change)."""
        self.flush()
        meta = model_meta(run)
        save_weights(self.out_dir / "model.npz", run.model.state_dict(), meta)
        if run.best_weights.weights is not None:
            save_weights(self.out_dir / "best.npz", run.best_weights.weights, meta)

    def write_summary(self, summary: dict[str, Any]) -> None:
        write_atomic(self.out_dir / "summary.json",
                     json.dumps(json_safe(summary), indent=2, allow_nan=False))

    def write_plots(self, run: Run) -> None:
        """The PNGs, drawn here or by a process of their own (every other file is written:
        the drawer reads them). A plot must never cost the run its record."""
        if not self.plots:
            return
        if self.background:
            start_drawing(self.out_dir)
            log.info("plots are being drawn in the background into %s", self.out_dir)
            return
        try:
            from nnlite.plots.run import plot_run  # matplotlib: imported only when drawing

            train = run.data["train"]
            plot_run(self.out_dir, run.history, run.model, train, run.config.name,
                     run.snapshots, lambda outputs: predict_labels(
                         outputs, train.task, binary_threshold(run.loss_name)),
                     val=run.data.get("val"))
        except Exception as err:
            log.warning("plots were not written: %r", err)


def record_failure(out_dir: Path, experiment: str | None, error: str, exit_status: int) -> None:
    """A sweep job's failure, kept in its folder: a job refused before training (which
    wrote nothing) gets a summary.json with status "failed", its one-line error and the
    exit status it would have ended a single run with; a run that failed while training
    has written its own summary.json already, which is left as it is."""
    path = Path(out_dir) / "summary.json"
    if path.exists() or not Path(out_dir).is_dir():
        return
    write_atomic(path, json.dumps({"status": "failed", "experiment": experiment,
                                   "epochs": 0, "error": error, "exit_status": exit_status,
                                   "final": {}, "best": {}}, indent=2))
