"""A config ready to run: typed by the schema, its plugins loaded, its values checked.

The one door every config goes through before a run is built from it: the command
line's, `nl.run`'s, `explain`'s, a resumed run's and a plain dict given to `nl.train`.
"""

from __future__ import annotations

from typing import Any

from nnlite.runs.config.checks import check_config
from nnlite.runs.config.plugins import load_plugins
from nnlite.runs.config.schema import Config
from nnlite.runs.config.typed import as_config


def checked_config(value: Config | Any) -> Config:
    """`value` (a Config, a dict, or what Hydra composed) as a checked Config: keys and
    types by the schema, then the plugins it lists loaded, then every value checked
    (a plugin's names count). ConfigError or PluginError otherwise."""
    config = as_config(value)
    load_plugins(config.plugins)
    check_config(config)
    return config
