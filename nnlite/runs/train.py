"""A run's lifecycle: build it, train it, record it, whatever the outcome.

`train(config, out_dir)` is plain Python (no Hydra): the command line composes a
config with Hydra and calls it; tests and notebooks can call it with a dict. The
loop itself is `nnlite.runs.trainer.Trainer.fit`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from nnlite.hooks.manager import manager
from nnlite.runs.build import build_run
from nnlite.runs.config import ConfigError
from nnlite.runs.recorder import RunRecorder
from nnlite.runs.run import Diverged
from nnlite.runs.summary import summarize
from nnlite.runs.trainer import Trainer

log = logging.getLogger("nnlite")


def train(config: dict[str, Any], out_dir: Path | str | None = None,
          progress: bool = False, background_plots: bool = False) -> dict[str, Any]:
    """Train as `config` says and (if out_dir is given) write the run's files there.
    With `background_plots`, the PNGs are drawn by a process of their own that this call
    does not wait for (the command line does this for a single run).

    Returns the summary dict (also written as summary.json). Statuses: completed,
    interrupted (Ctrl-C), diverged (NaN/inf loss) or failed (an exception, re-raised
    after the summary is written).
    """
    try:
        run = build_run(config, Path(out_dir) if out_dir else None)
        trainer = Trainer(run)
    except (ValueError, FileNotFoundError, ImportError) as err:
        # Raised while building from the config, before any training: a user mistake
        # (a dataset argument, a missing file, an optimizer option), not a crash.
        raise ConfigError(str(err)) from err
    recorder = None
    if run.out_dir is not None:
        recorder = RunRecorder(run.out_dir, config, run.model_spec, background_plots)
        trainer.recorder = recorder
    manager.hook.nnlite_run_start(run=run)
    status, error = "completed", None
    start = time.perf_counter()
    try:
        trainer.fit(progress=progress)
    except KeyboardInterrupt:
        status = "interrupted"
    except Diverged as err:
        status, run.stop_reason = "diverged", str(err)
    except Exception as err:
        status, error = "failed", err
    summary = summarize(run, status, time.perf_counter() - start)
    if recorder is not None:
        recorder.finish(run, summary)
    manager.hook.nnlite_run_end(run=run, summary=summary)
    log.info("%s: %s after %d epochs; final %s", config.get("name"), status, summary["epochs"],
             ", ".join(f"{k}={v:.4g}" for k, v in summary["final"].items()))
    if error is not None:
        raise error
    return summary
