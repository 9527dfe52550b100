"""A run's lifecycle: build it, train it, record it, whatever the outcome.

`train(config, out_dir)` is plain Python (no Hydra): the command line composes a
config with Hydra and calls it; tests and notebooks can call it with a dict. The
loop itself is `nnlite.runs.training.trainer.Trainer.fit`.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from nnlite.data.scale import ScaleError
from nnlite.runs.training import checkpoint
from nnlite.runs.training import events
from nnlite.runs.training.build import build_run
from nnlite.runs.errors import ConfigError, DataError
from nnlite.runs.training.divergence import Diverged
from nnlite.runs.training.events import HookError
from nnlite.runs.folder.writing import json_safe, write_atomic
from nnlite.runs.folder.reservation import discard_new, refuse_used
from nnlite.runs.folder.recorder import RunRecorder
from nnlite.runs.training.summary import summarize
from nnlite.runs.training.trainer import Trainer

log = logging.getLogger("nnlite")


def train(config: dict[str, Any], out_dir: Path | str | None = None,
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
    if out_dir is not None and not resume:
        refuse_used(Path(out_dir))
    try:
        run = build_run(config, Path(out_dir) if out_dir else None)
        trainer = Trainer(run)
        if resume and (run.out_dir / checkpoint.FILE).is_file():
            trainer.resume_from = checkpoint.read(run.out_dir / checkpoint.FILE)
    except (ValueError, FileNotFoundError, ImportError) as err:
        # Raised while building from the config, before any training: a user mistake
        # (a dataset argument, a missing file, an optimizer option), not a crash.
        if isinstance(err, ConfigError):
            raise  # already says which kind of mistake (DataError, ConfigError)
        kind = DataError if isinstance(err, (ScaleError, FileNotFoundError)) else ConfigError
        raise kind(str(err)) from err
    recorder = None
    if run.out_dir is not None:
        recorder = RunRecorder(run.out_dir, config, run.model_spec, background_plots)
        trainer.recorder = recorder
        trainer.checkpointer = checkpoint.Checkpointer(
            run.out_dir, config["trainer"].get("checkpoint_every_s", 2.0))
    try:
        events.run_start(run)
    except HookError:
        if recorder is not None and not resume:
            discard_new(run.out_dir)  # nothing was trained: no half-made run folder
        raise
    status, error = "completed", None
    start = time.perf_counter()
    try:
        trainer.fit(progress=progress)
    except KeyboardInterrupt:
        status = "interrupted"
    except Diverged as err:
        status, run.stop_reason = "diverged", str(err)
        if trainer.checkpointer is not None and trainer.checkpointer.latest is not None:
            # never save NaN weights as the model: the last finite ones, as checkpointed
            run.model.load_state_dict(trainer.checkpointer.latest_model())
    except Exception as err:  # a hook's HookError too: recorded, then raised
        status, error = "failed", err
    if trainer.checkpointer is not None:
        trainer.checkpointer.flush()
    if status in ("completed", "interrupted") and run.history:
        run.test_metrics = trainer.test_metrics()
    summary = summarize(run, status, time.perf_counter() - start)
    if error is not None:
        summary["error"] = repr(error) if not isinstance(error, HookError) else str(error)
    if recorder is not None:
        recorder.finish(run, summary)
    try:
        events.run_end(run, summary)
    except HookError as err:
        # the summary must not say "completed" when the run's last step failed
        summary.update(status="failed", error=str(err))
        if recorder is not None:
            write_atomic(run.out_dir / "summary.json",
                         json.dumps(json_safe(summary), indent=2, allow_nan=False))
        error = error or err
    log.info("%s: %s after %d epochs; final %s", config.get("name"), status, summary["epochs"],
             ", ".join(f"{k}={v:.4g}" for k, v in summary["final"].items()))
    if error is not None:
        raise error
    return summary
