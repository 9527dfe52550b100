"""Runs: a config becomes a trained model and a folder of files.

At the bottom, `config/`: what a config holds and the checks it passes. Above it, the
files directly in runs/ are what every other part shares: `run.py` (what one run is
made of), `metrics.py` (what a model's outputs mean for a task), `model_spec.py` (the
model as data), `best.py` (the best epoch's weights) and `prediction.py` (using a
trained model). Above them, sub-packages of one concern each, whose imports run one way
(docs/architecture.md):

    folder/    a run's folder: written, reserved, read back, drawn later
    training/  one run: build, the loop, checkpoints, its record
    results/   many runs: sweep summaries, the objective, the runs listing, new inputs
    draw.py    the process that draws a finished run's or sweep's plots
"""

from nnlite.runs.folder.loading import LoadedRun, load_run
from nnlite.runs.training.lifecycle import train

__all__ = ["LoadedRun", "load_run", "train"]
