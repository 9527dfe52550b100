"""`write_atomic`: a file appears whole or not at all.

Every file nnlite writes (run files, checkpoints, plots, reports) goes to a temporary
name in the same folder, is flushed to disk, and is renamed over its real name, so a
reader (or an interrupted writer) never sees half a file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same directory, then rename over `path`.

    The temporary file is opened like any other, so `path` ends up with the mode
    `open(path, "w")` would give it (0666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # "x": a new file, so a failure below never removes another writer's file.
    f = open(tmp, "xb" if isinstance(data, bytes) else "x")  # noqa: SIM115  (closed below)
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
