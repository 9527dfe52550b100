"""Hydra search-path plugin: adds the user's ./configs (if it exists) to nnlite's app.

Shipped as `hydra_plugins/nnlite_searchpath` in the wheel, so a user's own
`./configs/experiment/*.yaml` is found without editing the package, and nothing
is added (no warning) when the working directory has no configs/.
"""

from pathlib import Path

from hydra.core.config_search_path import ConfigSearchPath
from hydra.plugins.search_path_plugin import SearchPathPlugin


class NnliteUserConfigSearchPath(SearchPathPlugin):
    def manipulate_search_path(self, search_path: ConfigSearchPath) -> None:
        try:
            from nnlite.cli.paths import config_dir

            packaged = config_dir().resolve()
        except Exception:
            return
        mains = [
            Path(p.path.removeprefix("file://")).resolve()
            for p in search_path.get_path()
            if p.provider == "main"
        ]
        if packaged not in mains:
            return  # another Hydra app in this environment: leave it alone
        user = (Path.cwd() / "configs").resolve()
        if user.is_dir() and user != packaged:
            search_path.append(provider="nnlite-user", path=f"file://{user}")
