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

import numpy as np

from nnlite.cli.composing import compose
from nnlite.data import Dataset
from nnlite.explain import Explanation, explain
from nnlite.registry import PluginError
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import Config
from nnlite.runs.config.tasks import loss_name
from nnlite.runs.config.typed import as_config
from nnlite.runs.folder.writing import write_atomic
from nnlite.runs.metrics import targets_for
from nnlite.runs.training.build import build_data, build_run

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


def first_batch(config: Config, train: Dataset,
                loss_name: str) -> tuple[np.ndarray, np.ndarray]:
    """The first `trainer.batch_size` training points (x: (B, d)) and their targets as
    the loss takes them (y: (B, 1) floats for BCE on binary labels, ...)."""
    size = config.trainer.batch_size or len(train.x)
    return train.x[:size], targets_for(train, loss_name)[:size]


def write_explanation(out_dir: Path, title: str, parts: list[tuple[str, Explanation]]) -> None:
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
    from nnlite.runs.folder.loading import load_run
    from nnlite.runs.training.lifecycle import train

    config = compose(overrides)
    start = build_run(config, None)  # the seed makes the same initial network as training
    xb, yb = first_batch(config, start.data["train"], start.loss_name)
    before = explain(start.model, xb, yb, start.loss_name, sample=sample)
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    out_dir = Path("runs") / config.name / stamp
    summary = train(config, out_dir)
    after = explain(load_run(out_dir).model, xb, yb, start.loss_name, sample=before.sample)
    write_explanation(out_dir, f"{config.name}: the network on its first batch of {len(xb)}",
          [("Before training", before), (f"After training ({summary['epochs']} epochs, "
                                         f"{summary['status']})", after)])
    return out_dir


def explain_run(path: Path, plugins: bool = False, sample: int | None = None) -> Path:
    """Explain a saved run's trained network on its first batch; files go into `path`.
    `plugins`: load the plugins the run lists (see nnlite.cli.trust)."""
    from nnlite.cli import trust

    if not (path / "model.npz").is_file():
        raise ConfigError(f"{str(path)!r} is not a finished nnlite run (no model.npz)")
    run = trust.load_trusted(path, plugins)
    config = as_config(run.config)
    parts, _ = build_data(config)
    loss = loss_name(config.loss, parts["train"].task)
    xb, yb = first_batch(config, parts["train"], loss)
    e = explain(run.model, xb, yb, loss, sample=sample)
    name = config.name
    write_explanation(path, f"{name}: the trained network on its first batch of {len(xb)}",
          [("After training", e)])
    return path


def explain_command(argv: list[str]) -> int:
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
