"""The Hydra app behind `python -m nnlite +experiment=xor`.

Hydra composes the config (`nnlite.cli.composing`); `run_job` checks it (keys and types
by the schema, value checks after its plugins load) and hands the typed config to
`nnlite.runs.training.lifecycle.train`. User mistakes end with one clear message and an
exit status that says which kind of mistake (nnlite.cli.exit_codes), not a traceback.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from nnlite.cli import exit_codes, signals
from nnlite.cli.callbacks import summarize_stopped_sweep
from nnlite.cli.composing import hydra_app
from nnlite.cli.launchers import threads_per_job
from nnlite.messages import one_line
from nnlite.registry import PluginError
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.folder.recorder import record_failure
from nnlite.runs.folder.reservation import remove_unused, run_files
from nnlite.runs.results.objective import objective_value
from nnlite.runs.training.lifecycle import train
from nnlite.runs.training.threads import blas_threads

log = logging.getLogger("nnlite")


def run_job(cfg: DictConfig) -> float:
    """Validate, train, write files; return the objective (`report.objective`, by
    default the final validation loss, or the train loss without a val split): what
    sweepers such as Optuna optimise.

    An interrupted run (Ctrl-C, SIGTERM) ends the whole command once its files are
    written -- a sweep does not go on to its next job -- with exit status 130 or 143.
    """
    signals.stop_on_sigterm()
    config = checked_config(cfg)
    single = HydraConfig.get().mode != RunMode.MULTIRUN
    if config.plots is None:  # PNGs per job of a sweep cost more than the training
        config.plots = single
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    with blas_threads(threads_per_job(hydra_cfg.launcher)):  # the run may use fewer
        # a single run returns once its files are written; its PNGs follow
        summary = train(config, out_dir, progress=config.trainer.progress,
                        background_plots=single)
    if summary["status"] == "interrupted":
        print(f"nnlite: interrupted; the run so far is in {out_dir}", file=sys.stderr)
        summarize_stopped_sweep()
        sys.exit(signals.exit_status())
    if summary["status"] == "diverged" and HydraConfig.get().mode != RunMode.MULTIRUN:
        # (in a sweep, a diverged job is a result, e.g. of a learning-rate sweep)
        print(f"nnlite: {summary['stop_reason']}; the run (with its last finite weights) "
              f"is in {out_dir}", file=sys.stderr)
        sys.exit(exit_codes.DIVERGED)
    return objective_value(summary, config.report)


@hydra_app
def hydra_main(cfg: DictConfig) -> float:
    multirun = HydraConfig.get().mode == RunMode.MULTIRUN
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        return run_job(cfg)
    except KeyboardInterrupt:
        # stopped before training (importing a plugin, composing): nothing worth keeping
        _remove_unused_run_dir(out_dir)
        raise
    except (ConfigError, PluginError, OSError) as err:
        if multirun:  # a result of the sweep: recorded, and the other jobs go on
            return _job_failed(cfg, out_dir, err, exit_codes.for_error(err))
        # A user mistake: one clear line, no traceback, and no empty run folder left.
        if isinstance(err, OSError):
            print(f"nnlite: cannot write the run's files: {err}", file=sys.stderr)
        else:
            print(f"nnlite: {err}", file=sys.stderr)
            _remove_unused_run_dir(out_dir)
        sys.exit(exit_codes.for_error(err))
    except Exception as err:
        if multirun:
            return _job_failed(cfg, out_dir, err, exit_codes.CONFIG)
        raise


def _job_failed(cfg: DictConfig, out_dir: Path, err: BaseException, status: int) -> float:
    """A sweep's job that failed: its folder keeps the error (a job refused before
    training gets a summary.json saying so), and the sweeper sees no value. The sweep's
    summary lists it, and the command ends with its exit status (cli/callbacks.py)."""
    try:
        name = str(cfg.name)
    except Exception:  # the name itself may be what was refused
        name = None
    record_failure(out_dir, name, one_line(err), status)
    log.error("job %s failed: %s", out_dir.name, one_line(err))
    return float("nan")


def _remove_unused_run_dir(out_dir: Path) -> None:
    """Hydra makes the run folder (with .hydra/ and a log) before the job starts; a run
    refused before training leaves nothing worth keeping there (and an older run's
    folder is never touched)."""
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        remove_unused(out_dir)
    elif out_dir.is_dir() and not run_files(out_dir):
        shutil.rmtree(out_dir, ignore_errors=True)  # a job folder: the sweep root stays
