"""Loading the plugins a config lists, before anything reads its names (value checks,
building the run): a plugin's activations and optimizers count as registered names."""

from __future__ import annotations

from typing import Any

from nnlite.hooks.registration import load as load_plugin
from nnlite.registry import PluginError


def load_plugins(config: dict[str, Any]) -> None:
    """Load config["plugins"]; a plugin that calls sys.exit while loading is a PluginError."""
    for spec in config.get("plugins") or []:
        try:
            load_plugin(spec)
        except SystemExit as err:
            raise PluginError(f"plugin {spec!r} called sys.exit({err.code!r}) while loading: "
                              f"a plugin must raise an exception, not end the process") from None
