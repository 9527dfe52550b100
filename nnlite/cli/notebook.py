"""`nl.run(experiment, overrides, out_dir)`: an experiment from Python, composed exactly
as `python -m nnlite +experiment=... key=value ...` composes it.

The notebook entry point. Hydra's compose API builds the config from the same files
(and the same `./configs/experiment/` of the working directory), `app.checked_config`
checks it as the command line does, and `nnlite.runs.training.lifecycle` trains it. Nothing is
written unless `out_dir` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from nnlite.hooks.manager import manager
from nnlite.hookspecs import hookimpl
from nnlite.nn.module import Module
from nnlite.runs.prediction import Predictor


@dataclass(repr=False)
class RunResult(Predictor):
    """What `nl.run` gives back: the summary (summary.json's contents), the trained
    model, the checked config and the folder its files went to (or None). It predicts
    like a loaded run (`predict`, `predict_proba`, `score`, `outputs`), and unpacks as
    `summary, model = nl.run(...)`."""

    summary: dict[str, Any]
    model: Module
    config: dict[str, Any]
    out_dir: Path | None
    meta: dict[str, Any]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.summary, self.model))

    def __repr__(self) -> str:
        final = ", ".join(f"{k}={v:.4g}" for k, v in list(self.summary["final"].items())[:3])
        return (f"RunResult(experiment={self.config.get('name')!r}, "
                f"status={self.summary['status']!r}, epochs={self.summary['epochs']}, {final})")


class _KeepRun:
    """A plugin that keeps the Run the trainer ends with (the model and its data)."""

    def __init__(self) -> None:
        self.run: Any = None

    @hookimpl
    def nnlite_run_end(self, run: Any, summary: dict[str, Any]) -> None:
        self.run = run


def compose_config(experiment: str | None = None,
                   overrides: Sequence[str] = ()) -> dict[str, Any]:
    """The checked config of `python -m nnlite [+experiment=E] *overrides` as a dict."""
    from hydra import compose, initialize_config_dir

    from nnlite.cli import app
    from nnlite.cli.paths import config_dir

    app.register()
    args = [*([f"+experiment={experiment}"] if experiment else []), *overrides]
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        cfg = compose(config_name="config", overrides=args)
    return app.checked_config(cfg)


def run(experiment: str | None = "xor", overrides: Sequence[str] = (),
        out_dir: str | Path | None = None) -> RunResult:
    """Compose as the command line does, train, and return the summary and the model.

        summary, model = nl.run("moons", ["optimizer.lr=0.05", "trainer.epochs=50"])

    experiment: a shipped or ./configs/experiment name (None: the root config alone).
    overrides: Hydra overrides, as on the command line (no sweeps: one run).
    out_dir: where the run's files go (config.yaml, metrics.csv, summary.json,
    model.npz, plots); None writes nothing.
    """
    from nnlite.runs.training.lifecycle import train

    config = compose_config(experiment, overrides)
    keeper = _KeepRun()
    manager.register(keeper)
    try:
        summary = train(config, Path(out_dir) if out_dir is not None else None,
                        progress=config["trainer"]["progress"])
    finally:
        manager.unregister(keeper)
    built, train_split = keeper.run, keeper.run.data["train"]
    meta = {"model": built.model_spec, "task": train_split.task,
            "n_classes": train_split.n_classes,
            "classes": list(train_split.classes) if train_split.classes is not None else None,
            "standardizer": (built.standardizer.state() if built.standardizer is not None
                             else None)}
    return RunResult(summary, built.model, config, Path(out_dir) if out_dir else None, meta)
