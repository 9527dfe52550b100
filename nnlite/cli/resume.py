"""`python -m nnlite resume=<run dir> [trainer.epochs=N]`: continue a run in place.

The run goes on from its own `config.yaml` and `checkpoint.npz` (from its first epoch
if it stopped before writing one), bit for bit as if it had never stopped: the same
model.npz and metrics.csv as an uninterrupted run. Only `trainer.epochs` may change,
to extend a run; anything else would no longer be the same run, and is refused.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from nnlite.cli import signals
from nnlite.registry import PluginError
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import Config

log = logging.getLogger("nnlite")


def parse_resume_args(args: list[str]) -> tuple[Path, int | None]:
    """(run dir, new trainer.epochs or None) from the command line's key=value words."""
    run_dir, epochs = None, None
    for arg in args:
        key, _, value = arg.partition("=")
        if key == "resume" and run_dir is None:
            if not value:
                break  # refused below
            run_dir = Path(value)
        elif key == "trainer.epochs" and epochs is None:
            try:
                epochs = int(value)
            except ValueError:
                raise ConfigError(f"trainer.epochs={value!r} is not allowed: a whole number "
                                  "of epochs") from None
        else:
            raise ConfigError(f"{arg!r} cannot be given with resume=: a resumed run keeps its "
                              "own config; only trainer.epochs=N may be changed, to extend it")
    if run_dir is None:
        raise ConfigError("resume= needs a run folder: resume=runs/<experiment>/<timestamp>")
    return run_dir, epochs


def resumable_config(run_dir: Path, epochs: int | None) -> Config:
    """The run's saved config (epochs extended if asked), checked as a new run's is;
    ConfigError if the folder is not a run that can go on."""
    from nnlite.runs.config.checked import checked_config
    from nnlite.runs.folder.safe_read import read_yaml
    from nnlite.runs.training.checkpoint import FILE, read

    if not (run_dir / "config.yaml").is_file():
        raise ConfigError(f"resume={str(run_dir)!r}: not a run folder (no config.yaml)")
    saved = read_yaml(run_dir / "config.yaml")
    if not isinstance(saved.get("trainer"), dict):
        raise ConfigError(f"{run_dir / 'config.yaml'}: not a run's config")
    done = 0
    if (run_dir / FILE).is_file():
        done = read(run_dir / FILE)[1]["epochs_done"]
    summary = _summary(run_dir)
    planned = saved["trainer"].get("epochs")
    if summary.get("stop_reason") or summary.get("status") == "diverged":
        raise ConfigError(f"resume={str(run_dir)!r}: the run ended "
                          f"({summary.get('stop_reason') or summary['status']}); it cannot go on")
    if epochs is not None:
        if not isinstance(planned, int) or epochs < planned:
            raise ConfigError(f"trainer.epochs={epochs} is not allowed: resume can only extend "
                              f"the run's {planned} epochs")
        saved["trainer"]["epochs"] = epochs
    if summary.get("status") == "completed" and done >= saved["trainer"]["epochs"]:
        raise ConfigError(f"resume={str(run_dir)!r}: the run completed its {done} epochs; "
                          f"to extend it, add trainer.epochs=N with N > {done}")
    return checked_config(saved)


def _summary(run_dir: Path) -> dict[str, Any]:
    from nnlite.runs.folder.safe_read import read_json

    path = run_dir / "summary.json"
    if not path.is_file():
        return {}  # killed before the end: nothing was summarised
    return read_json(path)


def resume_command(args: list[str]) -> int:
    """Resume the run the arguments name; the exit status (nnlite.cli.exit_codes)."""
    from nnlite.cli import exit_codes
    from nnlite.runs.folder.safe_read import RunFileError
    from nnlite.runs.training.lifecycle import train

    # as Hydra logs a new run: to stdout, so stderr holds only a failure's one line
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="[%(asctime)s][%(name)s][%(levelname)s] - %(message)s")
    signals.stop_on_sigterm()
    try:
        run_dir, epochs = parse_resume_args(args)
        config = resumable_config(run_dir, epochs)
        summary = train(config, run_dir, progress=config.trainer.progress, resume=True)
    except (ConfigError, PluginError) as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return exit_codes.for_error(err)
    except RunFileError as err:  # the run's own files are damaged
        print(f"nnlite: {err}", file=sys.stderr)
        return exit_codes.FILES
    except KeyboardInterrupt:
        print("nnlite: interrupted before training", file=sys.stderr)
        return signals.exit_status()
    if summary["status"] == "interrupted":
        print(f"nnlite: interrupted; the run so far is in {run_dir}", file=sys.stderr)
        return signals.exit_status()
    if summary["status"] == "diverged":
        print(f"nnlite: {summary['stop_reason']}", file=sys.stderr)
        return exit_codes.DIVERGED
    return exit_codes.OK
