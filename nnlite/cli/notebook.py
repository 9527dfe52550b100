"""`nl.run(experiment, overrides, out_dir)`: an experiment from Python, composed exactly
as `python -m nnlite +experiment=... key=value ...` composes it.

The notebook entry point. `nnlite.cli.composing.compose` builds the config from the same
files (and the same `./configs/experiment/` of the working directory) and checks it as
the command line does, and `nnlite.runs.training.lifecycle.train` trains it. Nothing is
written unless `out_dir` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from nnlite.hookspecs import hookimpl
from nnlite.nn.module import Module
from nnlite.plugins.manager import manager
from nnlite.runs.config.schema import Config
from nnlite.runs.prediction import Predictor, model_meta


@dataclass(repr=False)
class RunResult(Predictor):
    """What `nl.run` gives back: the summary (summary.json's contents), the trained
    model, the checked config and the folder its files went to (or None). It predicts
    like a loaded run (`predict`, `predict_proba`, `score`, `outputs`), and unpacks as
    `summary, model = nl.run(...)`."""

    summary: dict[str, Any]
    model: Module
    config: Config
    out_dir: Path | None
    meta: dict[str, Any]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.summary, self.model))

    def __repr__(self) -> str:
        final = ", ".join(f"{k}={v:.4g}" for k, v in list(self.summary["final"].items())[:3])
        return (f"RunResult(experiment={self.config.name!r}, "
                f"status={self.summary['status']!r}, epochs={self.summary['epochs']}, {final})")


class _KeepRun:
    """A plugin that keeps the Run the trainer ends with (the model and its data)."""

    def __init__(self) -> None:
        self.run: Any = None

    @hookimpl
    def nnlite_run_end(self, run: Any, summary: dict[str, Any]) -> None:
        self.run = run


def run(experiment: str | None = "xor", overrides: Sequence[str] = (),
        out_dir: str | Path | None = None) -> RunResult:
    """Compose as the command line does, train, and return the summary and the model.

        summary, model = nl.run("moons", ["optimizer.lr=0.05", "trainer.epochs=50"])

    experiment: a shipped or ./configs/experiment name (None: the root config alone).
    overrides: Hydra overrides, as on the command line (no sweeps: one run).
    out_dir: where the run's files go (config.yaml, metrics.csv, summary.json,
    model.npz, plots); None writes nothing.
    """
    from nnlite.cli.composing import compose
    from nnlite.runs.training.lifecycle import train

    config = compose([*([f"+experiment={experiment}"] if experiment else []), *overrides])
    keeper = _KeepRun()
    manager.register(keeper)
    try:
        summary = train(config, Path(out_dir) if out_dir is not None else None,
                        progress=config.trainer.progress)
    finally:
        manager.unregister(keeper)
    built = keeper.run
    return RunResult(summary, built.model, config, Path(out_dir) if out_dir else None,
                     model_meta(built))
