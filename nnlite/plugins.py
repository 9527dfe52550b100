"""Finding and registering plugins: built-ins, entry points, modules and .py files.

    nl.plugins.register(my_module)        # an imported module or any object with hookimpls
    nl.plugins.load("my_package.plugin")  # by module name
    nl.plugins.load("plugins/swish.py")   # by file path (relative to the working directory)

Installed packages announce plugins with an entry point in group "nnlite"; those are
loaded on first use of the registry.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import inspect
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from nnlite import hookspecs
from nnlite.registry import PluginError, Registry

if TYPE_CHECKING:
    from importlib import metadata

ENTRY_POINT_GROUP = "nnlite"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with nnlite's specs, built-ins and lazy entry-point loading."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self._entry_points_loaded = False
        self.distributions: dict[str, metadata.Distribution] = {}  # entry-point plugin -> package
        self.registry = Registry(self)

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        label = name or getattr(plugin, "__name__", None) or repr(plugin)
        self._check_hooks(plugin, label)
        try:
            result = super().register(plugin, name)
        except pluggy.PluginValidationError as err:
            # pluggy's message spans lines; the command line prints one.
            detail = "; ".join(line.strip() for line in str(err).splitlines() if line.strip())
            raise PluginError(f"plugin {label!r}: {detail}") from err
        self.registry.invalidate()
        return result

    def _check_hooks(self, plugin: Any, label: str) -> None:
        """Refuse a `@hookimpl` whose name is no nnlite hook (pluggy would keep it silently)
        or that asks for an argument its hook does not pass, with the hook's signature."""
        for attr in dir(plugin):
            opts = self.parse_hookimpl_opts(plugin, attr)
            if opts is None and attr in HOOK_NAMES and callable(getattr(plugin, attr)):
                # The easiest mistake to make, and pluggy ignores such a function silently.
                raise PluginError(f"plugin {label!r}: {attr} is not marked @nl.hookimpl, so "
                                  "nnlite would never call it; put @nl.hookimpl above it")
            if opts is None or opts.get("optionalhook"):
                continue
            hook_name = opts.get("specname") or attr
            if hook_name not in HOOK_NAMES:
                close = difflib.get_close_matches(hook_name, HOOK_NAMES, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise PluginError(
                    f"plugin {label!r}: {hook_name} is not an nnlite hook{hint}; "
                    f"the hooks are {', '.join(HOOK_NAMES)}"
                )
            try:
                wanted = list(inspect.signature(getattr(plugin, attr)).parameters)
            except (TypeError, ValueError):
                continue  # pluggy's own validation below still applies
            spec = inspect.signature(getattr(hookspecs, hook_name))
            extra = [arg for arg in wanted if arg not in spec.parameters]
            if extra:
                allowed = ("it takes no arguments" if not spec.parameters else
                           "an implementation may take any of its arguments, by name")
                raise PluginError(
                    f"plugin {label!r}: {hook_name}({', '.join(wanted)}) asks for "
                    f"{', '.join(map(repr, extra))}, which the hook does not pass; the hook is "
                    f"{hook_name}({', '.join(spec.parameters)}): {allowed}"
                )

    def unregister(self, plugin: Any = None, name: str | None = None) -> Any:
        result = super().unregister(plugin, name)
        self.registry.invalidate()
        return result

    def ensure_loaded(self) -> None:
        """Register the installed packages' plugins (entry points in group "nnlite"), once.

        A plugin that fails to import or register raises PluginError naming it and its
        package, and keeps raising on every later use until it is fixed or uninstalled
        (or blocked: `nl.plugins.manager.set_blocked(name)`), so no run starts without it.
        """
        if self._entry_points_loaded:
            return
        # Imported here, not at the top: it costs as much as the rest of `import nnlite`,
        # and entry points are only read when the registry is first used.
        from importlib import metadata

        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self.get_plugin(ep.name) is not None or self.is_blocked(ep.name):
                continue
            dist = getattr(ep, "dist", None)
            origin = f"entry point {ep.value!r}"
            if dist is not None:
                origin += f" of package {dist.metadata['Name']} {dist.version}"
            try:
                plugin = ep.load()
            except Exception as err:
                raise PluginError(
                    f"plugin {ep.name!r} ({origin}) failed to import: {err!r}") from err
            if not self.is_registered(plugin):  # else already given to nl.plugins.register
                try:
                    self.register(plugin, name=ep.name)
                except PluginError as err:
                    raise PluginError(f"{err} ({origin})") from err
            if dist is not None:
                self.distributions[self.get_name(plugin)] = dist
        self._entry_points_loaded = True


HOOK_NAMES = sorted(name for name in vars(hookspecs) if name.startswith("nnlite_"))


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
    name is an error. So is a plugin whose names clash with registered ones, or whose
    hook fails: it is refused here, left unregistered, and the registry keeps working.
    """
    if manager.is_registered(plugin):
        return manager.get_name(plugin)
    name = name or getattr(plugin, "__name__", None)
    if name is not None and manager.get_plugin(name) is not None:
        raise PluginError(f"a plugin named {name!r} is already registered")
    registry.entries  # noqa: B018  (built first, so an error below is this plugin's)
    registered = manager.register(plugin, name=name)
    try:
        registry.entries  # noqa: B018  (build now with the plugin: clashes surface here)
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


_register_builtins()


USAGE = """usage: nnlite plugins [list] [PLUGIN ...]

Every registered name by kind (activations, initializers, optimizers, losses, layers,
datasets, schedules) with the plugin that gives it and the file it comes from: the
built-ins, installed packages' entry points (group "nnlite"), and each PLUGIN given
(a module name or a .py file, as in a run config's `plugins:`)."""


def command(argv: list[str]) -> int:
    """`python -m nnlite plugins [list] [PLUGIN ...]`: print the registry table.

    Returns the exit status: 0, or 1 after one line `nnlite: <message>` on stderr when
    a plugin fails to load (nothing else is printed then).
    """
    args = list(argv)
    if args[:1] == ["list"]:
        args = args[1:]
    if any(arg in ("-h", "--help", "help") for arg in args):
        print(USAGE)
        return 0
    unknown = [arg for arg in args if arg.startswith("-")]
    if unknown:
        print(f"nnlite: unknown option {unknown[0]!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        for spec in args:
            load(spec)
        table = registry.table()
    except PluginError as err:
        print(f"nnlite: {err}", file=sys.stderr)
        return 1
    try:
        print(table, flush=True)
    except BrokenPipeError:  # `nnlite plugins | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
