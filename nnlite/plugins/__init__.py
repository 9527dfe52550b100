"""The plugin tier, pluggy's side of the registry; `nl.plugins` is this package.

    manager.py       the pluggy PluginManager: hook specs, built-ins, entry points
    builtins.py      nnlite's own names, registered through the same hooks as any plugin
    registration.py  register / unregister / load a plugin from Python
    factories.py     build by name: nl.activation, nl.optimizer, nl.dataset, ...

(The repository's top-level `plugins/` folder holds example plugins to copy.)
"""

from nnlite.plugins.manager import manager
from nnlite.plugins.registration import load, register, unregister
from nnlite.registry import registry

__all__ = ["load", "manager", "register", "registry", "unregister"]
