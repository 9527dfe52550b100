"""`nnlite --version` prints nnlite's own version (not Hydra's)."""

import subprocess
import sys

import nnlite as nl


def test_version_is_nnlites():
    for flag in ("--version", "-V"):
        done = subprocess.run([sys.executable, "-m", "nnlite", flag], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0 and done.stdout == f"nnlite {nl.__version__}\n"


def test_the_version_matches_the_package_metadata():
    import re
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == nl.__version__
