"""Finding and registering plugins: built-ins, entry points, modules and .py files.

    nl.plugins.register(my_module)        # an imported module or any object with hookimpls
    nl.plugins.load("my_package.plugin")  # by module name
    nl.plugins.load("plugins/swish.py")   # by file path (relative to the working directory)

Installed packages announce plugins with an entry point in group "nnlite"; those are
loaded on first use of the registry.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from nnlite import hookspecs
from nnlite.registry import PluginError, Registry

ENTRY_POINT_GROUP = "nnlite"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with nnlite's specs, built-ins and lazy entry-point loading."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self._entry_points_loaded = False
        self.registry = Registry(self)

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        try:
            result = super().register(plugin, name)
        except pluggy.PluginValidationError as err:
            raise PluginError(f"plugin {name or getattr(plugin, '__name__', plugin)!r}: {err}") from err
        self.registry.invalidate()
        return result

    def unregister(self, plugin: Any = None, name: str | None = None) -> Any:
        result = super().unregister(plugin, name)
        self.registry.invalidate()
        return result

    def ensure_loaded(self) -> None:
        """Register the built-ins' and installed packages' plugins, once."""
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self.get_plugin(ep.name) is not None or self.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as err:
                raise PluginError(
                    f"plugin {ep.name!r} (entry point {ep.value!r}) failed to import: {err!r}"
                ) from err
            self.register(plugin, name=ep.name)


manager = PluginManager()
registry = manager.registry


def _register_builtins() -> None:
    from nnlite.builtin import BUILTIN_MODULES

    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        manager.register(module, name=module_name)


def register(plugin: Any, name: str | None = None) -> str:
    """Register a module (or object) whose `@nl.hookimpl` functions add names.

    Registering the same object twice is a no-op; another plugin under a taken
    name is an error.
    """
    if manager.is_registered(plugin):
        return manager.get_name(plugin)
    name = name or getattr(plugin, "__name__", None)
    if name is not None and manager.get_plugin(name) is not None:
        raise PluginError(f"a plugin named {name!r} is already registered")
    return manager.register(plugin, name=name)


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


_register_builtins()
