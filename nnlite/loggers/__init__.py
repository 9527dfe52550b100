"""Loggers: the config group `logger` (tensorboard | mlflow | jsonl, several at once),
built on the training-event hooks like any plugin.

    hub.py          the built-in event plugin: starts the loggers a run's config names
                    (`logger: {tensorboard: {...}}`), passes each epoch on, closes them
    tensorboard.py  event files in <run dir>/tensorboard/ (tensorboardX)
    mlflow_log.py   MLflow runs; a sweep is a parent run with a child per job
    jsonl.py        metrics.jsonl in the run folder (no dependency)

A logger is a class taking (run, **settings) with `epoch(epoch, metrics)` and
`end(summary)` methods. A logger for another service needs none of this: it is a plugin
with the three event hooks (docs/loggers.md shows one for Weights & Biases).
"""

# logger name -> (module, class, the package it needs, the extra that installs it)
LOGGERS = {
    "tensorboard": ("nnlite.loggers.tensorboard", "TensorBoardLogger", "tensorboardX",
                    "tensorboard"),
    "mlflow": ("nnlite.loggers.mlflow_log", "MlflowLogger", "mlflow", "mlflow"),
    "jsonl": ("nnlite.loggers.jsonl", "JsonlLogger", None, None),
}


def missing(name: str) -> str | None:
    """Why logger `name` cannot run here (unknown, or its package is not installed)."""
    import importlib.util

    if name not in LOGGERS:
        return f"unknown logger {name!r}; the loggers are {', '.join(LOGGERS)}"
    package, extra = LOGGERS[name][2:]
    if package and importlib.util.find_spec(package) is None:
        return (f"logger={name} needs {package}, which is not installed; in the nnlite "
                f"checkout: pip install -e \".[{extra}]\"")
    return None
