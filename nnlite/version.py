"""nnlite's version, in one place: the package root, `nnlite --version` and each run's
run_info.json read it from here (pyproject.toml holds the same number)."""

__version__ = "0.1.0"
