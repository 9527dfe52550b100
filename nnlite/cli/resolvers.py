"""Hydra resolvers, registered when the app starts (`register`): a run's default name,
and what `python -m nnlite --help` lists: every option with its comment, every
registered name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from nnlite.registry import registry
from nnlite.runs.config.checks import check_name


def registry_listing() -> str:
    try:
        return "\n".join(f"  {line}" for line in repr(registry).splitlines())
    except Exception as err:
        return f"  (plugins failed to load: {err})"


def run_name(data_name: str, path: str | None) -> str:
    """`name` when no experiment sets one: the file's stem for data=file
    (runs/<stem>/...), otherwise "default"."""
    if data_name != "file" or not path:
        return "default"
    # a folder name: the characters a name may hold (nnlite.runs.config.checks.check_name)
    return re.sub(r"[^A-Za-z0-9_.,=+@-]", "_", Path(str(path)).stem).strip(".") or "data"


def help_options(*, _root_: Any) -> str:
    """The help's option list: the composed config with each key's comment."""
    from nnlite.cli.help_text import options as render

    shown = OmegaConf.masked_copy(_root_, [k for k in _root_ if k != "hydra"])
    config = OmegaConf.to_container(shown, resolve=True)
    choices = OmegaConf.to_container(_root_.hydra.runtime.choices) if "hydra" in _root_ else {}
    try:
        return render(config, choices).replace("$", "$$")  # Hydra's template substitutes $
    except Exception as err:  # the help must print whatever happens
        return f"  (options could not be listed: {err})"


def register_resolvers() -> None:
    """The resolvers that configs/config.yaml uses: the run's default name and the help
    footer's listings."""
    OmegaConf.register_new_resolver("nnlite_name", run_name, replace=True)
    OmegaConf.register_new_resolver("nnlite_folder", check_name, replace=True)
    OmegaConf.register_new_resolver("nnlite_options", help_options, replace=True)
    OmegaConf.register_new_resolver("nnlite_registry", registry_listing, replace=True)
