"""Loading the plugins a config lists, before anything reads its names (value checks,
building the run): a plugin's activations and optimizers count as registered names."""

from __future__ import annotations

from nnlite.plugins.registration import load as load_plugin
from nnlite.registry import PluginError


def load_plugins(specs: list[str]) -> None:
    """Load the listed plugins (modules or .py files); a plugin that calls sys.exit while
    loading is a PluginError."""
    for spec in specs:
        try:
            load_plugin(spec)
        except SystemExit as err:
            raise PluginError(f"plugin {spec!r} called sys.exit({err.code!r}) while loading: "
                              f"a plugin must raise an exception, not end the process") from None
