"""`python -m nnlite.report DIR [DIR ...] [-o OUT]`: rebuild a sweep's summary from its
job folders, or aggregate several sweeps, or a folder of single runs, into one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.results.listing import run_folders
from nnlite.runs.results.sweep import write_summary
from nnlite.runs.results.sweep_jobs import job_dirs


def runs_to_summarise(folder: Path) -> list[Path]:
    """The runs to summarise in `folder`: a sweep's job folders, or else every run folder
    (holding config.yaml) below it, e.g. runs/moons/ with one folder per run."""
    jobs = job_dirs(folder)
    if jobs:
        return jobs
    return [run for run in run_folders(folder) if run != folder]


def report_command(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nnlite.report",
        description="Rebuild a sweep's summary from its job folders; given several sweeps "
                    "or a folder of single runs, summarise them all together.")
    parser.add_argument("dirs", type=Path, nargs="+",
                        help="runs/multirun/<experiment>/<timestamp>, or e.g. runs/moons")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="where the summary goes (default: the folder, when there is "
                             "one; else ./report)")
    args = parser.parse_args(argv)
    jobs = [job for folder in args.dirs for job in runs_to_summarise(folder)]
    single_sweep = len(args.dirs) == 1 and bool(job_dirs(args.dirs[0]))
    out = args.output or (args.dirs[0] if len(args.dirs) == 1 else Path("report"))
    try:
        rows = write_summary(out, None if single_sweep and out == args.dirs[0] else jobs)
    except (FileNotFoundError, RunFileError) as err:
        print(f"nnlite.report: {err}", file=sys.stderr)
        return 1
    print((out / "summary.md").read_text())
    print(f"{len(rows)} jobs summarised in {out}/summary.csv and summary.md")
    return 0
