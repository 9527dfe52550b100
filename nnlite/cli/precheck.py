"""Command-line mistakes caught before Hydra starts, each as one line that says what to
do: a misspelt config key gets the closest real key ("did you mean"), and a launcher
or sweeper whose package is missing names the extra that installs it.

Hydra would refuse both too, but with several lines and no suggestion; the checks here
only look at the arguments and the config schema, and stay silent when unsure.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.util
import re
from typing import Any

from nnlite.cli.paths import config_dir
from nnlite.runs.config.schema import Config

# launcher or sweeper option -> (the Hydra plugin module it needs, how to install it; the
# extras are the nnlite checkout's own)
HYDRA_PLUGINS = {
    ("launcher", "joblib"): ("hydra_plugins.hydra_joblib_launcher", 'pip install -e ".[sweep]"'),
    ("launcher", "submitit_local"): ("hydra_plugins.hydra_submitit_launcher",
                                     'pip install -e ".[sweep]"'),
    ("launcher", "submitit_slurm"): ("hydra_plugins.hydra_submitit_launcher",
                                     'pip install -e ".[sweep]"'),
    ("launcher", "slurm"): ("hydra_plugins.hydra_submitit_launcher", 'pip install -e ".[sweep]"'),
    ("launcher", "ray"): ("hydra_plugins.hydra_ray_launcher",
                          "pip install hydra-ray-launcher; it is not one of the extras"),
    ("sweeper", "optuna"): ("hydra_plugins.hydra_optuna_sweeper", 'pip install -e ".[sweep]"'),
}


def schema_keys(node: Any = Config, prefix: str = "") -> tuple[set[str], set[str]]:
    """(every config key as a dotted path, the keys whose contents are free: dicts such
    as data.params or logger, under which any key is allowed)."""
    keys, free = set(), set()
    for f in dataclasses.fields(node):
        path = f"{prefix}{f.name}"
        keys.add(path)
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            inner, inner_free = schema_keys(type(default), f"{path}.")
            keys |= inner
            free |= inner_free
        elif isinstance(default, dict) or "Dict" in str(f.type):
            free.add(path)
    return keys, free


def unknown_key(arg: str) -> str | None:
    """A message for `key=value` whose key is not in the config, with the closest key."""
    match = re.fullmatch(r"([A-Za-z_][\w.]*)=.*", arg, flags=re.S)
    if not match or arg.startswith(("hydra", "+", "~")):
        return None
    key = match.group(1)
    keys, free = schema_keys()
    groups = {p.name for p in config_dir().iterdir() if p.is_dir()}
    if key in keys or key.split(".")[0] in groups - keys or any(
            key.startswith(f"{f}.") for f in free):
        return None
    close = difflib.get_close_matches(key, sorted(keys), n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return (f"unknown config key {key!r}.{hint} (`python -m nnlite --help` lists the keys; "
            "a plugin optimizer's or dataset's own options go under optimizer.params or "
            "data.params)")


def missing_plugin(args: list[str]) -> str | None:
    """A message when a launcher or sweeper asked for (on the command line or by the
    experiment) needs a Hydra plugin that is not installed."""
    wanted = []
    for arg in args:
        found = re.fullmatch(r"hydra/(launcher|sweeper)=(\w+)", arg)
        if found:
            wanted.append((found.group(1), found.group(2)))
        experiment = re.fullmatch(r"\+?experiment=(\w+)", arg)
        path = config_dir() / "experiment" / f"{experiment.group(1)}.yaml" if experiment else None
        if path is not None and path.is_file():
            wanted += re.findall(r"override /hydra/(launcher|sweeper): (\w+)", path.read_text())
    for kind, name in wanted:
        module, install = HYDRA_PLUGINS.get((kind, name), (None, None))
        if module and not _installed(module):
            return (f"hydra/{kind}={name} needs the Hydra {name} {kind} plugin, which is not "
                    f"installed: {install}")
    return None


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # not even the hydra_plugins namespace
        return False


def check_arguments(args: list[str]) -> str | None:
    """The first problem with the command-line arguments, or None."""
    for arg in args:
        problem = unknown_key(arg)
        if problem:
            return problem
    return missing_plugin(args)
