"""A run's life, as a small state machine: start, fit, end, whatever the outcome.

    start  check the config, build the run, open its folder, tell the plugins
    fit    the loop (`Trainer.fit`); its outcome is a status, never an escape:
           completed | interrupted (Ctrl-C, SIGTERM) | diverged | failed (an exception)
    end    the model and metrics written, the end hooks told, then summary.json, once,
           with the status the hooks leave it; the plots last; a failure raised again

`train(config, out_dir)` is plain Python (no Hydra): the command line composes a
config with Hydra and calls it; tests and notebooks can call it with a dict.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnlite.data.scale import ScaleError
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.errors import ConfigError, DataError
from nnlite.runs.config.schema import Config
from nnlite.runs.folder.recorder import RunRecorder
from nnlite.runs.folder.reservation import (
    discard_new,
    remove_leftovers,
    remove_unused,
    reserve_run,
    resuming,
)
from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.run import Run
from nnlite.runs.training import checkpoint, events
from nnlite.runs.training.build import build_run
from nnlite.runs.training.divergence import Diverged
from nnlite.runs.training.events import HookError
from nnlite.runs.training.resume_check import check_fits
from nnlite.runs.training.shield import interrupts_held
from nnlite.runs.training.summary import summarize
from nnlite.runs.training.trainer import Trainer

log = logging.getLogger("nnlite")


@dataclass
class Started:
    """A run that has started: built, its folder open, the plugins told."""

    run: Run
    trainer: Trainer
    recorder: RunRecorder | None
    resume_from: checkpoint.Saved | None


@dataclass
class Outcome:
    """How fitting ended: the status, the exception of a failed run, the time it took."""

    status: str
    error: BaseException | None
    wall_time: float


def train(config: Config | dict[str, Any], out_dir: Path | str | None = None,
          progress: bool = False, resume: bool = False,
          background_plots: bool = False) -> dict[str, Any]:
    """Train as `config` says and (if out_dir is given) write the run's files there.
    With `background_plots`, the PNGs are drawn by a process of their own that this call
    does not wait for (the command line does this for a single run).

    Returns the summary dict (also written as summary.json). Statuses: completed,
    interrupted (Ctrl-C), diverged (NaN/inf loss) or failed (an exception, re-raised
    after the summary is written). With `resume`, the run goes on from out_dir's
    checkpoint.npz (from the start if there is none yet), bit for bit as if it had
    never stopped; the checkpoint is checked to fit first, and nothing is written if it
    does not. A run reserves its folder before writing; a resume holds it.
    """
    config = checked_config(config)
    folder = Path(out_dir) if out_dir is not None else None
    if folder is None or not resume:
        started = start(config, folder, resume, background_plots)
        return end(started, fit(started, progress))
    with resuming(folder):
        remove_leftovers(folder)
        started = start(config, folder, resume, background_plots)
        return end(started, fit(started, progress))


def start(config: Config, out_dir: Path | None, resume: bool, background_plots: bool) -> Started:
    """Build the run and open its folder; a start refused before training leaves no
    half-made folder behind."""
    if out_dir is not None and not resume:
        reserve_run(out_dir)
    try:
        run, resume_from = _build(config, out_dir, resume)
    except BaseException:
        if out_dir is not None and not resume:
            remove_unused(out_dir)  # refused before anything was written: leave nothing
        raise
    recorder = checkpointer = None
    if out_dir is not None:
        recorder = RunRecorder(out_dir, config, background_plots)
        checkpointer = checkpoint.Checkpointer(out_dir, config.trainer.checkpoint_every_s)
    try:
        events.run_start(run)
    except HookError:
        if recorder is not None and not resume:
            discard_new(out_dir)  # nothing was trained: no half-made run folder
        raise
    return Started(run, Trainer(run, recorder, checkpointer), recorder, resume_from)


def _build(config: Config, out_dir: Path | None, resume: bool
           ) -> tuple[Run, checkpoint.Saved | None]:
    """The run, and the checkpoint to go on from when resuming. What goes wrong here,
    before any training, is a user mistake (a dataset argument, a missing file, an
    optimizer option), not a crash: a ConfigError or DataError."""
    try:
        run = build_run(config, out_dir)
        saved = out_dir / checkpoint.FILE if out_dir is not None else None
        resume_from = checkpoint.read(saved) if resume and saved.is_file() else None
        if resume_from is not None:
            check_fits(run, resume_from, saved)  # before a byte of the folder changes
    except (ValueError, FileNotFoundError, ImportError) as err:
        if isinstance(err, (ConfigError, RunFileError)):
            raise  # already says which kind of mistake (DataError, ConfigError, a file)
        kind = DataError if isinstance(err, (ScaleError, FileNotFoundError)) else ConfigError
        raise kind(str(err)) from err
    return run, resume_from


def fit(started: Started, progress: bool) -> Outcome:
    """Train; every way training can end becomes a status."""
    run, trainer = started.run, started.trainer
    begin = time.perf_counter()
    status, error = "completed", None
    try:
        trainer.fit(progress=progress, resume_from=started.resume_from)
    except KeyboardInterrupt:
        status = "interrupted"
    except Diverged as err:
        status, run.stop_reason = "diverged", str(err)
        if trainer.checkpointer is not None and trainer.checkpointer.latest is not None:
            # never save NaN weights as the model: the last finite ones, as checkpointed
            run.model.load_state_dict(trainer.checkpointer.latest_model())
    except Exception as err:  # a hook's HookError too: recorded, then raised
        status, error = "failed", err
    return Outcome(status, error, time.perf_counter() - begin)


def end(started: Started, outcome: Outcome) -> dict[str, Any]:
    """Record the run however it ended; re-raise a failure once it is recorded. A file
    that cannot be written (a full disk) does not stop the others from being tried."""
    run, trainer, recorder = started.run, started.trainer, started.recorder
    unwritten: list[OSError] = []
    if trainer.checkpointer is not None:
        _attempt(unwritten, trainer.checkpointer.flush)
    if outcome.status in ("completed", "interrupted") and run.history:
        run.test_metrics = trainer.test_metrics()
    summary = summarize(run, outcome.status, outcome.wall_time)
    error = outcome.error
    if error is not None:
        summary["error"] = str(error) if isinstance(error, HookError) else repr(error)
    if recorder is not None:
        with interrupts_held():
            _attempt(unwritten, recorder.write_model, run)
    error, interrupted = _tell_end_hooks(run, summary, error)
    if recorder is not None:
        with interrupts_held():
            _attempt(unwritten, recorder.write_summary, summary)
        if not interrupted:
            recorder.write_plots(run)
        log.info("run files in %s", recorder.out_dir)
    log.info("%s: %s after %d epochs; final %s", run.config.name, summary["status"],
             summary["epochs"], ", ".join(f"{k}={v:.4g}" for k, v in summary["final"].items()))
    if interrupted:
        raise KeyboardInterrupt
    if error is not None or unwritten:
        raise error if error is not None else unwritten[0]
    return summary


def _attempt(unwritten: list[OSError], write: Any, *args: Any) -> None:
    try:
        write(*args)
    except OSError as err:
        unwritten.append(err)


def _tell_end_hooks(run: Run, summary: dict[str, Any], error: BaseException | None
                    ) -> tuple[BaseException | None, bool]:
    """The end hooks, told the summary; a hook that fails makes the run "failed" (the
    summary must not say "completed" when its last step failed), and an interrupt while
    they run is kept for after the summary is written."""
    try:
        events.run_end(run, summary)
    except HookError as err:
        summary.update(status="failed", error=str(err))
        return error or err, False
    except KeyboardInterrupt:
        return error, True
    return error, False
