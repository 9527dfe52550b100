"""One merged registry per kind (activations, initializers, ...), built from plugins.

The registry asks every registered pluggy plugin for its `{name: factory}` dicts,
remembers which plugin (and file) gave each name, and answers lookups. Unknown names
and duplicate names fail loudly with what is available.
"""

from __future__ import annotations

import difflib
import inspect
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator

KINDS = ("activations", "initializers", "optimizers", "losses", "layers", "datasets", "schedules")
SINGULAR = {kind: kind[:-1] for kind in KINDS} | {"losses": "loss"}


class PluginError(RuntimeError):
    """A plugin could not be loaded or registered, or it gave something unusable."""


class PluginTypeError(PluginError, TypeError):
    """A plugin's factory returned the wrong kind of object (e.g. not an `nl.Module`).

    A PluginError, so the command line reports it in one line, and a TypeError, which
    is what it is.
    """


@dataclass(frozen=True)
class Entry:
    """One registered name: the factory, the plugin that gave it and where it lives."""

    kind: str
    name: str
    factory: Callable[..., Any]
    plugin: str
    source: str


def _source_of(plugin: Any, factory: Any) -> str:
    """The plugin module's file, else the factory's file, else "?"."""
    for obj in (plugin, factory):
        try:
            source = inspect.getsourcefile(obj)
        except TypeError:
            source = None
        if source:
            return os.path.normpath(os.path.abspath(source))
    return getattr(plugin, "__file__", None) or "?"


class Registry:
    """Names per kind, merged from every plugin the plugin manager knows.

    Built lazily on first use and rebuilt whenever a plugin is registered, so
    `nl.plugins.register(module)` takes effect at once.
    """

    def __init__(self, manager: Any) -> None:
        self._manager = manager
        self._entries: dict[str, dict[str, Entry]] | None = None

    def invalidate(self) -> None:
        self._entries = None

    def _build(self) -> dict[str, dict[str, Entry]]:
        entries: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
        for kind in KINDS:
            hook = getattr(self._manager.hook, f"nnlite_{kind}")
            # Call each implementation on its own, so every name knows its plugin.
            for impl in hook.get_hookimpls():  # in registration order
                plugin = impl.plugin_name
                try:
                    given = impl.function()
                except Exception as err:
                    raise PluginError(f"plugin {plugin!r}: nnlite_{kind}() raised {err!r}") from err
                if not isinstance(given, dict):
                    raise PluginError(
                        f"plugin {plugin!r}: nnlite_{kind}() must return a dict of "
                        "name -> factory, "
                        f"got {type(given).__name__}"
                    )
                for name, factory in given.items():
                    if not isinstance(name, str) or not callable(factory):
                        raise PluginError(
                            f"plugin {plugin!r}: nnlite_{kind}() entry {name!r} -> {factory!r} "
                            "is not a str name with a callable factory"
                        )
                    source = _source_of(impl.plugin, factory)
                    if name in entries[kind]:
                        first = entries[kind][name]
                        raise PluginError(
                            f"{SINGULAR[kind]} {name!r} is given by two plugins: {first.plugin!r} "
                            f"({first.source}) and {plugin!r} ({source})"
                        )
                    entries[kind][name] = Entry(kind, name, factory, plugin, source)
        return entries

    @property
    def entries(self) -> dict[str, dict[str, Entry]]:
        if self._entries is None:
            self._manager.ensure_loaded()
            self._entries = self._build()
        return self._entries

    def _kind(self, kind: str) -> dict[str, Entry]:
        if kind not in KINDS:
            raise ValueError(f"unknown registry kind {kind!r}; kinds are {', '.join(KINDS)}")
        return self.entries[kind]

    def names(self, kind: str) -> list[str]:
        """Sorted names registered for `kind` (e.g. "activations")."""
        return sorted(self._kind(kind))

    def entry(self, kind: str, name: str) -> Entry:
        """The Entry for `name`, or a ValueError listing the known names and the closest match."""
        known = self._kind(kind)
        if name in known:
            return known[name]
        close = difflib.get_close_matches(str(name), list(known), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown {SINGULAR[kind]} {name!r}.{hint} Known {kind}: {', '.join(sorted(known))}"
        )

    def get(self, kind: str, name: str) -> Callable[..., Any]:
        """The factory registered as `name` for `kind`."""
        return self.entry(kind, name).factory

    def __contains__(self, kind_and_name: tuple[str, str]) -> bool:
        kind, name = kind_and_name
        return name in self._kind(kind)

    def __iter__(self) -> Iterator[Entry]:
        for kind in KINDS:
            yield from (self.entries[kind][n] for n in sorted(self.entries[kind]))

    def table(self) -> str:
        """Every name by kind with the plugin and file it came from; plugins found through
        an installed package's entry point also show the package and its version."""
        self.entries  # noqa: B018  (loads the entry points, which records their packages)
        packages = {
            plugin: f" [{dist.metadata['Name']} {dist.version}]"
            for plugin, dist in getattr(self._manager, "distributions", {}).items()
        }
        rows = [(entry, f"{entry.plugin}{packages.get(entry.plugin, '')}") for entry in self]
        name_width = max((len(entry.name) for entry, _ in rows), default=0)
        plugin_width = max((len(plugin) for _, plugin in rows), default=0)
        lines = []
        for kind in KINDS:
            lines.append(f"{kind}:")
            lines += [f"  {entry.name:<{name_width}}  {plugin:<{plugin_width}}  {entry.source}"
                      for entry, plugin in rows if entry.kind == kind]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "\n".join(
            f"{kind}: {', '.join(self.names(kind)) or '-'}" for kind in KINDS
        )


def build(kind: str, name: str, registry: Registry, *args: Any, **kwargs: Any) -> Any:
    """Call the factory for `name` with the arguments; a bad keyword names what is allowed."""
    factory = registry.get(kind, name)
    try:
        signature = inspect.signature(factory)
        signature.bind(*args, **kwargs)
    except TypeError as err:
        raise ValueError(
            f"{SINGULAR[kind]} {name!r}: {err}; its signature is {name}{signature}"
        ) from None
    except ValueError:  # builtins without a signature: let the call speak for itself
        pass
    return factory(*args, **kwargs)
