"""The command line: `python -m nnlite` / `nnlite`.

    python -m nnlite +experiment=xor            train (the Hydra app, app.py)
    python -m nnlite -m +experiment=xor seed=0,1,2
    python -m nnlite plugins [PLUGIN ...]       every registered name (plugins_command.py)
    python -m nnlite explain +experiment=xor    backprop step by step (explain_command.py)
    python -m nnlite explain RUN_DIR
    python -m nnlite course activations | gradient-cost    concept plots (course_command.py)
    python -m nnlite.report SWEEP_DIR           rebuild a sweep's summary (report.py)

Nothing is registered at import: `main` registers the schema and the help resolvers
when the app starts.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> Any:
    """Console-script entry point (`nnlite ...`, `python -m nnlite ...`)."""
    if sys.argv[1:2] == ["plugins"]:
        from nnlite.cli.plugins_command import command

        sys.exit(command(sys.argv[2:]))
    if sys.argv[1:2] == ["explain"]:
        from nnlite.cli.explain_command import command as explain_command

        sys.exit(explain_command(sys.argv[2:]))
    if sys.argv[1:2] == ["course"]:
        from nnlite.cli.course_command import command as course_command

        sys.exit(course_command(sys.argv[2:]))
    from nnlite.cli import app

    app.register()
    return app.hydra_main()
