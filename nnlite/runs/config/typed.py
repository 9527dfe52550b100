"""A config as the schema's own objects: `as_config` makes a `Config` from what Hydra
composed, a plain dict (a test's, a notebook's) or a saved config.yaml; `as_dict` makes
the plain dict that is written to config.yaml and shown to users.

Every key is known to the schema, and every value has its type, before any run code
reads it; run code then reads attributes (`config.trainer.epochs`), so each default is
stated once, in the schema. Only OmegaConf's public API is used here.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import lru_cache
from typing import Any, Mapping, TypeVar

from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import Config

SCALARS = (str, int, float, bool, type(None))
T = TypeVar("T")


@lru_cache(maxsize=1)
def _schema() -> Any:
    from omegaconf import OmegaConf

    # Built once per process (~20 ms, a sweep job's worth of training): merge copies it.
    return OmegaConf.structured(Config)


def as_config(value: Config | Mapping[str, Any] | Any) -> Config:
    """`value` (a Config, a dict, or an OmegaConf config) as a Config with every key
    checked against the schema; ConfigError naming the key when one is unknown or has
    the wrong type. A config Hydra composed on the schema is typed already: when it is
    plainly so its keys are only walked (under 1 ms); any other (a dict, a section set by
    interpolation, a key deleted with `~`, a value left `???`) is merged into the schema
    (~45 ms), which refills deleted or missing values with the schema's defaults."""
    if isinstance(value, Config):
        return value
    from omegaconf import DictConfig, OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:  # interpolations resolve here: `trainer.epochs=${data.name}` is a config error
        if isinstance(value, DictConfig) and OmegaConf.get_type(value) is Config:
            try:
                unknown = _unknown_key(value)
            except _NeedsMerge:
                return _merged(OmegaConf.to_container(value, resolve=True))
            if unknown:
                raise ConfigError(unknown)
            return _typed(value)
        if isinstance(value, DictConfig):
            value = OmegaConf.to_container(value, resolve=True)
        if not isinstance(value, Mapping):
            raise ConfigError(f"a config must be a mapping of keys to values, not "
                              f"{type(value).__name__}")
        return _merged(dict(value))
    except OmegaConfBaseException as err:
        first_line = str(err).split("\n")[0]
        raise ConfigError(f"{first_line} (key: {getattr(err, 'full_key', '?')})") from None


def as_section(kind: type[T], value: Mapping[str, Any] | None, where: str) -> T:
    """One section of a config (e.g. `report:` of a saved config.yaml) as its schema
    object, its keys and types checked; ConfigError naming `where` otherwise."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(kind), value or {}))
    except (OmegaConfBaseException, ValueError, TypeError) as err:
        raise ConfigError(f"{where}: {str(err).splitlines()[0]}") from None


def _merged(container: dict[str, Any]) -> Config:
    from omegaconf import OmegaConf

    container.pop("hydra", None)
    return _typed(OmegaConf.merge(_schema(), container))


def _typed(cfg: Any) -> Config:
    from omegaconf import OmegaConf

    return OmegaConf.to_object(cfg)


def as_dict(config: Config) -> dict[str, Any]:
    """The config as plain nested dicts and lists (config.yaml's contents)."""
    return dataclasses.asdict(config)


class _NeedsMerge(Exception):
    """The key walk cannot vouch for this config; the schema merge must check it."""


def _unknown_key(node: Any, prefix: str = "") -> str | None:
    """The first key of a typed node that its dataclass lacks, worded as the schema merge
    words it. Raises _NeedsMerge for what only a merge checks: a key deleted or left
    `???`, or a value given by interpolation whose type is more than a scalar (a section's
    or a list's keys and types are known only once resolved)."""
    from omegaconf import DictConfig, OmegaConf

    kind = OmegaConf.get_type(node)
    hints = typing.get_type_hints(kind) if dataclasses.is_dataclass(kind) else None
    if hints is not None and not set(hints) <= set(node.keys()):
        raise _NeedsMerge  # a key deleted with ~: the merge refills it
    for key in node.keys():
        if hints is not None and key not in hints:
            return f"Key '{key}' not in '{kind.__name__}' (key: {prefix}{key})"
        if OmegaConf.is_missing(node, key):
            raise _NeedsMerge
        if OmegaConf.is_interpolation(node, key):
            if hints is None or not _is_scalar(hints[key]):
                raise _NeedsMerge
            continue
        child = node[key]
        if isinstance(child, DictConfig) and hints is not None:
            found = _unknown_key(child, f"{prefix}{key}.")
            if found:
                return found
    return None


def _is_scalar(hint: Any) -> bool:
    """A str, int, float or bool field (or an Optional one): OmegaConf checks the type an
    interpolation of it resolves to."""
    args = typing.get_args(hint)
    return hint in SCALARS or (typing.get_origin(hint) is typing.Union
                               and all(a in SCALARS for a in args))
