"""The Hydra app behind `python -m nnlite +experiment=xor`.

Hydra composes the config; `run_job` checks it strictly (schema re-merge, value checks
after plugins load) and hands a plain dict to `nnlite.runs.training.lifecycle`. User mistakes end
with one clear message and an exit status that says which kind of mistake
(nnlite.cli.exit_codes), not a traceback.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, ListConfig, OmegaConf

from nnlite.cli import resolvers, signals
from nnlite.cli.callbacks import summarize_sweep
from nnlite.cli.compositions import compose_less
from nnlite.cli.launchers import threads_per_job
from nnlite.cli.paths import config_dir
from nnlite.registry import PluginError
from nnlite.cli import exit_codes
from nnlite.runs.config.plugins import load_plugins
from nnlite.runs.config.schema import Config
from nnlite.runs.errors import ConfigError
from nnlite.runs.folder.reservation import remove_unused, run_files
from nnlite.runs.results.objective import objective_value
from nnlite.runs.results.sweep import job_dirs
from nnlite.runs.training.threads import blas_threads
from nnlite.runs.training.lifecycle import train
from nnlite.runs.config.checks import validate

log = logging.getLogger("nnlite")


def register() -> None:
    """What the app needs registered before Hydra composes: the schema in Hydra's
    ConfigStore (config.yaml's defaults start with it) and the help resolvers."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="nnlite_schema", node=Config)
    resolvers.register()
    compose_less()


@lru_cache(maxsize=1)
def _schema() -> Any:
    # Built once per process (~20 ms, a sweep job's worth of training): merge copies it.
    return OmegaConf.structured(Config)


def strict_merge(cfg: Any) -> Any:
    """The config with every key known to the schema: catches `+optimizer.lrr=0.1`,
    which struct mode lets in. A config Hydra composed on the schema is typed already, and
    when it is plainly so its keys are only walked (under 1 ms). Any other config (a saved
    run's, one with a section set by interpolation, a key deleted with `~` or a value left
    `???`) is merged into the schema (~45 ms), which checks the resolved keys and types and
    refills deleted or missing values with the schema's defaults. OmegaConf's errors
    propagate (`checked_config` words them)."""
    if OmegaConf.get_type(cfg) is Config:
        try:
            unknown = _unknown_key(cfg)
        except _NeedsMerge:
            pass  # the merge below checks it
        else:
            if unknown:
                raise ConfigError(unknown)
            return cfg
    container = OmegaConf.to_container(cfg, resolve=True)
    container.pop("hydra", None)
    return OmegaConf.merge(_schema(), container)


class _NeedsMerge(Exception):
    """The key walk cannot vouch for this config; the schema merge must check it."""


def _unknown_key(node: Any, prefix: str = "") -> str | None:
    """The first key of a typed node that its dataclass lacks, as the schema merge words it.
    Raises _NeedsMerge for what only a merge checks: a section given by interpolation
    (its keys and types are known only once resolved), a deleted key or a `???` value."""
    kind = OmegaConf.get_type(node)
    fields = {f.name for f in dataclasses.fields(kind)} if dataclasses.is_dataclass(kind) else None
    if fields is not None and not fields <= set(node.keys()):
        raise _NeedsMerge
    for key in node.keys():
        if fields is not None and key not in fields:
            return f"Key '{key}' not in '{kind.__name__}' (key: {prefix}{key})"
        child = node._get_node(key)
        if child._is_missing() or (isinstance(child, (DictConfig, ListConfig))
                                   and child._is_interpolation()):
            raise _NeedsMerge
        if isinstance(child, DictConfig) and not child._is_none():
            found = _unknown_key(child, f"{prefix}{key}.")
            if found:
                return found
    return None


def checked_config(cfg: Any) -> dict[str, Any]:
    """The composed config as a plain dict, its keys checked against the schema, its
    plugins loaded and its values checked (the plugins' names count)."""
    from omegaconf.errors import OmegaConfBaseException

    try:  # interpolations resolve here: `trainer.epochs=${data.name}` is a config error
        config = OmegaConf.to_container(strict_merge(cfg), resolve=True)
    except OmegaConfBaseException as err:
        first_line = str(err).split("\n")[0]
        raise ConfigError(f"{first_line} (key: {getattr(err, 'full_key', '?')})") from None
    config.pop("hydra", None)
    load_plugins(config)
    validate(config)
    return config


def run_job(cfg: DictConfig) -> float:
    """Validate, train, write files; return the objective (`report.objective`, by
    default the final validation loss, or the train loss without a val split): what
    sweepers such as Optuna optimise.

    An interrupted run (Ctrl-C, SIGTERM) ends the whole command once its files are
    written -- a sweep does not go on to its next job -- with exit status 130 or 143.
    """
    signals.stop_on_sigterm()
    config = checked_config(cfg)
    single = HydraConfig.get().mode != RunMode.MULTIRUN
    if config["plots"] is None:  # PNGs per job of a sweep cost more than the training
        config["plots"] = single
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    with blas_threads(threads_per_job(hydra_cfg.launcher)):  # the run may use fewer
        # a single run returns once its files are written; its PNGs follow
        summary = train(config, out_dir, progress=config["trainer"]["progress"],
                        background_plots=single)
    if summary["status"] == "interrupted":
        print(f"nnlite: interrupted; the run so far is in {out_dir}", file=sys.stderr)
        _summarize_stopped_sweep()
        sys.exit(signals.exit_status())
    if summary["status"] == "diverged" and HydraConfig.get().mode != RunMode.MULTIRUN:
        # (in a sweep, a diverged job is a result, e.g. of a learning-rate sweep)
        print(f"nnlite: {summary['stop_reason']}; the run (with its last finite weights) "
              f"is in {out_dir}", file=sys.stderr)
        sys.exit(exit_codes.DIVERGED)
    return objective_value(summary, config.get("report") or {})


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")
def hydra_main(cfg: DictConfig) -> float:
    try:
        return run_job(cfg)
    except (ConfigError, PluginError) as err:
        # A user mistake: one clear line, no traceback, and no empty run folder left.
        print(f"nnlite: {err}", file=sys.stderr)
        _remove_unused_run_dir(Path(HydraConfig.get().runtime.output_dir))
        _summarize_stopped_sweep()
        sys.exit(exit_codes.for_error(err))
    except KeyboardInterrupt:
        # stopped before training (importing a plugin, composing): nothing worth keeping
        _remove_unused_run_dir(Path(HydraConfig.get().runtime.output_dir))
        raise
    except OSError as err:
        # read-only folder, full disk (ulimit -f), permissions: not a bug in nnlite
        print(f"nnlite: cannot write the run's files: {err}", file=sys.stderr)
        _summarize_stopped_sweep()
        sys.exit(exit_codes.FILES)
    except Exception:
        _summarize_stopped_sweep()  # Hydra ends the sweep here, before its own summary
        raise


def _remove_unused_run_dir(out_dir: Path) -> None:
    """Hydra makes the run folder (with .hydra/ and a log) before the job starts; a run
    refused before training leaves nothing worth keeping there (and an older run's
    folder is never touched)."""
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        remove_unused(out_dir)
    elif out_dir.is_dir() and not run_files(out_dir):
        shutil.rmtree(out_dir, ignore_errors=True)  # a job folder: the sweep root stays


def _summarize_stopped_sweep() -> None:
    """When a job ends a sweep early (interrupted, refused, failed), summarise the jobs
    so far; a sweep folder left with no job at all is removed."""
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        return
    root = Path(HydraConfig.get().sweep.dir)
    if job_dirs(root):
        summarize_sweep(root)
    elif root.is_dir() and {p.name for p in root.iterdir()} <= {"multirun.yaml"}:
        shutil.rmtree(root, ignore_errors=True)
