"""Calling the training-event hooks so that a plugin's mistake is named, not a crash.

A hook that raises, calls sys.exit, or returns something it should not (an epoch hook
returning "yes") becomes a `HookError` naming the hook and what went wrong; the run is
then recorded as failed, with one line on the command line.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.plugins.manager import manager
from nnlite.registry import PluginError


class HookError(PluginError):
    """A training-event hook raised, exited or returned a wrong value."""


def _call(name: str, **kwargs: Any) -> list[Any]:
    try:
        return getattr(manager.hook, name)(**kwargs)
    except SystemExit as err:
        raise HookError(f"a plugin's {name} hook called sys.exit({err.code!r}); a plugin "
                        f"must raise an exception or (epoch hooks) return True to stop") from None
    except (KeyboardInterrupt, HookError):
        raise
    except Exception as err:
        raise HookError(f"a plugin's {name} hook raised {err!r}") from err


def run_start(run: Any) -> None:
    _call("nnlite_run_start", run=run)


def epoch_end(run: Any, epoch: int, metrics: dict[str, float]) -> list[bool]:
    """Every plugin's answer to "stop now?" (True/False/None), checked."""
    answers = _call("nnlite_epoch_end", run=run, epoch=epoch, metrics=metrics)
    for answer in answers:
        if not isinstance(answer, (bool, np.bool_)):
            raise HookError(f"a plugin's nnlite_epoch_end hook returned {answer!r} "
                            f"({type(answer).__name__}): it must return None (go on), True "
                            f"(stop) or False")
    return [bool(answer) for answer in answers]


def run_end(run: Any, summary: dict[str, Any]) -> None:
    _call("nnlite_run_end", run=run, summary=summary)
