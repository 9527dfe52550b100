"""`python -m nnlite plugins [list] [PLUGIN ...]`: every registered name, with the
plugin and file it comes from."""

from __future__ import annotations

import os
import sys

from nnlite.cli import exit_codes
from nnlite.plugins.registration import load
from nnlite.registry import PluginError, registry

USAGE = """usage: nnlite plugins [list] [PLUGIN ...]

Every registered name by kind (activations, initializers, optimizers, losses, layers,
datasets, schedules) with the plugin that gives it and the file it comes from: the
built-ins, installed packages' entry points (group "nnlite"), and each PLUGIN given
(a module name or a .py file, as in a run config's `plugins:`)."""


def plugins_command(argv: list[str]) -> int:
    """`python -m nnlite plugins [list] [PLUGIN ...]`: print the registry table.

    Returns the exit status: 0, or 1 after one line `nnlite: <message>` on stderr when
    a plugin fails to load (nothing else is printed then).
    """
    args = list(argv)
    if args[:1] == ["list"]:
        args = args[1:]
    if any(arg in ("-h", "--help", "help") for arg in args):
        print(USAGE)
        return 0
    unknown = [arg for arg in args if arg.startswith("-")]
    if unknown:
        print(f"nnlite: unknown option {unknown[0]!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        for spec in args:
            load(spec)
        table = registry.table()
    except PluginError as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return exit_codes.PLUGIN
    try:
        print(table, flush=True)
    except BrokenPipeError:  # `nnlite plugins | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
