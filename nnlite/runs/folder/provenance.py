"""Where a run came from: nnlite, Python and numpy versions, the machine, the start time
and the git commit of the working directory's repository (when there is one).

Written as run_info.json at the start of every run (runs/folder/recorder.py), so a result can be
traced to the code that made it. git is asked with a short timeout, and its absence or a
folder outside any repository only leaves `git` as null.
"""

from __future__ import annotations

import datetime
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.version import __version__


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_info(folder: Path | str) -> dict[str, Any] | None:
    """{commit, dirty (uncommitted changes to tracked files), root} of the repository
    holding `folder`, or None outside one (or without git)."""
    folder = Path(folder)
    commit = _git(["rev-parse", "HEAD"], folder)
    if commit is None:
        return None
    status = _git(["status", "--porcelain", "--untracked-files=no"], folder)
    return {"commit": commit, "dirty": bool(status), "root": _git(["rev-parse",
                                                                   "--show-toplevel"], folder)}


def run_info(cwd: Path | str | None = None) -> dict[str, Any]:
    """The run_info.json contents for a run started now from `cwd` (default: the
    working directory)."""
    return {
        "nnlite": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "git": git_info(Path.cwd() if cwd is None else cwd),
    }
