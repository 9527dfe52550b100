"""The registry: one table of names per kind (activations, initializers, ...).

Every tier may look a name up here (`registry.get("activations", "relu")`). The names
come from a *source*: the plugin manager (`nnlite.plugins.manager`), which the package
root connects with `registry.use(manager)`. On the first lookup the registry asks the
source to load its plugins, then calls every plugin's `nnlite_<kind>()` hook on its
own, so each name knows the plugin and file that gave it. It builds the tables again
only when the source's `version` changes (a plugin was registered or removed).
Unknown names and names given twice fail loudly with what is available.

This module imports nothing from nnlite and not pluggy: the maths can use it.
"""

from __future__ import annotations

import difflib
import inspect
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol

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


class Source(Protocol):
    """What the registry needs of the plugin manager."""

    version: int  # changes whenever a plugin is registered or unregistered

    def load(self) -> None:
        """Register the built-ins and the installed packages' plugins (once)."""

    def implementations(self, kind: str) -> list[tuple[str, Any, Callable[[], Any]]]:
        """(plugin name, plugin, hook function) of each `nnlite_<kind>` implementation,
        in registration order."""

    def package_of(self, plugin: str) -> str | None:
        """"package version" for a plugin found through an entry point, else None."""


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
    """Names per kind, merged from every plugin its source knows."""

    def __init__(self, source: Source | None = None) -> None:
        self._source = source
        self._entries: dict[str, dict[str, Entry]] | None = None
        self._version: int | None = None
        self._building = False

    def use(self, source: Source) -> None:
        """Take names from `source` from now on (the package root connects the plugin
        manager; a test may connect its own)."""
        self._source, self._entries = source, None

    @property
    def source(self) -> Source:
        if self._source is None:
            raise PluginError("the registry has no plugin source; import nnlite to connect it")
        return self._source

    def refresh(self) -> dict[str, dict[str, Entry]]:
        """The tables, built now if a plugin came or went: a broken plugin raises here."""
        source = self.source
        if self._building:
            raise PluginError("a plugin's registration hook looked up the registry while the "
                              "registry was being built; look names up when they are used")
        source.load()
        if self._entries is None or self._version != source.version:
            self._building = True
            try:
                self._entries, self._version = self._build(source), source.version
            finally:
                self._building = False
        return self._entries

    def _build(self, source: Source) -> dict[str, dict[str, Entry]]:
        entries: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
        for kind in KINDS:
            for plugin, plugin_object, hook in source.implementations(kind):
                for name, factory in _names_given(plugin, kind, hook).items():
                    where = _source_of(plugin_object, factory)
                    if name in entries[kind]:
                        first = entries[kind][name]
                        raise PluginError(
                            f"{SINGULAR[kind]} {name!r} is given by two plugins: {first.plugin!r} "
                            f"({first.source}) and {plugin!r} ({where})"
                        )
                    entries[kind][name] = Entry(kind, name, factory, plugin, where)
        return entries

    def _kind(self, kind: str) -> dict[str, Entry]:
        if kind not in KINDS:
            raise ValueError(f"unknown registry kind {kind!r}; kinds are {', '.join(KINDS)}")
        return self.refresh()[kind]

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

    def create(self, kind: str, name: str, *args: Any, expected: type | None = None,
               **kwargs: Any) -> Any:
        """Call the factory for `name`; a bad keyword names the signature, and a result
        that is not an `expected` instance names the plugin and file that gave it."""
        factory = self.get(kind, name)
        try:
            signature = inspect.signature(factory)
            signature.bind(*args, **kwargs)
        except TypeError as err:
            raise ValueError(
                f"{SINGULAR[kind]} {name!r}: {err}; its signature is {name}{signature}"
            ) from None
        except ValueError:  # builtins without a signature: let the call speak for itself
            pass
        made = factory(*args, **kwargs)
        if expected is not None and not isinstance(made, expected):
            raise self.wrong(kind, name, f"returned {type(made).__name__}, not an "
                             f"{expected.__module__.split('.')[0]}.{expected.__name__}")
        return made

    def wrong(self, kind: str, name: str, what: str) -> PluginTypeError:
        """The error for a factory that gave the wrong thing, naming its plugin and file."""
        entry = self.entry(kind, name)
        return PluginTypeError(
            f"{SINGULAR[kind]} {name!r} from plugin {entry.plugin!r} {what} (in {entry.source})"
        )

    def __contains__(self, kind_and_name: tuple[str, str]) -> bool:
        kind, name = kind_and_name
        return name in self._kind(kind)

    def __iter__(self) -> Iterator[Entry]:
        entries = self.refresh()
        for kind in KINDS:
            yield from (entries[kind][n] for n in sorted(entries[kind]))

    def table(self) -> str:
        """Every name by kind with the plugin and file it came from; plugins found through
        an installed package's entry point also show the package and its version."""
        rows = []
        for entry in self:
            package = self.source.package_of(entry.plugin)
            rows.append((entry, f"{entry.plugin} [{package}]" if package else entry.plugin))
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


def _names_given(plugin: str, kind: str, hook: Callable[[], Any]) -> dict[str, Any]:
    """What one plugin's `nnlite_<kind>()` returns, checked to be {str: callable}."""
    try:
        given = hook()
    except PluginError:
        raise
    except Exception as err:
        raise PluginError(f"plugin {plugin!r}: nnlite_{kind}() raised {err!r}") from err
    if not isinstance(given, dict):
        raise PluginError(f"plugin {plugin!r}: nnlite_{kind}() must return a dict of name -> "
                          f"factory, got {type(given).__name__}")
    for name, factory in given.items():
        if not isinstance(name, str) or not callable(factory):
            raise PluginError(f"plugin {plugin!r}: nnlite_{kind}() entry {name!r} -> {factory!r} "
                              "is not a str name with a callable factory")
    return given


registry = Registry()
