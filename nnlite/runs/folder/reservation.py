"""One writer per folder: a run reserves its folder before it writes anything, a sweep
its sweep folder, a resume the run it continues; a start that is refused leaves the
folder exactly as it was.

A reservation is a file created exclusively (`O_CREAT | O_EXCL`: of ten processes, one
succeeds), holding the reserving process's token. The command line reserves a folder it
is given (`hydra.run.dir=...`) before Hydra writes its own files there, and the run then
finds its own token (`NNLITE_RUN_TOKEN` passes it on). `remove_unused` tidies up after a
refused start without ever removing what a run wrote or another process reserved.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from nnlite.runs.config.errors import ConfigError

# What a run writes (checkpoint.npz, best.npz included): their presence means "a run's".
RUN_FILES = ("config.yaml", "metrics.csv", "summary.json", "model.npz", "checkpoint.npz",
             "best.npz", "run_info.json")
# What RunRecorder writes when a run starts, before any training.
START_FILES = ("config.yaml", "run_info.json")
RUN_MARK = ".nnlite-run"        # this folder is one run's
SWEEP_MARK = ".nnlite-sweep"    # this folder is one sweep's
RESUMING = ".nnlite-resume"     # a process is continuing this run now
TOKEN_ENV = "NNLITE_RUN_TOKEN"
TEMPORARY = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")  # write_atomic's names


def token() -> str:
    """This process's reservation token (inherited by the processes it starts)."""
    return os.environ.setdefault(TOKEN_ENV, secrets.token_hex(8))


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


def _claim(mark: Path, what: str) -> None:
    """Create `mark` exclusively with our token; a mark of ours already there is fine."""
    try:
        fd = os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if _holder(mark) == token():
            return
        raise ConfigError(f"{str(mark.parent)!r} is {what} of another process (it holds "
                          f"{mark.name}); two never share a folder: choose another one") \
            from None
    with os.fdopen(fd, "w") as f:
        f.write(token())


def _holder(mark: Path) -> str | None:
    try:
        return mark.read_text()[:64]
    except OSError:
        return None


def reserve_run(folder: Path) -> None:
    """Make `folder` this process's new run folder, or refuse (ConfigError)."""
    folder = Path(folder)
    refuse_used(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _claim(folder / RUN_MARK, "the run folder")
    refuse_used(folder)  # a run that finished between the check and the claim


def reserve_sweep(folder: Path) -> None:
    """Make `folder` this process's sweep folder before Hydra writes multirun.yaml."""
    folder = Path(folder)
    if (folder / "multirun.yaml").exists() and _holder(folder / SWEEP_MARK) != token():
        raise ConfigError(f"{str(folder)!r} already holds a sweep (multirun.yaml); a sweep "
                          f"never writes over another: choose another hydra.sweep.dir")
    folder.mkdir(parents=True, exist_ok=True)
    _claim(folder / SWEEP_MARK, "the sweep folder")


@contextmanager
def resuming(folder: Path) -> Iterator[None]:
    """Hold the run in `folder` for one resume; a second resume at once is refused. A
    hold left by a process that no longer exists (kill -9) is taken over."""
    mark = Path(folder) / RESUMING
    holder = _holder(mark)
    if holder and not _alive(holder.partition(":")[0]):
        mark.unlink(missing_ok=True)
    try:
        fd = os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise ConfigError(f"resume={str(folder)!r}: the run is being resumed by another "
                          f"process ({_holder(mark)}); wait for it to end") from None
    with os.fdopen(fd, "w") as f:
        f.write(f"{os.getpid()}:{token()}")
    try:
        yield
    finally:
        mark.unlink(missing_ok=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(folder: Path) -> list[str]:
    """Remove the temporary files of interrupted atomic writes (a kill -9 mid-write) whose
    process is gone; the names removed."""
    removed = []
    for path in Path(folder).iterdir():
        found = TEMPORARY.match(path.name)
        if found and path.is_file() and not _alive(found.group(1)):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def discard_new(folder: Path) -> None:
    """Undo a new run's start (the files RunRecorder writes first) when its start failed
    before training."""
    for name in START_FILES:
        (Path(folder) / name).unlink(missing_ok=True)
    remove_unused(folder)


def remove_unused(folder: Path) -> None:
    """Remove `folder` if it holds nothing but what Hydra puts in a new run folder
    (`.hydra/`, `*.log`) and this process's reservation, then its parent (the
    experiment's folder) if that is left empty. A folder holding anything else, or
    another process's reservation, is left exactly as it is."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    mark = folder / RUN_MARK
    if mark.exists() and _holder(mark) != token():
        return
    if any(p.name not in (".hydra", RUN_MARK) and not p.name.endswith(".log")
           for p in folder.iterdir()):
        return
    shutil.rmtree(folder, ignore_errors=True)
    parent = folder.parent
    try:
        parent.rmdir()  # only succeeds when empty
    except OSError:
        pass
