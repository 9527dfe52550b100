"""Starting the process that draws a run's (or a sweep's) plots from its folder.

Importing matplotlib and drawing take longer than a small run trains, so a single run
writes every other file first and leaves its PNGs to a process of their own, which it
does not wait for; so does a `-m` sweep for the plots at its root. That process is
`python -m nnlite.runs.draw` (nnlite/runs/draw.py), which reads nothing but the folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nnlite.runs.config.schema import Config

DRAWER = "nnlite.runs.draw"  # the module the process runs
FAILED = "plots_failed.txt"  # what a failed drawing leaves: nobody sees its stderr


def can_draw_later(config: Config) -> bool:
    """Whether a run's plots can be drawn from its folder alone: not when they need what
    only the training process had (weights at `snapshot_epochs`) or plugins."""
    return not config.plugins and not config.trainer.snapshot_epochs


def redraw_command(folder: Path, sweep: bool = False) -> str:
    """The command that draws (again) the plots of the run or sweep in `folder`."""
    return f"python -m {DRAWER} {'--sweep ' if sweep else ''}{folder}"


def start_drawing(folder: Path, sweep: bool = False) -> subprocess.Popen:
    """Start drawing the plots of the run (or, with `sweep`, the sweep) in `folder` in a
    detached process; return at once."""
    which = ["--sweep"] if sweep else []
    return subprocess.Popen([sys.executable, "-m", DRAWER, *which, str(folder)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
