"""Shared test helpers: float64 gradient checking with a tight tolerance."""

import types

import numpy as np
import pytest
from ci_guard import pytest_runtest_logreport, pytest_sessionfinish  # noqa: F401 (CI=true: no skips)

GRAD_TOL = 1e-6

# A complete third-party plugin file, for tests that load plugins from disk.
CUBE_PLUGIN = """
import nnlite as nl

class Cube(nl.Elementwise):
    def f(self, x):
        return x ** 3

    def df(self, x, y):
        return 3 * x ** 2

@nl.hookimpl
def nnlite_activations():
    return {"cube": Cube}
"""


def assert_gradients_match(module, x, before_forward=None, tol=GRAD_TOL):
    """Every relative error of `nl.gradcheck` (input and each parameter) below `tol`."""
    import nnlite as nl

    errors = nl.gradcheck(module, x, before_forward=before_forward)
    bad = {name: err for name, err in errors.items() if not err < tol}
    assert not bad, f"{module!r}: gradient mismatch {bad}"
    return errors


def pytest_sessionstart(session) -> None:
    """Compile nnlite's bytecode once. Where PYTHONDONTWRITEBYTECODE is set (CI machines,
    many containers) an editable install never writes it, and each of the suite's
    hundreds of `python -m nnlite` subprocesses would first compile nnlite from source."""
    import compileall
    from pathlib import Path

    import nnlite

    compileall.compile_dir(str(Path(nnlite.__file__).parent), quiet=1)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def make_plugin(name: str, **hooks) -> types.ModuleType:
    """A plugin module named `name` whose functions `hooks` are marked as hookimpls."""
    import nnlite as nl

    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, nl.hookimpl(fn))
    return module


@pytest.fixture
def registered():
    """Register plugins inside a test and always unregister them afterwards."""
    import nnlite as nl

    added = []

    def register(module):
        nl.plugins.register(module)
        added.append(module)
        return module

    yield register
    for module in added:
        nl.plugins.unregister(module)


def composed(*overrides: str):
    """The checked config (a `Config`) Hydra composes for `python -m nnlite *overrides`,
    as the command line composes and checks it."""
    from nnlite.cli.composing import compose

    return compose(overrides)


# A short XOR run, for commands that should fail before or while it trains.
XOR = ("+experiment=xor", "trainer.progress=false", "plots=false", "trainer.epochs=3",
       "trainer.target_metric=null")


def cli_in_process(cwd, monkeypatch, *args: str) -> tuple[int, str]:
    """`nnlite *args` in this process, through `nnlite.cli.main` (the function the command
    calls): (exit status, stderr)."""
    import io
    import sys
    from contextlib import redirect_stderr

    import nnlite.cli

    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["nnlite", *args])
    err = io.StringIO()
    code = 0
    with redirect_stderr(err):
        try:
            nnlite.cli.main()
        except SystemExit as stop:
            code = stop.code or 0
    return code, err.getvalue()


def one_nnlite_line(stderr: str) -> str:
    """The one `nnlite: ...` line stderr must be (fails otherwise)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("nnlite: "), stderr
    return lines[0]


def files_under(folder) -> list[str]:
    """Every path under `folder` (none if it does not exist): what a failure left behind."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def nnlite_process(cwd, *args: str, limit_bytes: int | None = None):
    """`python -m nnlite *args` as a real process in `cwd` (a CompletedProcess), with
    files limited to `limit_bytes` (`ulimit -f`: a full disk) when given."""
    import os
    import resource
    import subprocess
    import sys

    def limit() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "nnlite", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, preexec_fn=limit,
                          env={**os.environ, "HYDRA_FULL_ERROR": "0"})


def wait_for(*paths, timeout: float = 120.0) -> None:
    """PNGs of a single run, and those at a sweep's root, are drawn by a process the
    command does not wait for."""
    import time

    deadline = time.monotonic() + timeout
    while not all(p.is_file() for p in paths):
        assert time.monotonic() < deadline, f"never written: {[str(p) for p in paths]}"
        time.sleep(0.1)
