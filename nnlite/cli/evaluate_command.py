"""`python -m nnlite evaluate RUN_DIR DATA`: a trained run's metrics on labelled data,
a .csv/.npz file or one of the run's own splits (train, val, test)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nnlite.cli import trust


def evaluate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnlite evaluate",
        description="Loss and accuracy (classifiers) or loss, MSE and R^2 (regression) of "
                    "a trained run on labelled data.")
    p.add_argument("run_dir", type=Path, help="a run folder, e.g. runs/xor/<timestamp>")
    trust.add_flag(p)
    p.add_argument("data", help="a .csv with the target column (read as the run read its "
                                "data), an .npz with arrays x and y, or train | val | test")
    return p


def evaluate_command(argv: list[str]) -> int:
    """Prints `metric value` lines; returns 0, or 1 after one `nnlite:` line."""
    args = evaluate_parser().parse_args(argv)
    from nnlite.registry import PluginError
    from nnlite.runs.results.inputs import labelled, trained_loss

    try:
        run = trust.load_trusted(args.run_dir, args.plugins)
        x, y = labelled(run, args.data)
        metrics = run.evaluate(x, y, trained_loss(run))
    except (OSError, ValueError, KeyError, PluginError) as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return 1
    print(f"{run.config.get('name')} on {args.data}")
    for key, value in metrics.items():
        print(f"  {key:<9} {int(value) if key == 'n' else f'{value:.6g}'}")
    return 0
