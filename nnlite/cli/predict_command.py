"""`python -m nnlite predict RUN_DIR INPUT.csv|.npz [-o OUT.csv]`: a trained run's
predictions for new inputs, as CSV: the label and one probability column per class
(classifiers) or the predicted values (regression)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from nnlite.cli import trust
from nnlite.runs.folder.writing import write_atomic


def predict_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnlite predict",
        description="Predict with a trained run. The inputs are raw (the run's "
                    "standardisation is applied); a .csv is read as the run read its data "
                    "(delimiter, header), and a column matching its target is left out.")
    p.add_argument("run_dir", type=Path, help="a run folder, e.g. runs/xor/<timestamp>")
    trust.add_flag(p)
    p.add_argument("inputs", type=Path, help=".csv (one column per feature) or .npz (array x)")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="write the CSV here (default: print it)")
    return p


def predictions_csv(run, x: np.ndarray) -> str:
    """label,p_<class>... rows for classifiers; value (or value_0, value_1...) rows for
    regression; x: (N, D) raw inputs."""
    if run.task == "regression":
        values = run.predict(x)
        names = ["value"] if values.shape[1] == 1 else [f"value_{j}" for j in
                                                          range(values.shape[1])]
        rows = [",".join(f"{v:.6g}" for v in row) for row in values]
    else:
        proba = run.predict_proba(x)
        labels = run.classes[proba.argmax(axis=1)]
        names = ["label", *(f"p_{c}" for c in run.classes)]
        rows = [",".join([str(label), *(f"{p:.6g}" for p in row)])
                for label, row in zip(labels, proba)]
    return "\n".join([",".join(names), *rows]) + "\n"


def predict_command(argv: list[str]) -> int:
    """Returns the exit status: 0, or 1 after one `nnlite:` line on a bad run or input."""
    args = predict_parser().parse_args(argv)
    from nnlite.registry import PluginError
    from nnlite.runs.results.inputs import features

    try:
        run = trust.load_trusted(args.run_dir, args.plugins)
        x, _ = features(run, args.inputs)
        text = predictions_csv(run, x)
    except (OSError, ValueError, PluginError) as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
        print(f"{len(x)} predictions written to {args.output}", file=sys.stderr)
    return 0
