"""Telling a run that has diverged, and saying where and why.

A run has diverged when its loss, a parameter, a gradient or an activation is no longer
a finite number, or when its loss has grown past `BLOWUP` times its value before
training (Adam at a huge learning rate stays finite but lands at chance). `Diverged`'s
message names the epoch, the first parameter or layer that went bad, and the likely
cause, so the user knows what to change.
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.nn.module import Module
from nnlite.runs.config.schema import Config


class Diverged(RuntimeError):
    """Training went off the rails: a loss, weight, gradient or activation is no longer
    finite, or the loss blew up; the message names the epoch, where, and a likely cause."""


BLOWUP = 1e6  # a loss this many times its starting value has left any sensible region


def likely_cause(config: Config) -> str:
    """What to try first, from the config."""
    hint = f"likely cause: the learning rate (optimizer.lr={config.optimizer.lr:g}) is too large"
    if not config.data.standardize:
        hint += " or the inputs' scale (try data.standardize=true)"
    return hint + "; gradient clipping (trainer.clip_grad_norm) also helps"


def first_bad_parameter(model: Module) -> str | None:
    """'weight of 2' style name of the first parameter (then gradient) that is not finite."""
    for kind in ("data", "grad"):
        for name, param in model.named_parameters():
            if not np.isfinite(getattr(param, kind)).all():
                return f"{'gradient of ' if kind == 'grad' else ''}parameter {name!r}"
    return None


def largest_parameter(model: Module) -> tuple[str, float]:
    """(name, largest |value|) of the parameter holding the largest weight."""
    peaks = {name: float(np.abs(p.data).max()) for name, p in model.named_parameters()
             if p.data.size}
    name = max(peaks, key=peaks.get)
    return name, peaks[name]


def check_step(epoch: int, loss_value: float, initial_loss: float | None, model: Module,
               config: Config) -> None:
    """After an epoch's updates: raise Diverged if the last batch's loss is not finite or
    has blown up. (A weight or gradient that is not finite makes the next loss so, and
    `check_row` sees it; the parameters are searched only then, to name the culprit.)"""
    blown_up = (initial_loss is not None and initial_loss > 0
                and loss_value > max(BLOWUP * initial_loss, 1.0))
    if math.isfinite(loss_value) and not blown_up:
        return
    where = first_bad_parameter(model)
    if not math.isfinite(loss_value):
        what = f"the training loss became {loss_value}"
    elif where is None:
        name, peak = largest_parameter(model)
        what = (f"the training loss grew to {loss_value:.3g}, over {BLOWUP:.0e} times its "
                f"starting {initial_loss:.3g}; the largest weights are in parameter "
                f"{name!r} (|w| up to {peak:.3g})")
    else:
        what = f"the training loss is {loss_value:.3g}"
    if where is not None:
        what += f"; {where} is not finite"
    raise Diverged(f"diverged at epoch {epoch}: {what}; {likely_cause(config)}")


def check_row(epoch: int, row: dict[str, float], model: Module, config: Config) -> None:
    """After evaluating an epoch: raise Diverged if a loss or an activation statistic is
    not finite, naming the layer (or the parameter that is not finite)."""
    for key, value in row.items():
        if (key.endswith("_loss") or key.startswith("act.")) and not math.isfinite(value):
            if key.startswith("act."):
                what = f"the activations of {key.split('.')[1]} are not finite"
            else:
                where = first_bad_parameter(model)
                what = f"{key} became {value}" + (f"; {where} is not finite" if where else "")
            raise Diverged(f"diverged at epoch {epoch}: {what}; {likely_cause(config)}")
