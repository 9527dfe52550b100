"""`python -m nnlite.report SWEEP_DIR`: rebuild a sweep's summary from its job folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nnlite.runs.safe_read import RunFileError
from nnlite.runs.sweep import write_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnlite.report",
                                     description="Rebuild a sweep's summary from its job folders.")
    parser.add_argument("sweep_dir", type=Path, help="runs/multirun/<experiment>/<timestamp>")
    args = parser.parse_args(argv)
    try:
        rows = write_summary(args.sweep_dir)
    except (FileNotFoundError, RunFileError) as err:
        print(f"nnlite.report: {err}", file=sys.stderr)
        return 1
    print((args.sweep_dir / "summary.md").read_text())
    print(f"{len(rows)} jobs summarised in {args.sweep_dir}/summary.csv and summary.md")
    return 0

