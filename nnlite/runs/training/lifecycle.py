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
from nnlite.runs.folder.reservation import discard_new, refuse_used
from nnlite.runs.run import Run
from nnlite.runs.training import checkpoint, events
from nnlite.runs.training.build import build_run
from nnlite.runs.training.divergence import Diverged
from nnlite.runs.training.events import HookError
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
    never stopped.
    """
    started = start(checked_config(config), Path(out_dir) if out_dir is not None else None,
                    resume, background_plots)
    return end(started, fit(started, progress))


def start(config: Config, out_dir: Path | None, resume: bool, background_plots: bool) -> Started:
    """Build the run and open its folder; a start refused before training leaves no
    half-made folder behind."""
    if out_dir is not None and not resume:
        refuse_used(out_dir)
    run, resume_from = _build(config, out_dir, resume)
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
    except (ValueError, FileNotFoundError, ImportError) as err:
        if isinstance(err, ConfigError):
            raise  # already says which kind of mistake (DataError, ConfigError)
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
    """Record the run however it ended; re-raise a failure once it is recorded."""
    run, trainer, recorder = started.run, started.trainer, started.recorder
    if trainer.checkpointer is not None:
        trainer.checkpointer.flush()
    if outcome.status in ("completed", "interrupted") and run.history:
        run.test_metrics = trainer.test_metrics()
    summary = summarize(run, outcome.status, outcome.wall_time)
    error = outcome.error
    if error is not None:
        summary["error"] = str(error) if isinstance(error, HookError) else repr(error)
    if recorder is not None:
        recorder.write_model(run)
    try:
        events.run_end(run, summary)
    except HookError as err:
        # the summary must not say "completed" when the run's last step failed
        summary.update(status="failed", error=str(err))
        error = error or err
    if recorder is not None:
        recorder.write_summary(summary)
        recorder.write_plots(run)
        log.info("run files in %s", recorder.out_dir)
    log.info("%s: %s after %d epochs; final %s", run.config.name, summary["status"],
             summary["epochs"], ", ".join(f"{k}={v:.4g}" for k, v in summary["final"].items()))
    if error is not None:
        raise error
    return summary
