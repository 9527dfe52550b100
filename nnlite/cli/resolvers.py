"""What `python -m nnlite --help` lists beside the config: the experiments and every
registered name. Hydra resolvers, registered when the app starts (`register`)."""

from __future__ import annotations

from pathlib import Path

from omegaconf import OmegaConf

from nnlite.cli.paths import config_dir
from nnlite.registry import registry


def registry_listing() -> str:
    try:
        return "\n".join(f"  {line}" for line in repr(registry).splitlines())
    except Exception as err:
        return f"  (plugins failed to load: {err})"


def experiments() -> str:
    names = sorted(p.stem for p in (config_dir() / "experiment").glob("*.yaml"))
    user = Path.cwd() / "configs" / "experiment"
    if user.is_dir() and user.resolve() != (config_dir() / "experiment").resolve():
        names += sorted(f"{p.stem} (./configs)" for p in user.glob("*.yaml"))
    return ", ".join(names)


def run_name(data_name: str, path: str | None) -> str:
    """`name` when no experiment sets one: the file's stem for data=file
    (runs/<stem>/...), otherwise "default"."""
    return Path(str(path)).stem if data_name == "file" and path else "default"


def register() -> None:
    """The resolvers that configs/config.yaml uses: the run's default name and the help
    footer's listings."""
    OmegaConf.register_new_resolver("nnlite_name", run_name, replace=True)
    OmegaConf.register_new_resolver("nnlite_registry", registry_listing, replace=True)
    OmegaConf.register_new_resolver("nnlite_experiments", experiments, replace=True)
