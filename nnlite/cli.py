"""The `python -m nnlite` / `nnlite` command: a Hydra app over configs/.

    python -m nnlite +experiment=xor
    python -m nnlite +experiment=moons optimizer=adam optimizer.lr=0.01
    python -m nnlite -m +experiment=xor seed=0,1,2

Hydra composes the config; `run_job` checks it strictly (schema re-merge, value checks
after plugins load) and hands a plain dict to `nnlite.train.train`. User mistakes end
with one clear message and exit status 1, not a traceback.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from nnlite.paths import config_dir
from nnlite.registry import PluginError
from nnlite.schema import ConfigError, register_configs, strict_merge, validate

log = logging.getLogger("nnlite")


def _registry_listing() -> str:
    import nnlite as nl

    try:
        return "\n".join(f"  {line}" for line in repr(nl.registry).splitlines())
    except Exception as err:
        return f"  (plugins failed to load: {err})"


def _experiments() -> str:
    names = sorted(p.stem for p in (config_dir() / "experiment").glob("*.yaml"))
    user = Path.cwd() / "configs" / "experiment"
    if user.is_dir():
        names += sorted(f"{p.stem} (./configs)" for p in user.glob("*.yaml"))
    return ", ".join(names)


OmegaConf.register_new_resolver("nnlite_registry", _registry_listing, replace=True)
OmegaConf.register_new_resolver("nnlite_experiments", _experiments, replace=True)
register_configs()


# The signal that stopped the run: the process then exits 128 + its number (130 for
# Ctrl-C, 143 for SIGTERM), as a shell or a cluster scheduler expects of a stopped job.
_stopped_by = [signal.SIGINT]


def _stop_on_sigterm() -> None:
    """Treat SIGTERM (a cluster's time limit, `kill`) like Ctrl-C: the run is recorded
    as interrupted with its files complete, instead of vanishing mid-write."""
    if threading.current_thread() is threading.main_thread():
        def interrupt(signum: int, frame: Any) -> None:
            _stopped_by[0] = signal.Signals(signum)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)


def run_job(cfg: DictConfig) -> float:
    """Validate, train, write files; return the final train loss (what sweepers minimise).

    An interrupted run (Ctrl-C, SIGTERM) ends the whole command once its files are
    written -- a sweep does not go on to its next job -- with exit status 130 or 143.
    """
    from nnlite.train import load_plugins, train

    _stop_on_sigterm()
    config = OmegaConf.to_container(strict_merge(cfg), resolve=True)
    load_plugins(config)
    validate(config)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    summary = train(config, out_dir, progress=config["trainer"]["progress"])
    if summary["status"] == "interrupted":
        print(f"nnlite: interrupted; the run so far is in {out_dir}", file=sys.stderr)
        _summarize_stopped_sweep()
        sys.exit(128 + _stopped_by[0])
    return float(summary["final"].get("train_loss", float("nan")))


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")
def _hydra_main(cfg: DictConfig) -> float:
    try:
        return run_job(cfg)
    except (ConfigError, PluginError) as err:
        # A user mistake: one clear line, no traceback, and no empty run folder left.
        print(f"nnlite: {err}", file=sys.stderr)
        _remove_unused_run_dir(Path(HydraConfig.get().runtime.output_dir))
        _summarize_stopped_sweep()
        sys.exit(1)
    except Exception:
        _summarize_stopped_sweep()  # Hydra ends the sweep here, before its own summary
        raise


def _remove_unused_run_dir(out_dir: Path) -> None:
    """Hydra makes the run folder (with .hydra/ and a log) before the job starts; a run
    refused before training leaves nothing worth keeping there."""
    if out_dir.is_dir() and not (out_dir / "metrics.csv").exists():
        shutil.rmtree(out_dir, ignore_errors=True)


def _summarize_stopped_sweep() -> None:
    """When a job ends a sweep early (interrupted, refused, failed), summarise the jobs
    so far; a sweep folder left with no job at all is removed."""
    from nnlite.callbacks import summarize_sweep
    from nnlite.report import job_dirs

    if HydraConfig.get().mode != RunMode.MULTIRUN:
        return
    root = Path(HydraConfig.get().sweep.dir)
    if job_dirs(root):
        summarize_sweep(root)
    elif root.is_dir() and {p.name for p in root.iterdir()} <= {"multirun.yaml"}:
        shutil.rmtree(root, ignore_errors=True)


def main() -> Any:
    """Console-script entry point (`nnlite ...`); `nnlite plugins` lists the registry."""
    if sys.argv[1:2] == ["plugins"]:
        from nnlite.plugins import command

        sys.exit(command(sys.argv[2:]))
    return _hydra_main()
