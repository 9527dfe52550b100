"""The two kinds of user mistake a run can meet before it trains: in the config, or in the
data it names. The command line turns each into one line and its exit status
(nnlite.cli.exit_codes)."""

from __future__ import annotations


class ConfigError(ValueError):
    """A user mistake in the config: the message names the key and what is allowed."""


class DataError(ConfigError):
    """The data named by the config cannot be used: a missing or malformed file, values
    that are not finite or too large to compute with. The message names the column."""
