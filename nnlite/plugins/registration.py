"""Adding plugins from Python: `nl.plugins.register`, `nl.plugins.load`, `unregister`.

    nl.plugins.register(my_module)        # an imported module or any object with hookimpls
    nl.plugins.load("my_package.plugin")  # by module name
    nl.plugins.load("plugins/swish.py")   # by file path (relative to the working directory)

Installed packages announce plugins with an entry point in group "nnlite"; the
manager loads those on first use of the registry.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from nnlite.plugins.manager import manager
from nnlite.registry import PluginError, registry


def register(plugin: Any, name: str | None = None) -> str:
    """Register a module (or object) whose `@nl.hookimpl` functions add names.

    Registering the same object twice is a no-op; another plugin under a taken
    name is an error. So is a plugin whose names clash with registered ones, or whose
    hook fails: it is refused here, left unregistered, and the registry keeps working.
    """
    if manager.is_registered(plugin):
        return manager.get_name(plugin)
    name = name or getattr(plugin, "__name__", None)
    if name is not None and manager.get_plugin(name) is not None:
        raise PluginError(f"a plugin named {name!r} is already registered")
    registry.refresh()  # the tables as they are, so an error below is this plugin's
    registered = manager.register(plugin, name=name)
    try:
        registry.refresh()  # with the plugin: a clash or a failing hook surfaces here
    except PluginError:
        manager.unregister(plugin)
        raise
    return registered


def unregister(plugin: Any) -> None:
    """Remove a plugin registered earlier (its names disappear from the registry)."""
    manager.unregister(plugin)


def load(spec: str) -> ModuleType:
    """Import a plugin by module name or .py file path and register it.

    A path is resolved against the current working directory. Errors name the
    plugin and what went wrong; nothing is half registered.
    """
    path = Path(spec)
    if spec.endswith(".py") or path.suffix == ".py" or "/" in spec or "\\" in spec:
        if not path.is_file():
            raise PluginError(f"plugin file {spec!r} not found (looked in {Path.cwd()})")
        module_name = f"nnlite_user_plugin_{path.stem}"
        existing = sys.modules.get(module_name)
        if existing is not None and Path(existing.__file__ or "").resolve() == path.resolve():
            register(existing, name=str(path))
            return existing
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except Exception as err:
            raise PluginError(f"plugin file {spec!r} failed to import: {err!r}") from err
        sys.modules[module_name] = module
        register(module, name=str(path))
        return module
    try:
        module = importlib.import_module(spec)
    except Exception as err:
        raise PluginError(f"plugin module {spec!r} failed to import: {err!r}") from err
    register(module)
    return module
