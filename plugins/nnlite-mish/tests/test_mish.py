"""The plugin's own tests: nnlite's conformance kit, plus the formula at a few points."""

from importlib import metadata

import nnlite_mish
import numpy as np
import pytest
from nnlite_mish import Mish

import nnlite as nl
from nnlite.testing import check_activation, check_entry, parametrize_entries


def test_mish_passes_the_conformance_kit():
    check_activation(Mish)  # float64 gradients, float32 kept, odd shapes, |x| = 1e4


def test_mish_values():
    x = np.array([[-1.0, 0.0, 2.0]])
    expected = x * np.tanh(np.log1p(np.exp(x)))
    np.testing.assert_allclose(Mish()(x), expected, rtol=1e-12)


@parametrize_entries(plugins=[nnlite_mish])
def test_every_name_the_plugin_registers(entry):
    check_entry(entry)


def test_the_installed_entry_point_makes_mish_a_name():
    # Installed (pip install -e .), the entry point registers the plugin on first use.
    try:
        metadata.distribution("nnlite-mish")
    except metadata.PackageNotFoundError:
        pytest.skip("nnlite-mish is not installed: pip install --no-deps -e plugins/nnlite-mish")
    assert nl.registry.entry("activations", "mish").factory is Mish
    assert isinstance(nl.activation("mish"), Mish)
