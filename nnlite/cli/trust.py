"""`--plugins`: the command-line way to let a saved run load the plugins it lists.

A run's `plugins:` are code, so `load_run` runs them only when asked
(`load_run(path, plugins=True)`); the commands that read a saved run (`explain`,
`predict`, `evaluate`) ask only when given `--plugins`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FLAG = "--plugins"
HELP = ("load the plugins the run's config lists before rebuilding its model (this runs "
        "their code: only for a run you trust)")


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(FLAG, action="store_true", help=HELP)


def load_trusted(path: Path, plugins: bool) -> Any:
    """`load_run(path, plugins)`, its refusal worded for the command line."""
    from nnlite.registry import PluginError
    from nnlite.runs.folder.loading import load_run

    try:
        return load_run(path, plugins=plugins)
    except PluginError as err:
        if plugins:
            raise
        raise PluginError(f"{err}. On the command line: add {FLAG}") from None
