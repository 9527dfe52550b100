"""Drawing a finished run's (or sweep's) plots from its folder, in a process of its own.

    python -m nnlite.runs.draw RUN_DIR
    python -m nnlite.runs.draw --sweep SWEEP_DIR

Importing matplotlib and drawing take longer than a small run trains. So the command
line, for a single run, writes every other file first and leaves the PNGs to this
process, which it does not wait for (`start`); so does a `-m` sweep for the plots at
its root, once summary.csv and summary.md are written. Everything it needs is in the
run folder (config, metrics, model); the training data are rebuilt from the config,
exactly as training built them. PNGs are written under a temporary name and renamed
(`save`), so a reader (`load_run`, an image viewer) never sees a half-written one.
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


def start(folder: Path, sweep: bool = False) -> subprocess.Popen:
    """Start drawing the plots of the run (or, with `sweep`, the sweep) in `folder` in a
    detached process; return at once."""
    which = ["--sweep"] if sweep else []
    return subprocess.Popen([sys.executable, "-m", "nnlite.runs.draw", *which, str(folder)],
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


def draw_sweep(root: Path) -> None:
    """The plots at a sweep's root, as `write_summary` draws them."""
    from nnlite.runs.sweep import plot_summary, summary_rows

    plot_summary(root, *summary_rows(root))


FAILED = "plots_failed.txt"  # written when drawing fails: nobody sees this process's stderr


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nnlite.runs.draw",
                                     description="Draw a finished run's or sweep's plots.")
    parser.add_argument("--sweep", action="store_true", help="FOLDER is a sweep's root")
    parser.add_argument("folder", type=Path, help="the run's (or sweep's) folder")
    args = parser.parse_args(argv)
    try:
        if args.sweep:
            draw_sweep(args.folder)
        else:
            draw(args.folder)
    except Exception as err:  # the command that started us has returned: leave a record
        if args.folder.is_dir():  # (not in a folder deleted meanwhile: no new folder)
            from nnlite.atomic import write_atomic

            write_atomic(args.folder / FAILED,
                         f"drawing the plots failed: {type(err).__name__}: {err}\nredraw: "
                         f"python -m nnlite.runs.draw {'--sweep ' if args.sweep else ''}"
                         f"{args.folder}\n")
        raise
    (args.folder / FAILED).unlink(missing_ok=True)  # a redraw that works clears an old failure
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
