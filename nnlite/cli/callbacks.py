"""Hydra callbacks: the sweep summary written when a multirun ends.

Registered in configs/config.yaml under hydra.callbacks. It reads the job folders
(not in-memory results), so it gives the same summary whichever launcher ran the jobs.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from nnlite.runs.folder.background import start_drawing
from nnlite.runs.folder.reservation import SWEEP_MARK, reserve_sweep
from nnlite.runs.results.sweep import write_summary
from nnlite.runs.results.sweep_jobs import job_dirs

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


# The sweep this process runs, from its start to its end: what `summarize_stopped_sweep`
# summarises when the sweep stops early (Ctrl-C, an error outside the jobs).
ACTIVE: list[Path] = []


def summarize_stopped_sweep() -> None:
    """Summarise the jobs so far of a sweep that stopped early; a sweep folder left with
    no job at all is removed. Nothing when this process runs no sweep (a job in a
    parallel launcher's worker, a single run)."""
    if not ACTIVE:
        return
    root = ACTIVE.pop()
    if job_dirs(root):
        summarize_sweep(root)
    elif root.is_dir() and {p.name for p in root.iterdir()} <= {"multirun.yaml", SWEEP_MARK}:
        shutil.rmtree(root, ignore_errors=True)


def failed_jobs(root: Path) -> list[dict[str, Any]]:
    """The rows of the sweep's jobs that failed (their error and exit status)."""
    from nnlite.runs.results.sweep_jobs import summary_rows

    try:
        return [row for row in summary_rows(root)[1] if row.get("status") == "failed"]
    except FileNotFoundError:
        return []


class SweepSummary(Callback):
    """Writes summary.csv and summary.md at the sweep's root after `-m` runs, then starts
    a process that draws its plots (not waited for); with `logger=mlflow`, the sweep is
    an MLflow parent run holding one child run per job."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        root = Path(config.hydra.sweep.dir)
        reserve_sweep(root)  # before Hydra writes multirun.yaml: one sweep per folder
        ACTIVE[:] = [root]
        settings = _mlflow_settings(config)
        if settings is not None:
            from nnlite.loggers import missing
            from nnlite.loggers.mlflow_log import start_parent

            if missing("mlflow") is None:  # else every job refuses the config itself
                start_parent(Path(config.hydra.sweep.dir), settings, str(config.name))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        root = Path(config.hydra.sweep.dir)
        ACTIVE.clear()
        summarize_sweep(root, background_plots=True)
        settings = _mlflow_settings(config)
        if settings is not None:
            from nnlite.loggers.mlflow_log import end_parent

            end_parent(root, settings)
        failed = failed_jobs(root)
        if failed:  # every result is kept; the command says that some jobs failed
            first = failed[0]
            print(f"nnlite: {len(failed)} of {len(job_dirs(root))} jobs failed "
                  f"({root / 'summary.md'} lists them); job {first['job']} "
                  f"({first.get('overrides') or 'no overrides'}): {first.get('error')}",
                  file=sys.stderr)
            sys.exit(int(first.get("exit_status") or 1))


def _mlflow_settings(config: DictConfig) -> dict[str, Any] | None:
    from omegaconf import OmegaConf

    if not config.get("logger"):  # no logger group chosen: nothing to start or end
        return None
    loggers = OmegaConf.to_container(config.get("logger"), resolve=True)
    return loggers.get("mlflow") if "mlflow" in loggers else None
