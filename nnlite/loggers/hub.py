"""The built-in event plugin behind the `logger` config group: at a run's start it makes
the loggers its config names, passes every epoch's metrics on, and closes them at the
end, whatever the status. Runs without an output folder (`nl.train(config)`)
have nowhere to log and are skipped."""

from __future__ import annotations

import importlib
from typing import Any

from nnlite.loggers import LOGGERS

_active: dict[int, list[Any]] = {}  # id(run) -> its loggers, while it trains


def start_loggers(run: Any) -> None:
    wanted = run.config.logger
    if not wanted or run.out_dir is None:
        return
    loggers = []
    for name, settings in wanted.items():
        module, cls = LOGGERS[name][:2]
        loggers.append(getattr(importlib.import_module(module), cls)(run, **(settings or {})))
    _active[id(run)] = loggers


def log_epoch(run: Any, epoch: int, metrics: dict[str, float]) -> None:
    for logger in _active.get(id(run), []):
        logger.epoch(epoch, metrics)


def end_loggers(run: Any, summary: dict[str, Any]) -> None:
    for logger in _active.pop(id(run), []):
        logger.end(summary)
