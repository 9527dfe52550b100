"""Runs: a config becomes a trained model and a folder of files.

    config.py      the config's keys, types and defaults (dataclasses)
    validate.py    value checks beyond types
    build.py       config -> Run (data, model, loss, optimizer); model_spec.py: the model as data
    run.py         the Run that plugins see
    trainer.py     the loop; metrics.py what outputs mean; diagnostics.py gradient and
                   activation statistics
    summary.py     summary.json; train.py the lifecycle (build, fit, record)
    files.py       atomic writes; recorder.py a run's files as it goes; reading.py load_run
    sweep.py       sweep summaries
"""

from nnlite.runs.reading import LoadedRun, load_run
from nnlite.runs.train import train

__all__ = ["LoadedRun", "load_run", "train"]
