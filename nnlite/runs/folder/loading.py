"""Reading a run back: `load_run(dir)` gives its config, summary, metrics and a model
ready to predict."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.nn.module import Module
from nnlite.plugins.registration import load as load_plugin
from nnlite.registry import PluginError
from nnlite.runs.folder.metrics_file import FILE as METRICS
from nnlite.runs.folder.metrics_file import metric_columns, read_rows
from nnlite.runs.folder.safe_read import (
    RunFileError,
    check_declared_sizes,
    inside,
    mlp_parameter_count,
    read_json,
    read_npz,
    read_yaml,
)
from nnlite.runs.model_spec import model_from_spec
from nnlite.runs.prediction import Predictor


def load_model(path: Path | str) -> tuple[Module, dict[str, Any]]:
    """Rebuild the model stored by `save_weights` (model.npz) and load its weights.

    Names the model uses from plugins must be registered first (`load_run` loads the
    run's plugins)."""
    state = read_npz(path)
    if "__meta__" not in state or state["__meta__"].dtype.kind != "U":
        raise RunFileError(f"{path}: no __meta__ entry: not a model saved by nnlite")
    try:
        meta = json.loads(str(state.pop("__meta__")))
    except ValueError as err:
        raise RunFileError(f"{path}: __meta__ is not JSON ({err})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("model"), dict):
        raise RunFileError(f"{path}: __meta__ does not describe a model")
    check_model_size(path, meta["model"], sum(int(a.size) for a in state.values()))
    model = model_from_spec(meta["model"], rng=0)  # an unknown name: the caller says why
    try:
        model.load_state_dict(state)
    except (KeyError, ValueError, TypeError) as err:
        raise RunFileError(f"{path}: weights do not fit the model it describes ({err})") from None
    model.eval()
    return model, meta


def check_model_size(path: Path, spec: dict[str, Any], stored: int) -> None:
    """The model a spec describes must have exactly as many parameters as the file stores
    (checked on the spec's numbers, before a layer is allocated): an `nl.mlp` spec by
    its sizes, a `model.layers` spec by each width it declares."""
    sizes = spec.get("sizes")
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes)):
        raise RunFileError(f"{path}: __meta__ gives no model sizes (a list of widths)")
    if spec.get("layers"):
        check_declared_sizes(path, spec, stored)
        return
    wanted = mlp_parameter_count(sizes)
    if wanted != stored:
        raise RunFileError(f"{path}: describes a network of sizes {sizes[:8]}"
                           f"{'...' if len(sizes) > 8 else ''} ({wanted} parameters) but "
                           f"stores {stored} numbers: it was not written for this model")


@dataclass(repr=False)
class LoadedRun(Predictor):
    """A finished (or interrupted) run read back from disk: `predict`, `predict_proba`,
    `score` and `outputs` come from `Predictor` (runs/prediction.py)."""

    path: Path
    config: dict[str, Any]
    summary: dict[str, Any]
    records: list[dict[str, float]]
    model: Module
    meta: dict[str, Any]

    @property
    def metrics(self) -> dict[str, np.ndarray]:
        """Column name -> float array over epochs (NaN where a row lacks the column)."""
        return metric_columns(self.records)

    def __repr__(self) -> str:
        # Short on purpose: the records of a long run would fill a notebook cell.
        final = self.summary.get("final") or {}
        shown = ", ".join(f"{k}={v:.4g}" for k, v in list(final.items())[:3]
                          if isinstance(v, (int, float)))
        return (f"LoadedRun({str(self.path)!r}, experiment={self.config.get('name')!r}, "
                f"status={self.summary.get('status')!r}, epochs={len(self.records)}, "
                f"task={self.task!r}{', ' + shown if shown else ''})")


def _load_model_with_plugins(path: Path, plugins: list[str]) -> tuple[Module, dict[str, Any]]:
    """Load the run's plugins as training did, then its model. A plugin that cannot be
    loaded (say a relative .py path, from another directory) only matters if the model
    then needs it: it may have been loaded already, under another path."""
    failed: list[tuple[str, PluginError]] = []
    for spec in plugins:
        try:
            load_plugin(spec)  # a plugin registered already is left as it is
        except PluginError as err:
            failed.append((spec, err))
    try:
        return load_model(inside(path, "model.npz"))
    except Exception as err:
        if not failed:
            raise
        specs = ", ".join(repr(spec) for spec, _ in failed)
        causes = "; ".join(str(cause) for _, cause in failed)
        example = next(("path/to/" + Path(s).name if s.endswith(".py") else s)
                       for s, _ in failed)
        raise PluginError(
            f"cannot rebuild the model of run {str(path)!r}: it uses plugins {specs} "
            f"(its config's `plugins:`), which could not be loaded ({causes}). Load them "
            f"first, e.g. nl.plugins.load({example!r}), then call load_run again. ({err})"
        ) from err


def _load_model_without_plugins(path: Path, specs: list[str]) -> tuple[Module, dict[str, Any]]:
    """The model, if it needs no plugin that is not registered already."""
    try:
        return load_model(inside(path, "model.npz"))
    except RunFileError:
        raise
    except (ValueError, KeyError) as err:
        if not specs:
            raise
        raise PluginError(
            f"cannot rebuild the model of run {str(path)!r}: it needs a name from its "
            f"plugins {', '.join(map(repr, specs))}, which were not loaded ({err}). Loading "
            f"them runs their code: if you trust this run, call load_run(path, plugins=True), "
            f"or load them yourself first with nl.plugins.load(...)") from None


def load_run(path: Path | str, plugins: bool = False) -> LoadedRun:
    """Read a run directory: config, summary, metrics and the model ready to predict.

    Every file is checked (RunFileError names the file and what is wrong). The plugins
    in the run's config run code, so they are loaded only with `plugins=True`; without
    it, a model that needs one raises PluginError saying which and how to allow it."""
    path = Path(path)
    if not (path / "model.npz").is_file():
        raise FileNotFoundError(f"{path} is not a finished nnlite run (no model.npz)")
    config = read_yaml(inside(path, "config.yaml"))
    summary_file = inside(path, "summary.json")
    summary = read_json(summary_file) if summary_file.is_file() else {}
    specs = config.get("plugins") or []
    if not isinstance(specs, list):
        raise RunFileError(f"{path / 'config.yaml'}: plugins is not a list")
    if plugins:
        model, meta = _load_model_with_plugins(path, specs)
    else:
        model, meta = _load_model_without_plugins(path, specs)
    return LoadedRun(path, config, summary, read_rows(inside(path, METRICS)), model, meta)
