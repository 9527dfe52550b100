"""The plugin author's reference: every hook nnlite calls, with when and how.

nnlite uses pluggy under the project name "nnlite". A plugin is any module (or
object) with functions marked `@nnlite.hookimpl` whose names match the specs below;
it need implement only the hooks it cares about. The built-in activations,
initializers, optimizers, losses, layers, datasets and schedules are plugins too
(`nnlite/builtin/`), registered through these very hooks.

Registration hooks take no arguments and return a dict `{name: factory}`. nnlite
calls each plugin's implementation separately so it can say which plugin gave which
name; the dicts are merged into one registry per kind, and a name given by two
plugins is an error naming both. Names are case-sensitive, lowercase by convention.

Training-event hooks are called by the trainer with keyword arguments; every
plugin's implementation is called (pluggy's default: last registered first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # for the plugin author's reference only: hooks get a Run, typed
    from nnlite.runs.run import Run

PROJECT = "nnlite"

hookspec = pluggy.HookspecMarker(PROJECT)


class _HookimplMarker(pluggy.HookimplMarker):
    """Mark a function as an implementation of an nnlite hook.

        @nnlite.hookimpl
        def nnlite_activations():
            return {"swish": Swish}

    The function's name must be one of the hooks in `nnlite.hookspecs`, and its
    parameters a subset of that hook's parameters (pluggy checks this on registration).
    """


hookimpl = _HookimplMarker(PROJECT)


@hookspec
def nnlite_activations() -> dict[str, type]:
    """Activation modules: `{name: Module subclass}`.

    The class is called with the keyword arguments given to `nl.activation(name, **kw)`
    (e.g. `leaky_relu(negative_slope=0.1)`) and must return an `nl.Module` with
    `forward(x)` and `backward(dout)`; elementwise ones usually subclass
    `nl.activations.Elementwise` and give `f(x)` and `df(x, y)`.
    """


@hookspec
def nnlite_initializers() -> dict[str, Any]:
    """Weight initializers: `{name: fn(shape, rng, **kw) -> ndarray}`.

    `shape` is a tuple; for a Linear weight it is (in_features, out_features), so
    fan_in = shape[0] and fan_out = shape[1]. `rng` is a `numpy.random.Generator`.
    `nl.initializer(name, **kw)` binds the keyword arguments and casts to the dtype asked for.
    """


@hookspec
def nnlite_optimizers() -> dict[str, type]:
    """Optimizers: `{name: Optimizer subclass}`.

    The class is called as `cls(params, **kw)` where params is a list of `nl.Parameter`
    and must provide `step()`, `zero_grad()`, `state_dict()` and `load_state_dict(d)`
    (subclassing `nl.optim.Optimizer` gives all but `step`).
    """


@hookspec
def nnlite_losses() -> dict[str, type]:
    """Losses: `{name: Loss subclass}`; `loss(pred, target)` returns a float and
    `loss.backward()` returns d loss / d pred (same shape and dtype as pred)."""


@hookspec
def nnlite_layers() -> dict[str, type]:
    """Layers that configs may name: `{name: Module subclass}` (e.g. "linear", "dropout")."""


@hookspec
def nnlite_datasets() -> dict[str, Any]:
    """Datasets: `{name: fn(**kw) -> dataset}`, generated locally and seeded (see `nnlite.data`)."""


@hookspec
def nnlite_schedules() -> dict[str, Any]:
    """Learning-rate schedules: `{name: fn(base_lr, epochs, **kw) -> fn(epoch) -> lr}`."""


@hookspec
def nnlite_run_start(run: Run) -> None:
    """Called once before the first epoch with the run (`nnlite.runs.run.Run`): its typed
    config (`run.config.trainer.epochs`; `dataclasses.asdict(run.config)` for a dict),
    model, loss, optimizer, data splits and output folder (None when nothing is written)."""


@hookspec
def nnlite_epoch_end(run: Run, epoch: int, metrics: dict[str, float]) -> bool | None:
    """Called after every epoch with that epoch's metrics (0-based `epoch`).

    Return True to ask the trainer to stop after this epoch; any plugin returning
    True stops the run (the summary records the reason).
    """


@hookspec
def nnlite_run_end(run: Run, summary: dict[str, Any]) -> None:
    """Called once when the run ends (completed, interrupted, diverged or failed),
    with the summary that is then written to summary.json. model.npz, best.npz and
    metrics.csv are complete by now; summary.json is written after every plugin's
    nnlite_run_end, with status "failed" if one of them raised."""
