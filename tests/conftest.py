"""Shared test helpers: float64 gradient checking with a tight tolerance."""

import numpy as np
import pytest

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


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
