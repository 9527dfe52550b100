"""Exit codes of `python -m nnlite`: each says what kind of thing stopped the command.

A user-side failure prints one `nnlite:` line and exits with one of these; README.md
lists them. Status 1 is also Hydra's own for a mistake in composing the config (an
unknown override), so config mistakes share it; a bug inside nnlite itself shows its
traceback (and also ends with 1, as Python and Hydra end any uncaught error).
"""

from __future__ import annotations

from nnlite.registry import PluginError
from nnlite.runs.config.errors import ConfigError, DataError

OK = 0
CONFIG = 1       # the config or command line: a key, a value, a name, a used run folder
DATA = 3         # the data: a missing file, values not finite or too large to compute with
DIVERGED = 4     # training diverged: a loss, weight, gradient or activation not finite
PLUGIN = 5       # a plugin could not be loaded or registered
FILES = 6        # the run's files could not be written (read-only, full disk, permissions)
INTERRUPTED = 130  # Ctrl-C; 143 for SIGTERM (128 + the signal's number, as shells use)


def for_error(err: BaseException) -> int:
    """The exit code of a user-side failure."""
    if isinstance(err, DataError):
        return DATA
    if isinstance(err, ConfigError):
        return CONFIG
    if isinstance(err, PluginError):
        return PLUGIN
    if isinstance(err, OSError):
        return FILES
    return CONFIG
