"""A run's files: written atomically while training, read back with `load_run`.

    runs/<experiment>/<timestamp>/
        config.yaml     the resolved config
        metrics.csv     one row per epoch (rewritten atomically every few seconds)
        summary.json    status, final and best metrics, diagnostics
        model.npz       weights + "__meta__" (JSON: how to rebuild the model)
        *.png           learning curves, decision boundary or fitted curve

Every file is written to a temporary name and renamed into place, so a reader (or
an interrupted run) never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.module import Module

log = logging.getLogger("nnlite")
FLUSH_EVERY_S = 2.0


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same directory, then rename over `path`.

    The temporary file is opened like any other, so `path` ends up with the mode
    `open(path, "w")` would give it (0666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # "x": a new file, so a failure below never removes another writer's file.
    f = open(tmp, "xb" if isinstance(data, bytes) else "x")  # noqa: SIM115  (closed below)
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def json_safe(value: Any) -> Any:
    """`value` with numpy scalars as Python numbers and NaN/infinity as None: JSON has no
    such numbers (Python would write a bare NaN, which other JSON readers reject)."""
    if isinstance(value, dict):
        return {key: json_safe(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(inner) for inner in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def metrics_csv(rows: list[dict[str, float]]) -> str:
    """Rows as CSV text; columns are the union of keys in first-seen order."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def save_model(path: Path, model: Module, meta: dict[str, Any]) -> None:
    """Weights plus a JSON `__meta__` entry (a plain string: loadable without pickle)."""
    buffer = io.BytesIO()
    np.savez(buffer, __meta__=np.array(json.dumps(meta)), **model.state_dict())
    write_atomic(path, buffer.getvalue())


def load_model(path: Path | str) -> tuple[Module, dict[str, Any]]:
    """Rebuild the model stored by `save_model` and load its weights.

    Names the model uses from plugins must be registered first (`load_run` loads the
    run's plugins)."""
    from nnlite.models import build_model

    with np.load(path, allow_pickle=False) as archive:
        meta = json.loads(str(archive["__meta__"]))
        state = {k: archive[k] for k in archive.files if k != "__meta__"}
    model = build_model(meta["model"], rng=0)
    model.load_state_dict(state)
    model.eval()
    return model, meta


class RunRecorder:
    """Writes a run's files as it goes: config at the start, metrics every few seconds
    and at the end, summary/model/plots at the end (whatever the status)."""

    def __init__(self, out_dir: Path, config: dict[str, Any], model_spec: dict[str, Any]) -> None:
        import yaml

        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.model_spec = model_spec
        self.plots = bool(config.get("plots", True))
        self.rows: list[dict[str, float]] = []
        self._last_flush = time.monotonic()
        write_atomic(self.out_dir / "config.yaml", yaml.safe_dump(config, sort_keys=False))

    def log_epoch(self, row: dict[str, float]) -> None:
        self.rows.append(row)
        if time.monotonic() - self._last_flush > FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        write_atomic(self.out_dir / "metrics.csv", metrics_csv(self.rows))
        self._last_flush = time.monotonic()

    def finish(self, run: Any, summary: dict[str, Any]) -> None:
        self.flush()
        meta = {"model": self.model_spec, "task": run.data["train"].task,
                "n_classes": run.data["train"].n_classes,
                "standardizer": ({k: v.tolist() for k, v in run.standardizer.state().items()}
                                 if run.standardizer is not None else None)}
        save_model(self.out_dir / "model.npz", run.model, meta)
        write_atomic(self.out_dir / "summary.json",
                     json.dumps(json_safe(summary), indent=2, allow_nan=False))
        if self.plots:
            self.write_plots(run)
        log.info("run files in %s", self.out_dir)

    def write_plots(self, run: Any) -> None:
        try:
            from nnlite import plots

            plots.plot_run(self.out_dir, run)
        except Exception as err:  # a plot must never cost the run its record
            log.warning("plots were not written: %r", err)


@dataclass
class LoadedRun:
    """A finished (or interrupted) run read back from disk."""

    path: Path
    config: dict[str, Any]
    summary: dict[str, Any]
    records: list[dict[str, float]]
    model: Module
    meta: dict[str, Any]

    @property
    def metrics(self) -> dict[str, np.ndarray]:
        """Column name -> float array over epochs (NaN where a row lacks the column)."""
        columns: dict[str, None] = {}
        for row in self.records:
            columns.update(dict.fromkeys(row))
        return {c: np.array([row.get(c, np.nan) for row in self.records], dtype=float)
                for c in columns}

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Model outputs for raw inputs x (the stored standardisation is applied first)."""
        from nnlite.data import Standardizer

        state = self.meta.get("standardizer")
        x = np.asarray(x, dtype=np.float64)
        if state is not None:
            x = Standardizer.from_state({k: np.asarray(v) for k, v in state.items()}).transform(x)
        return self.model.forward(x)


def _read_metrics(path: Path) -> list[dict[str, float]]:
    if not path.is_file():
        return []
    with path.open(newline="") as f:
        return [{k: float(v) for k, v in row.items() if v != ""} for row in csv.DictReader(f)]


def _load_model_with_plugins(path: Path, plugins: list[str]) -> tuple[Module, dict[str, Any]]:
    """Load the run's plugins as training did, then its model. A plugin that cannot be
    loaded (say a relative .py path, from another directory) only matters if the model
    then needs it: it may have been loaded already, under another path."""
    from nnlite.plugins import load as load_plugin
    from nnlite.registry import PluginError

    failed: list[tuple[str, PluginError]] = []
    for spec in plugins:
        try:
            load_plugin(spec)  # a plugin registered already is left as it is
        except PluginError as err:
            failed.append((spec, err))
    try:
        return load_model(path / "model.npz")
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


def load_run(path: Path | str) -> LoadedRun:
    """Read a run directory: config, summary, metrics and the model ready to predict.

    The plugins in the run's config are loaded first, as training loads them."""
    import yaml

    path = Path(path)
    if not (path / "model.npz").is_file():
        raise FileNotFoundError(f"{path} is not a finished nnlite run (no model.npz)")
    config = yaml.safe_load((path / "config.yaml").read_text())
    summary_file = path / "summary.json"
    summary = json.loads(summary_file.read_text()) if summary_file.is_file() else {}
    model, meta = _load_model_with_plugins(path, config.get("plugins") or [])
    return LoadedRun(path, config, summary, _read_metrics(path / "metrics.csv"), model, meta)
