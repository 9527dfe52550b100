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
from nnlite.cli.callbacks import summarize_sweep
from nnlite.cli.composing import hydra_app
from nnlite.cli.launchers import threads_per_job
from nnlite.registry import PluginError
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.folder.reservation import remove_unused, run_files
from nnlite.runs.results.objective import objective_value
from nnlite.runs.results.sweep_jobs import job_dirs
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
        _summarize_stopped_sweep()
        sys.exit(signals.exit_status())
    if summary["status"] == "diverged" and HydraConfig.get().mode != RunMode.MULTIRUN:
        # (in a sweep, a diverged job is a result, e.g. of a learning-rate sweep)
        print(f"nnlite: {summary['stop_reason']}; the run (with its last finite weights) "
              f"is in {out_dir}", file=sys.stderr)
        sys.exit(exit_codes.DIVERGED)
    return objective_value(summary, config.report)


@hydra_app
def hydra_main(cfg: DictConfig) -> float:
    try:
        return run_job(cfg)
    except (ConfigError, PluginError) as err:
        # A user mistake: one clear line, no traceback, and no empty run folder left.
        print(f"nnlite: {err}", file=sys.stderr)
        _remove_unused_run_dir(Path(HydraConfig.get().runtime.output_dir))
        _summarize_stopped_sweep()
        sys.exit(exit_codes.for_error(err))
    except KeyboardInterrupt:
        # stopped before training (importing a plugin, composing): nothing worth keeping
        _remove_unused_run_dir(Path(HydraConfig.get().runtime.output_dir))
        raise
    except OSError as err:
        # read-only folder, full disk (ulimit -f), permissions: not a bug in nnlite
        print(f"nnlite: cannot write the run's files: {err}", file=sys.stderr)
        _summarize_stopped_sweep()
        sys.exit(exit_codes.FILES)
    except Exception:
        _summarize_stopped_sweep()  # Hydra ends the sweep here, before its own summary
        raise


def _remove_unused_run_dir(out_dir: Path) -> None:
    """Hydra makes the run folder (with .hydra/ and a log) before the job starts; a run
    refused before training leaves nothing worth keeping there (and an older run's
    folder is never touched)."""
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        remove_unused(out_dir)
    elif out_dir.is_dir() and not run_files(out_dir):
        shutil.rmtree(out_dir, ignore_errors=True)  # a job folder: the sweep root stays


def _summarize_stopped_sweep() -> None:
    """When a job ends a sweep early (interrupted, refused, failed), summarise the jobs
    so far; a sweep folder left with no job at all is removed."""
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        return
    root = Path(HydraConfig.get().sweep.dir)
    if job_dirs(root):
        summarize_sweep(root)
    elif root.is_dir() and {p.name for p in root.iterdir()} <= {"multirun.yaml"}:
        shutil.rmtree(root, ignore_errors=True)
