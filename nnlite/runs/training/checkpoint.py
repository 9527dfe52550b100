"""`checkpoint.npz`: everything a run needs to go on bit for bit after it stops.

One npz file, no pickle: arrays under "model.", "optimizer.", "best." and "snapshot."
prefixes, and "__state__", JSON text (as uint8 bytes) with the rest: the config it was
trained with (flat, all but trainer.epochs, which a resume may extend), the epochs done
(their metric rows), every random generator's state (batch order, dropout masks, ...),
early stopping, the best monitored epoch, the elapsed time and the measurements taken
before training. The learning-rate schedule is a function of the epoch, so the epoch is
its position. Whether a checkpoint fits a rebuilt run is `resume_check.py`'s question.

`Checkpointer` captures the state at every epoch end (copies, cheap next to an epoch)
and writes it at most every `every_s` seconds, and once more when the run ends however
it ends, so a Ctrl-C loses nothing and a kill -9 loses at most a few seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nnlite.bounded import MAX_DEPTH, json_depth
from nnlite.messages import one_line
from nnlite.nested import flatten
from nnlite.nn.rng import named_generators
from nnlite.runs.config.schema import Config
from nnlite.runs.config.typed import as_dict
from nnlite.runs.folder.safe_read import RunFileError, read_npz
from nnlite.runs.folder.writing import json_safe, npz_bytes, write_atomic

if TYPE_CHECKING:
    from nnlite.runs.training.trainer import Trainer

FILE = "checkpoint.npz"
FORMAT = 2  # bumped when the layout below changes; an unknown format is refused
EXTENSIBLE = ("trainer.epochs",)  # the keys a resumed run may change
Saved = tuple[dict[str, np.ndarray], dict[str, Any]]  # (arrays, state) as in the file


def config_record(config: Config) -> dict[str, Any]:
    """The config as a checkpoint keeps it: flat keys, JSON values, all but EXTENSIBLE."""
    flat = flatten(json_safe(as_dict(config)), keep_empty=True)
    return {key: value for key, value in flat.items() if key not in EXTENSIBLE}


def capture(trainer: Trainer, generators: list[tuple[str, Any]] | None = None,
            record: dict[str, Any] | None = None) -> Saved:
    """(arrays, state) of `trainer` at an epoch end: copies, so training may go on
    (`generators`: `named_generators(model)` and `record`: `config_record(config)`, if
    already made). The history is the run's own list, cut to `epochs_done` rows when
    written: rows are only ever appended."""
    run, own = trainer.run, trainer.state_dict()
    if generators is None:
        generators = list(named_generators(run.model))
    best = run.best_weights
    # the best epoch's copy when that is this epoch (it often is): the same numbers
    just_best = best.weights is not None and best.epoch == len(run.history) - 1
    model_state = best.weights if just_best else run.model.state_dict()
    arrays = {f"model.{k}": v for k, v in model_state.items()}
    arrays.update({f"optimizer.{k}": v for k, v in run.optimizer.state_dict().items()})
    if best.weights is not None:
        arrays.update({f"best.{k}": v for k, v in best.weights.items()})
    for i, (epoch, layers) in enumerate(run.snapshots):
        for j, (w, b) in enumerate(layers):
            arrays[f"snapshot.{i}.{j}.W"] = w
            if b is not None:
                arrays[f"snapshot.{i}.{j}.b"] = b
    state = {
        "format": FORMAT,
        "config": record if record is not None else config_record(run.config),
        "epochs_done": len(run.history),
        "history": run.history,
        "rng": {"trainer": own["rng"],
                **{name: g.bit_generator.state for name, g in generators}},
        "early_stopping": own["early_stopping"],
        "best": {"monitor": best.monitor, "value": best.value, "epoch": best.epoch},
        "snapshot_epochs": [epoch for epoch, _ in run.snapshots],
        "initial_grad_norms": run.initial_grad_norms,
        "initial_activations": run.initial_activations,
        "initial_loss": run.initial_loss,
    }
    return arrays, state


def write(path: Path, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
    """The checkpoint file, atomically (a reader sees the old one or the new one)."""
    state = {**state, "history": state["history"][:state["epochs_done"]]}
    text = json.dumps(state).encode()  # as bytes: a numpy str array takes 4 bytes a letter
    write_atomic(path, npz_bytes({"__state__": np.frombuffer(text, np.uint8), **arrays}))


def read(path: Path) -> Saved:
    """(arrays, state) from a checkpoint file, its sizes checked before anything is read
    (`nnlite.bounded`); RunFileError naming the file if it is not one."""
    arrays = read_npz(path)
    raw = arrays.pop("__state__", None)
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise RunFileError(f"{path}: no __state__ entry: not a checkpoint nnlite wrote")
    try:
        text = raw.tobytes().decode("utf-8")
        if json_depth(text) > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        state = json.loads(text)
    except ValueError as err:  # UnicodeDecodeError and JSON's errors too
        raise RunFileError(f"{path}: __state__ is not readable JSON ({one_line(err)})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise RunFileError(f"{path}: not a checkpoint of this nnlite version (format "
                           f"{state.get('format') if isinstance(state, dict) else '?'}, "
                           f"this one reads {FORMAT})")
    return arrays, state


def prefixed(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}


def restore(trainer: Trainer, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
    """Put `trainer` (built afresh from the same config) back where `capture` saw it."""
    run = trainer.run
    run.model.load_state_dict(prefixed(arrays, "model."))
    run.optimizer.load_state_dict(prefixed(arrays, "optimizer."))
    trainer.load_state_dict({"rng": state["rng"]["trainer"],
                             "early_stopping": state["early_stopping"]})
    for name, generator in named_generators(run.model):
        generator.bit_generator.state = state["rng"][name]
    best = run.best_weights
    best.value, best.epoch = state["best"]["value"], state["best"]["epoch"]
    saved_best = prefixed(arrays, "best.")
    best.weights = saved_best or None
    run.history[:] = state["history"]
    run.initial_grad_norms = state["initial_grad_norms"]
    run.initial_activations = state["initial_activations"]
    run.initial_loss = state["initial_loss"]
    run.snapshots[:] = []
    for i, epoch in enumerate(state["snapshot_epochs"]):
        layers, j = [], 0
        while f"snapshot.{i}.{j}.W" in arrays:
            layers.append((arrays[f"snapshot.{i}.{j}.W"], arrays.get(f"snapshot.{i}.{j}.b")))
            j += 1
        run.snapshots.append((epoch, layers))


class Checkpointer:
    """Captures a trainer's state at each epoch end; writes it when `every_s` seconds
    have passed since the last write, and at the end (`flush`), whatever the outcome.
    `latest` is the last state captured: the last finite weights if a run diverges."""

    def __init__(self, out_dir: Path, every_s: float) -> None:
        self.path = Path(out_dir) / FILE
        self.every_s = every_s
        self.latest: Saved | None = None
        self.pending = False  # `latest` is not on disk yet
        self.generators: list[tuple[str, Any]] | None = None  # listed once, by `start`
        self.record: dict[str, Any] | None = None  # the config, made once, by `start`
        self._last_write = time.monotonic()

    def start(self, trainer: Trainer) -> None:
        """Capture the state training starts from (fresh, or restored)."""
        self.generators = list(named_generators(trainer.run.model))
        self.record = config_record(trainer.run.config)
        self.latest = capture(trainer, self.generators, self.record)
        self.pending = not self.path.is_file()

    def epoch_end(self, trainer: Trainer) -> None:
        self.latest, self.pending = capture(trainer, self.generators, self.record), True
        if time.monotonic() - self._last_write >= self.every_s:
            self.flush()

    def flush(self) -> None:
        """Write the last captured state, if it is not on disk yet."""
        if self.pending and self.latest is not None:
            write(self.path, *self.latest)
            self.pending = False
            self._last_write = time.monotonic()

    def latest_model(self) -> dict[str, np.ndarray]:
        """The model's weights in the last captured state (name -> array)."""
        return prefixed(self.latest[0], "model.") if self.latest is not None else {}
