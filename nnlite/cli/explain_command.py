"""`python -m nnlite explain`: the forward and backward pass of a network on its first
batch, written out in the notes' notation (explain.md) and drawn (explain.png).

    python -m nnlite explain +experiment=xor [key=value ...]   before and after training
    python -m nnlite explain RUN_DIR                           a saved run, as trained

The first batch is the first `trainer.batch_size` points of the training split (all of
them when the batch size is null), standardised as in training. `sample=i` (from 0)
picks the sample explain.png draws; by default the first whose input is not all zeros.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from nnlite.data import Dataset
from nnlite.explain import Explanation, explain
from nnlite.registry import PluginError
from nnlite.runs.build import build_data, build_run, loss_name_for
from nnlite.runs.config import ConfigError
from nnlite.runs.files import write_atomic
from nnlite.runs.metrics import targets_for

USAGE = """usage: nnlite explain +experiment=NAME [key=value ...] [sample=i]
       nnlite explain RUN_DIR [--plugins] [sample=i]

The forward and backward pass of a network on its first batch (the first
trainer.batch_size training points), in the course notes' notation: explain.md (the
chain rule with numbers) and explain.png (the network as a computation graph).
With an experiment (and any overrides, as for `python -m nnlite`), the network is
explained before and after training, and the run is saved to runs/NAME/<timestamp>/
with both files. With RUN_DIR, the saved run's trained network is explained and the
files are written into RUN_DIR; --plugins loads the plugins the run lists (their code
runs: only for a run you trust). sample=i (from 0) is the sample explain.png draws
(default: the first whose input is not all zeros)."""


def first_batch(config: dict[str, Any], train: Dataset,
                loss_name: str) -> tuple[np.ndarray, np.ndarray]:
    """The first `trainer.batch_size` training points (x: (B, d)) and their targets as
    the loss takes them (y: (B, 1) floats for BCE on binary labels, ...)."""
    size = (config.get("trainer") or {}).get("batch_size") or len(train.x)
    return train.x[:size], targets_for(train, loss_name)[:size]


def compose(overrides: list[str]) -> dict[str, Any]:
    """The config `python -m nnlite *overrides` would run, checked the same way."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from nnlite.cli import app
    from nnlite.cli.paths import config_dir

    app.register()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=overrides)
    except Exception as err:  # Hydra's own errors: an unknown experiment, a bad override
        raise ConfigError(str(err).splitlines()[0]) from None
    return app.checked_config(cfg)


def write(out_dir: Path, title: str, parts: list[tuple[str, Explanation]]) -> None:
    """explain.md (every part in turn) and explain.png (their graphs side by side)."""
    from nnlite.explain.figure import side_by_side
    from nnlite.plots.figure import save

    text = [f"# {title}", ""]
    for heading, e in parts:
        text.append(e.to_markdown(heading, level=2))
    write_atomic(out_dir / "explain.md", "\n".join(text))
    fig, axes = side_by_side([e for _, e in parts])
    for ax, (heading, e) in zip(axes, parts):
        e.figure(ax=ax)
        ax.set_title(f"{heading}\n{ax.get_title()}", fontsize=9)
    save(fig, out_dir / "explain.png", tight=False)  # side_by_side sets the margins


def take_sample(args: list[str]) -> tuple[int | None, list[str]]:
    """`sample=i` taken out of the arguments (it is the explainer's, not the config's)."""
    rest = [arg for arg in args if not arg.startswith("sample=")]
    given = [arg.partition("=")[2] for arg in args if arg.startswith("sample=")]
    if not given:
        return None, rest
    if len(given) > 1 or not given[-1].isdigit():
        raise ConfigError(f"sample= takes one whole number from 0, got {' '.join(given)!r}")
    return int(given[-1]), rest


def explain_experiment(overrides: list[str], sample: int | None = None) -> Path:
    """Explain the experiment's network on its first batch, train it (a normal run, saved
    under runs/), and explain the trained network on the same batch."""
    from nnlite.runs.reading import load_run
    from nnlite.runs.train import train

    config = compose(overrides)
    start = build_run(config, None)  # the seed makes the same initial network as training
    xb, yb = first_batch(config, start.data["train"], start.loss_name)
    before = explain(start.model, xb, yb, start.loss_name, sample=sample)
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    out_dir = Path("runs") / config["name"] / stamp
    summary = train(config, out_dir)
    after = explain(load_run(out_dir).model, xb, yb, start.loss_name, sample=before.sample)
    write(out_dir, f"{config['name']}: the network on its first batch of {len(xb)}",
          [("Before training", before), (f"After training ({summary['epochs']} epochs, "
                                         f"{summary['status']})", after)])
    return out_dir


def explain_run(path: Path, plugins: bool = False, sample: int | None = None) -> Path:
    """Explain a saved run's trained network on its first batch; files go into `path`.
    `plugins`: load the plugins the run lists (see nnlite.cli.trust)."""
    from nnlite.cli import trust

    if not (path / "model.npz").is_file():
        raise ConfigError(f"{str(path)!r} is not a finished nnlite run (no model.npz)")
    run = trust.load(path, plugins)
    parts, _ = build_data(run.config)
    loss_name = loss_name_for(run.config, parts["train"])
    xb, yb = first_batch(run.config, parts["train"], loss_name)
    e = explain(run.model, xb, yb, loss_name, sample=sample)
    name = run.config.get("name", path.name)
    write(path, f"{name}: the trained network on its first batch of {len(xb)}",
          [("After training", e)])
    return path


def command(argv: list[str]) -> int:
    """Returns the exit status: 0; 1 after one `nnlite:` line for a user mistake; 2 for
    a usage error."""
    args = list(argv)
    trusted = "--plugins" in args
    args = [arg for arg in args if arg != "--plugins"]
    if not args or any(arg in ("-h", "--help", "help") for arg in args):
        print(USAGE)
        return 0 if args else 2
    try:
        sample, args = take_sample(args)
    except ConfigError as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return 1
    run_dir = len(args) == 1 and "=" not in args[0]
    if not run_dir and any("=" not in arg for arg in args):
        print(f"nnlite: explain takes one RUN_DIR or overrides like +experiment=xor, got "
              f"{' '.join(args)!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        out = (explain_run(Path(args[0]), trusted, sample) if run_dir
               else explain_experiment(args, sample))
    except (ConfigError, PluginError, ValueError, FileNotFoundError) as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return 1
    print(f"nnlite: wrote {out / 'explain.md'} and {out / 'explain.png'}")
    return 0
