"""The plugin manager: pluggy's, with nnlite's hook specs, the built-ins and the
installed packages' plugins, all registered on first use.

The manager is the registry's source (`nnlite.registry.Source`): the registry asks
it to `load()` before its first lookup and reads every plugin's registration hooks
through `implementations(kind)`. Registering or removing a plugin bumps `version`, so
the registry rebuilds its tables at its next lookup; the manager never calls the
registry.
"""

from __future__ import annotations

import difflib
import inspect
from typing import TYPE_CHECKING, Any, Callable

import pluggy

from nnlite import hookspecs
from nnlite.registry import PluginError

if TYPE_CHECKING:
    from importlib import metadata

ENTRY_POINT_GROUP = "nnlite"
HOOK_NAMES = sorted(name for name in vars(hookspecs) if name.startswith("nnlite_"))


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with nnlite's specs, built-ins and lazy entry-point loading."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.version = 0  # bumped by every register and unregister
        self._builtins_loaded = False
        self._entry_points_loaded = False
        self.distributions: dict[str, metadata.Distribution] = {}  # entry-point plugin -> package

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        label = name or getattr(plugin, "__name__", None) or repr(plugin)
        self._check_hooks(plugin, label)
        try:
            result = super().register(plugin, name)
        except pluggy.PluginValidationError as err:
            # pluggy's message spans lines; the command line prints one.
            detail = "; ".join(line.strip() for line in str(err).splitlines() if line.strip())
            raise PluginError(f"plugin {label!r}: {detail}") from err
        self.version += 1
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
        self.version += 1
        return result

    # -- what the registry asks ------------------------------------------------------
    def load(self) -> None:
        """Register the built-ins, then the installed packages' plugins (entry points in
        group "nnlite"); each once. Called by the registry before every lookup."""
        if not self._builtins_loaded:
            from nnlite.plugins import builtins

            self.register(builtins, name="nnlite.builtins")
            self._builtins_loaded = True
        if not self._entry_points_loaded:
            self._load_entry_points()

    def implementations(self, kind: str) -> list[tuple[str, Any, Callable[[], Any]]]:
        hook = getattr(self.hook, f"nnlite_{kind}")
        return [(impl.plugin_name, impl.plugin, impl.function)
                for impl in hook.get_hookimpls()]  # in registration order

    def package_of(self, plugin: str) -> str | None:
        dist = self.distributions.get(plugin)
        return None if dist is None else f"{dist.metadata['Name']} {dist.version}"

    def _load_entry_points(self) -> None:
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


manager = PluginManager()
