"""The one place that composes a config with Hydra: the command line's app, `nl.run`
and `explain` all compose here, from the same files, with the same schema and
resolvers, and check the result through the same door
(`nnlite.runs.config.checked.checked_config`).

    hydra_app(task)     the @hydra.main of `python -m nnlite` (runs and sweeps)
    compose(overrides)  one run's config, from Python (Hydra's compose API)

Nothing is registered at import: `register()` runs when an app or a compose starts.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from nnlite.cli.paths import config_dir
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import Config

CONFIG_NAME = "config"   # configs/config.yaml
VERSION_BASE = "1.3"     # Hydra's defaults of 1.3: no working-directory change


def prepare_hydra() -> None:
    """What composing needs registered first: the schema in Hydra's ConfigStore
    (config.yaml's defaults start with it), the resolvers, and the patches that spare
    Hydra's extra compositions."""
    from hydra.core.config_store import ConfigStore

    from nnlite.cli import resolvers
    from nnlite.cli.hydra_internals import compose_less

    ConfigStore.instance().store(name="nnlite_schema", node=Config)
    resolvers.register_resolvers()
    compose_less()


def hydra_app(task: Callable[[Any], Any]) -> Callable[[], Any]:
    """`task` as the Hydra app of `python -m nnlite` (composed from configs/config.yaml)."""
    import hydra

    return hydra.main(version_base=VERSION_BASE, config_path=str(config_dir()),
                      config_name=CONFIG_NAME)(task)


def compose(overrides: Sequence[str] = ()) -> Config:
    """The checked config `python -m nnlite *overrides` would run. Hydra's own errors
    (an unknown experiment, a bad override) become a one-line ConfigError."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    prepare_hydra()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base=VERSION_BASE):
            cfg = hydra_compose(config_name=CONFIG_NAME, overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(" ".join(str(err).split("Config search path:")[0].split())) from None
    return checked_config(cfg)
