"""Example event plugin: write every epoch's metrics to <run dir>/metrics.jsonl.

Training-event hooks are called by the trainer with keyword arguments; implement only
the ones you need and take only the arguments you use. `nnlite_epoch_end` may return
True to stop the run (docs/plugins.md shows a stopping rule); this logger
only records. Each line is a JSON object: {"event": "epoch", "epoch": 0, "train_loss":
..., ...} for each epoch, then {"event": "end", "status": ..., "epochs": ...}.

Use it: `python -m nnlite +experiment=xor 'plugins=[plugins/jsonl_logger.py]'`. nnlite
ships the same logger built in as `logger=jsonl` (nnlite/loggers/jsonl.py); this file
shows how a logger is written as a plugin.
Runs without an output directory (`nl.train(config)` without out_dir) are skipped.
"""

import json
import math
from pathlib import Path
from typing import Any

import nnlite as nl

FILENAME = "metrics.jsonl"


def _append(run: Any, record: dict[str, Any]) -> None:
    if run.out_dir is None:
        return
    with open(Path(run.out_dir) / FILENAME, "a") as f:
        f.write(json.dumps(record) + "\n")


def _number(value: Any) -> Any:
    """JSON has no NaN or infinity: write those as null."""
    value = float(value)
    return value if math.isfinite(value) else None


@nl.hookimpl
def nnlite_run_start(run: Any) -> None:
    if run.out_dir is not None:
        (Path(run.out_dir) / FILENAME).write_text("")  # a fresh file for this run


@nl.hookimpl
def nnlite_epoch_end(run: Any, epoch: int, metrics: dict[str, float]) -> None:
    _append(run, {"event": "epoch", **{k: _number(v) for k, v in metrics.items()}})


@nl.hookimpl
def nnlite_run_end(run: Any, summary: dict[str, Any]) -> None:
    _append(run, {"event": "end", "status": summary["status"], "epochs": summary["epochs"]})
