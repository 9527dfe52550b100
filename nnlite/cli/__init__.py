"""The command line: `python -m nnlite` / `nnlite`.

    python -m nnlite +experiment=xor            train (the Hydra app, app.py)
    python -m nnlite -m +experiment=xor seed=0,1,2
    python -m nnlite plugins [PLUGIN ...]       every registered name (plugins_command.py)
    python -m nnlite explain +experiment=xor    backprop step by step (explain_command.py)
    python -m nnlite explain RUN_DIR
    python -m nnlite course activations | gradient-cost    concept plots (course_command.py)
    python -m nnlite resume=RUN_DIR             continue a stopped run (resume.py)
    python -m nnlite predict RUN INPUT [-o OUT] labels and probabilities (predict_command.py)
    python -m nnlite evaluate RUN DATA          a run's metrics on data (evaluate_command.py)
    python -m nnlite runs [DIR] [--sort M]      a table of runs and sweeps (runs_command.py)
    python -m nnlite compare RUN_A RUN_B ...    config diff, metrics, curves (compare_command.py)
    python -m nnlite.report SWEEP_DIR           rebuild a sweep's summary (report_command.py)

Nothing is registered at import: `main` registers the schema and the help resolvers
when the app starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Commands beside the Hydra app: name -> the module whose `<name>_command(argv)` runs it.
COMMANDS = {"plugins": "nnlite.cli.plugins_command", "explain": "nnlite.cli.explain_command",
            "course": "nnlite.cli.course_command", "predict": "nnlite.cli.predict_command",
            "evaluate": "nnlite.cli.evaluate_command", "runs": "nnlite.cli.runs_command",
            "compare": "nnlite.cli.compare_command"}


def main() -> Any:
    """Console-script entry point (`nnlite ...`, `python -m nnlite ...`). Ctrl-C or
    SIGTERM at any moment (importing a plugin, drawing plots) ends it with one line and
    status 130 or 143; see nnlite.cli.guard."""
    try:
        from nnlite.cli.guard import guarded  # imports Hydra: Ctrl-C may land here too
    except KeyboardInterrupt:
        print("nnlite: interrupted", file=sys.stderr)
        sys.exit(130)
    return guarded(_main)


def _main() -> Any:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from nnlite.version import __version__

        print(f"nnlite {__version__}")
        return 0
    if sys.argv[1:2] and sys.argv[1] in COMMANDS:
        import importlib

        module = importlib.import_module(COMMANDS[sys.argv[1]])
        sys.exit(getattr(module, f"{sys.argv[1]}_command")(sys.argv[2:]))
    if any(arg.startswith("resume=") for arg in sys.argv[1:]):
        from nnlite.cli.resume import resume_command as resume

        sys.exit(resume(sys.argv[1:]))
    from nnlite.cli import app, composing, precheck

    problem = precheck.check_arguments(sys.argv[1:])
    if problem:  # before Hydra: one line with the fix, not Hydra's several
        print(f"nnlite: {problem}", file=sys.stderr)
        sys.exit(1)
    reserved = _reserve_given_run_dir(sys.argv[1:])
    composing.prepare_hydra()
    try:
        return app.hydra_main()
    finally:
        if reserved is not None:  # a start refused before the run wrote: leave nothing
            from nnlite.runs.folder.reservation import remove_unused

            remove_unused(reserved)


def _reserve_given_run_dir(args: list[str]) -> Path | None:
    """`hydra.run.dir=FOLDER`: reserve it before Hydra writes its own files there, so that
    of several starts into one folder exactly one runs and the others change nothing
    (a folder made by interpolation is reserved by the run itself, `reserve_run`)."""
    from nnlite.cli import exit_codes
    from nnlite.runs.config.errors import ConfigError
    from nnlite.runs.folder.reservation import reserve_run

    if {"-m", "--multirun"} & set(args):
        return None  # a sweep reserves hydra.sweep.dir when it starts (cli/callbacks.py)
    for arg in args:
        key, _, value = arg.partition("=")
        if key == "hydra.run.dir" and value and "${" not in value:
            try:
                reserve_run(Path(value))
            except ConfigError as err:
                print(f"nnlite: {err}", file=sys.stderr)
                sys.exit(exit_codes.CONFIG)
            return Path(value)
    return None
