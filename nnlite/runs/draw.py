"""Drawing a finished run's plots from its folder, in a process of its own.

    python -m nnlite.runs.draw RUN_DIR

Importing matplotlib and drawing take longer than a small run trains. So the command
line, for a single run, writes every other file first and leaves the PNGs to this
process, which it does not wait for (`start`). Everything it needs is in the run folder
(config, metrics, model); the training data are rebuilt from the config, exactly as
training built them. PNGs are written under a temporary name and renamed (`save`), so a
reader (`load_run`, an image viewer) never sees a half-written one.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger("nnlite")


def can_draw_later(config: dict[str, Any]) -> bool:
    """Whether a run's plots can be drawn from its folder alone: not when they need what
    only the training process had (weights at `snapshot_epochs`) or plugins."""
    return not config.get("plugins") and not config["trainer"].get("snapshot_epochs")


def start(run_dir: Path) -> subprocess.Popen:
    """Start drawing `run_dir`'s plots in a detached process; return at once."""
    return subprocess.Popen([sys.executable, "-m", "nnlite.runs.draw", str(run_dir)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def draw(run_dir: Path) -> None:
    """Every plot of the run in `run_dir`, as the run itself would have drawn them."""
    from nnlite.plots.run import plot_run
    from nnlite.runs.build import build_data
    from nnlite.runs.metrics import predict_labels
    from nnlite.runs.reading import load_run

    run = load_run(run_dir)
    parts, _ = build_data(run.config)
    train = parts["train"]
    threshold = float(run.meta.get("threshold", 0.0))  # as training scored a binary output
    plot_run(run_dir, run.records, run.model, train, run.config.get("name", "run"), [],
             lambda outputs: predict_labels(outputs, train.task, threshold),
             val=parts.get("val"))


def main(argv: list[str] | None = None) -> int:
    (run_dir,) = sys.argv[1:] if argv is None else argv
    draw(Path(run_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
