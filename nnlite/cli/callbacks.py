"""Hydra callbacks: the sweep summary written when a multirun ends.

Registered in configs/config.yaml under hydra.callbacks. It reads the job folders
(not in-memory results), so it gives the same summary whichever launcher ran the jobs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from nnlite.runs.folder.background import start_drawing
from nnlite.runs.results.sweep import write_summary

log = logging.getLogger("nnlite")


def summarize_sweep(root: Path, background_plots: bool = False) -> None:
    """Write the sweep summary of the job folders under `root` (also of a stopped sweep).
    `background_plots`: the tables now, the plots by a process not waited for."""
    try:
        rows = write_summary(root, plots=not background_plots)
    except FileNotFoundError as err:
        log.warning("no sweep summary: %s", err)
        return
    if background_plots:  # matplotlib costs a second; the tables are what the user reads
        start_drawing(root, sweep=True)
    log.info("sweep summary of %d jobs: %s", len(rows), root / "summary.md")


class SweepSummary(Callback):
    """Writes summary.csv and summary.md at the sweep's root after `-m` runs, then starts
    a process that draws its plots (not waited for); with `logger=mlflow`, the sweep is
    an MLflow parent run holding one child run per job."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        settings = _mlflow_settings(config)
        if settings is not None:
            from nnlite.loggers import missing
            from nnlite.loggers.mlflow_log import start_parent

            if missing("mlflow") is None:  # else every job refuses the config itself
                start_parent(Path(config.hydra.sweep.dir), settings, str(config.name))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        summarize_sweep(Path(config.hydra.sweep.dir), background_plots=True)
        settings = _mlflow_settings(config)
        if settings is not None:
            from nnlite.loggers.mlflow_log import end_parent

            end_parent(Path(config.hydra.sweep.dir), settings)


def _mlflow_settings(config: DictConfig) -> dict[str, Any] | None:
    from omegaconf import OmegaConf

    if not config.get("logger"):  # no logger group chosen: nothing to start or end
        return None
    loggers = OmegaConf.to_container(config.get("logger"), resolve=True)
    return loggers.get("mlflow") if "mlflow" in loggers else None
