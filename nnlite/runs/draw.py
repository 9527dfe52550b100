"""The drawing process: a finished run's (or sweep's) plots, drawn from its folder.

    python -m nnlite.runs.draw RUN_DIR
    python -m nnlite.runs.draw --sweep SWEEP_DIR

Started by `nnlite.runs.folder.background.start_drawing` and not waited for; run it by hand to
redraw. Everything it needs is in the folder (config, metrics, model); the training data
are rebuilt from the config, exactly as training built them. PNGs are written under a
temporary name and renamed, so a reader never sees a half-written one. It sits above
the rest of runs/ because it uses all of it: the folder's readers, the data builder and
the sweep tables.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nnlite.atomic import write_atomic
from nnlite.runs.folder.background import FAILED, redraw_command


def draw_run(run_dir: Path) -> None:
    """Every plot of the run in `run_dir`, as the run itself would have drawn them."""
    from nnlite.plots.run import plot_run
    from nnlite.runs.config.typed import as_config
    from nnlite.runs.folder.loading import load_run
    from nnlite.runs.metrics import predict_labels
    from nnlite.runs.training.build import build_data

    run = load_run(run_dir)
    config = as_config(run.config)
    parts, _ = build_data(config)
    train = parts["train"]
    threshold = float(run.meta.get("threshold", 0.0))  # as training scored a binary output
    plot_run(run_dir, run.records, run.model, train, config.name, [],
             lambda outputs: predict_labels(outputs, train.task, threshold),
             val=parts.get("val"))


def draw_sweep(root: Path) -> None:
    """The plots at a sweep's root, as `write_summary` draws them."""
    from nnlite.runs.results.sweep import plot_summary
    from nnlite.runs.results.sweep_jobs import summary_rows

    plot_summary(root, *summary_rows(root))


def draw_command(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnlite.runs.draw",
                                     description="Draw a finished run's or sweep's plots.")
    parser.add_argument("--sweep", action="store_true", help="FOLDER is a sweep's root")
    parser.add_argument("folder", type=Path, help="the run's (or sweep's) folder")
    args = parser.parse_args(argv)
    try:
        if args.sweep:
            draw_sweep(args.folder)
        else:
            draw_run(args.folder)
    except Exception as err:  # the command that started us has returned: leave a record
        if args.folder.is_dir():  # (not in a folder deleted meanwhile: no new folder)
            write_atomic(args.folder / FAILED,
                         f"drawing the plots failed: {type(err).__name__}: {err}\n"
                         f"redraw: {redraw_command(args.folder, args.sweep)}\n")
        raise
    (args.folder / FAILED).unlink(missing_ok=True)  # a redraw that works clears an old failure
    return 0


if __name__ == "__main__":
    raise SystemExit(draw_command())
