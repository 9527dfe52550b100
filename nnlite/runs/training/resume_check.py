"""Does a checkpoint fit the run rebuilt from its config? Asked before a resumed run
writes anything, so a checkpoint that does not fit (a hand-edited config.yaml, a
checkpoint copied from another run, a damaged state) is refused in one line naming the
file and the key, and not one byte of the run folder changes.

The config must be the one the checkpoint was trained with: only `trainer.epochs` may
differ (to extend a run). The arrays must fit the rebuilt model and optimizer, every
random generator must have its state, and the rest of the state must have the types a
checkpoint holds.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.nn.rng import named_generators
from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.run import Run
from nnlite.runs.training.checkpoint import EXTENSIBLE, Saved, config_record, prefixed

# state key -> the type it must hold
STATE_TYPES = {"config": dict, "epochs_done": int, "history": list, "rng": dict,
               "early_stopping": dict, "best": dict, "snapshot_epochs": list,
               "initial_grad_norms": dict, "initial_activations": dict}


def check_fits(run: Run, saved: Saved, path: Path) -> None:
    """RunFileError (naming `path` and the key) unless `saved` fits `run`, which was just
    built from the same folder's config. Changes neither the run nor any file."""
    arrays, state = saved
    for key, kind in STATE_TYPES.items():
        if not isinstance(state.get(key), kind) or isinstance(state.get(key), bool):
            raise RunFileError(f"{path}: __state__ has no {key} of type {kind.__name__}: "
                               f"the checkpoint is damaged")
    _same_config(state["config"], config_record(run.config), path)
    done = state["epochs_done"]
    if not (0 <= done <= len(state["history"])) or not all(
            isinstance(row, dict) for row in state["history"][:done]):
        raise RunFileError(f"{path}: __state__ epochs_done={done} does not fit its history")
    _arrays_fit(run.model.state_dict(), prefixed(arrays, "model."), "model", path)
    best = prefixed(arrays, "best.")
    if best:
        _arrays_fit(run.model.state_dict(), best, "best", path)
    try:  # into a copy: the schedule is built from the fresh optimizer's learning rate
        copy.deepcopy(run.optimizer).load_state_dict(prefixed(arrays, "optimizer."))
    except (KeyError, ValueError, TypeError) as err:
        raise RunFileError(f"{path}: the optimizer state does not fit the run's "
                           f"{type(run.optimizer).__name__} ({err})") from None
    _generators_fit(run, state["rng"], path)


def _same_config(saved: dict[str, Any], now: dict[str, Any], path: Path) -> None:
    """Every key but EXTENSIBLE the same as training had it."""
    for key in sorted(set(saved) | set(now)):
        if key in EXTENSIBLE:
            continue
        if saved.get(key, "(absent)") != now.get(key, "(absent)"):
            raise RunFileError(
                f"{path}: was trained with {key}={saved.get(key, '(absent)')!r}, but the run's "
                f"config.yaml now says {now.get(key, '(absent)')!r}; a resumed run keeps the "
                f"config it was trained with (only {', '.join(EXTENSIBLE)} may change)")


def _arrays_fit(wanted: dict[str, np.ndarray], given: dict[str, np.ndarray], what: str,
                path: Path) -> None:
    if set(wanted) != set(given):
        extra, missing = sorted(set(given) - set(wanted)), sorted(set(wanted) - set(given))
        raise RunFileError(f"{path}: its {what} weights do not fit the run's model "
                           f"(missing {missing[:4]}, unexpected {extra[:4]})")
    for name, array in wanted.items():
        if given[name].shape != array.shape or given[name].dtype != array.dtype:
            raise RunFileError(
                f"{path}: {what}.{name} has shape {given[name].shape} {given[name].dtype}, "
                f"the run's model {array.shape} {array.dtype}: the checkpoint is of another "
                f"network")


def _generators_fit(run: Run, states: dict[str, Any], path: Path) -> None:
    names = ["trainer", *(name for name, _ in named_generators(run.model))]
    missing = [name for name in names if name not in states]
    if missing:
        raise RunFileError(f"{path}: __state__ rng has no state for {missing[:4]}")
    probe = np.random.default_rng(0)
    for name in names:
        try:
            probe.bit_generator.state = states[name]
        except (TypeError, ValueError, KeyError) as err:
            raise RunFileError(f"{path}: __state__ rng.{name} is not a generator's state "
                               f"({err})") from None
