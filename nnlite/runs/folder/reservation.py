"""Run folders: a run never writes into a folder that holds another run's files, and a
start that is refused leaves no folder behind.

`refuse_used` is called before a new run writes anything; `remove_unused` tidies up
after a refused start (Hydra makes the folder, with `.hydra/` and a log, before the run
code is reached) without ever removing anything a run wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nnlite.runs.config.errors import ConfigError

# What a run writes (checkpoint.npz, best.npz included): their presence means "a run's".
RUN_FILES = ("config.yaml", "metrics.csv", "summary.json", "model.npz", "checkpoint.npz",
             "best.npz", "run_info.json")
# What RunRecorder writes when a run starts, before any training.
START_FILES = ("config.yaml", "run_info.json")


def run_files(folder: Path) -> list[str]:
    """The run files `folder` holds (empty if it holds none, or does not exist)."""
    return [name for name in RUN_FILES if (Path(folder) / name).exists()]


def refuse_used(folder: Path) -> None:
    """ConfigError if `folder` already holds a run's files: writing there would mix two
    runs and lose the first."""
    found = run_files(folder)
    if found:
        raise ConfigError(
            f"{str(folder)!r} already holds a run ({', '.join(found)}); a run never writes "
            f"over another: choose another hydra.run.dir, or continue that run with "
            f"resume={folder}")


def discard_new(folder: Path) -> None:
    """Undo a new run's start (the files RunRecorder writes first) when its start failed
    before training."""
    for name in START_FILES:
        (Path(folder) / name).unlink(missing_ok=True)
    remove_unused(folder)


def remove_unused(folder: Path) -> None:
    """Remove `folder` if it holds nothing but what Hydra puts in a new run folder
    (`.hydra/`, `*.log`), then its parent (the experiment's folder) if that is left
    empty. A folder holding anything else is left exactly as it is."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    if any(p.name != ".hydra" and not p.name.endswith(".log") for p in folder.iterdir()):
        return
    shutil.rmtree(folder, ignore_errors=True)
    parent = folder.parent
    try:
        parent.rmdir()  # only succeeds when empty
    except OSError:
        pass
