"""The command line: `python -m nnlite` / `nnlite`.

    python -m nnlite +experiment=xor            train (the Hydra app, app.py)
    python -m nnlite -m +experiment=xor seed=0,1,2
    python -m nnlite plugins [PLUGIN ...]       every registered name (plugins_command.py)
    python -m nnlite explain +experiment=xor    backprop step by step (explain_command.py)
    python -m nnlite explain RUN_DIR
    python -m nnlite course activations | gradient-cost    concept plots (course_command.py)
    python -m nnlite resume=RUN_DIR             continue a stopped run (resume.py)
    python -m nnlite.report SWEEP_DIR           rebuild a sweep's summary (report.py)

Nothing is registered at import: `main` registers the schema and the help resolvers
when the app starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def main() -> Any:
    """Console-script entry point (`nnlite ...`, `python -m nnlite ...`). Ctrl-C or
    SIGTERM at any moment (importing a plugin, drawing plots) ends it with one line and
    status 130 or 143; see nnlite.cli.guard."""
    from nnlite.cli.guard import guarded

    return guarded(_main)


def _main() -> Any:
    if sys.argv[1:2] == ["plugins"]:
        from nnlite.cli.plugins_command import command

        sys.exit(command(sys.argv[2:]))
    if sys.argv[1:2] == ["explain"]:
        from nnlite.cli.explain_command import command as explain_command

        sys.exit(explain_command(sys.argv[2:]))
    if sys.argv[1:2] == ["course"]:
        from nnlite.cli.course_command import command as course_command

        sys.exit(course_command(sys.argv[2:]))
    if any(arg.startswith("resume=") for arg in sys.argv[1:]):
        from nnlite.cli.resume import command as resume

        sys.exit(resume(sys.argv[1:]))
    _refuse_used_run_dir(sys.argv[1:])
    from nnlite.cli import app

    app.register()
    return app.hydra_main()


def _refuse_used_run_dir(args: list[str]) -> None:
    """`hydra.run.dir=<a run's folder>`: refuse before Hydra writes its own files there
    (the same check runs again in the job, for folders made by interpolation)."""
    from nnlite.runs import exit_codes
    from nnlite.runs.config import ConfigError
    from nnlite.runs.folders import refuse_used

    if {"-m", "--multirun"} & set(args):
        return  # sweeps write to hydra.sweep.dir; each job is checked when it starts
    for arg in args:
        key, _, value = arg.partition("=")
        if key == "hydra.run.dir" and value and "${" not in value:
            try:
                refuse_used(Path(value))
            except ConfigError as err:
                print(f"nnlite: {err}", file=sys.stderr)
                sys.exit(exit_codes.CONFIG)
