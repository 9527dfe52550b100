"""Where the packaged Hydra configs live: inside the wheel (nnlite/configs) or, in a
source checkout or editable install, the repository's top-level configs/."""

from __future__ import annotations

from pathlib import Path


def config_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # nnlite/
    for candidate in (package / "configs", package.parent / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"nnlite: no configs/config.yaml next to {package}")
