"""Plugin mistakes fail at once, in one line naming the plugin (in-process; the same
failures through the command line are in tests/cli/test_plugins_command.py)."""

import sys
from importlib import metadata

import numpy as np
import pytest
from conftest import make_plugin

import nnlite as nl
from nnlite.plugins.manager import HOOK_NAMES, manager


def no_names() -> dict:
    return {}


def test_a_misspelt_hook_is_refused_with_the_closest_hook():
    plugin = make_plugin("typo_plugin", nnlite_activation=no_names)
    with pytest.raises(nl.PluginError, match=r"plugin 'typo_plugin': nnlite_activation is not an "
                                             r"nnlite hook \(did you mean nnlite_activations\?\)"):
        nl.plugins.register(plugin)
    assert not manager.is_registered(plugin)


def test_a_hook_asking_for_an_argument_it_is_not_given_shows_the_hook_signature():
    def nnlite_epoch_end(run, metrics, patience):
        return None

    plugin = make_plugin("sig_plugin", nnlite_epoch_end=nnlite_epoch_end)
    with pytest.raises(nl.PluginError) as err:
        nl.plugins.register(plugin)
    message = str(err.value)
    assert message.startswith("plugin 'sig_plugin': nnlite_epoch_end(run, metrics, patience) "
                              "asks for 'patience'")
    assert "nnlite_epoch_end(run, epoch, metrics)" in message and "\n" not in message
    assert not manager.is_registered(plugin)


def test_hook_names_are_the_hookspecs():
    assert HOOK_NAMES == sorted(n for n in dir(nl.hookspecs) if n.startswith("nnlite_"))
    assert "nnlite_activations" in HOOK_NAMES and "nnlite_epoch_end" in HOOK_NAMES


@pytest.mark.parametrize("kind,factory,call,expected", [
    ("initializers", lambda shape, rng: np.zeros(3), lambda: nl.initializer("bad")((2, 4)),
     (r"initializer 'bad' from plugin 'bad_plugin' returned an array of shape \(3,\) when asked "
      r"for \(2, 4\)")),
    ("datasets", lambda seed=0: [[1, 2]], lambda: nl.dataset("bad"),
     "dataset 'bad' from plugin 'bad_plugin' returned list, not an nnlite.Dataset"),
    ("schedules", lambda base_lr, epochs: 0.1, lambda: nl.schedule("bad", base_lr=1, epochs=2),
     "schedule 'bad' from plugin 'bad_plugin' returned float, not a function lr_at"),
    ("losses", lambda: object(), lambda: nl.loss("bad"),
     "loss 'bad' from plugin 'bad_plugin' returned object, not an nnlite.Loss"),
])
def test_a_factory_returning_the_wrong_thing_is_a_plugin_error(registered, kind, factory, call,
                                                                 expected):
    registered(make_plugin("bad_plugin", **{f"nnlite_{kind}": lambda: {"bad": factory}}))
    with pytest.raises(nl.PluginError, match=expected) as err:
        call()
    assert isinstance(err.value, TypeError)  # still a TypeError, as before
    assert "test_plugin_errors.py" in str(err.value)  # and where the factory lives


class FakeDistribution(metadata.Distribution):
    """A distribution with an entry point, without installing anything."""

    def __init__(self, value: str) -> None:
        self.files_ = {"METADATA": "Metadata-Version: 2.1\nName: fake-pkg\nVersion: 1.2.3\n",
                       "entry_points.txt": f"[nnlite]\nfake = {value}\n"}

    def read_text(self, filename):
        return self.files_.get(filename)

    def locate_file(self, path):
        return path


@pytest.fixture
def entry_point(monkeypatch):
    """Make metadata.entry_points(group="nnlite") return one fake entry point."""
    def install(value: str) -> None:
        dist = FakeDistribution(value)
        monkeypatch.setattr(metadata, "entry_points",
                            lambda group=None: list(dist.entry_points.select(group=group)))
        monkeypatch.setattr(manager, "_entry_points_loaded", False)

    yield install
    if manager.get_plugin("fake") is not None:
        manager.unregister(name="fake")
    manager.distributions.pop("fake", None)


def test_an_installed_plugin_is_listed_with_its_package(entry_point):
    sys.modules["fake_ep_module"] = make_plugin(
        "fake_ep_module", nnlite_activations=lambda: {"fake_act": nl.activations.Tanh})
    try:
        entry_point("fake_ep_module")
        assert nl.registry.entry("activations", "fake_act").plugin == "fake"
        line = next(line for line in nl.registry.table().splitlines() if "fake_act" in line)
        assert "fake [fake-pkg 1.2.3]" in line
    finally:
        sys.modules.pop("fake_ep_module")


def test_an_installed_plugin_that_fails_to_import_names_itself_and_its_package(entry_point):
    entry_point("no_such_module_for_nnlite")
    for _ in range(2):  # and keeps failing: no run starts without it
        with pytest.raises(nl.PluginError, match=r"plugin 'fake' \(entry point "
                                                 r"'no_such_module_for_nnlite' of package fake-pkg "
                                                 r"1.2.3\) failed to import: ModuleNotFoundError"):
            nl.registry.names("activations")


def test_an_installed_plugin_with_a_bad_hook_names_its_package(entry_point):
    sys.modules["fake_bad_module"] = make_plugin("fake_bad_module", nnlite_layer=no_names)
    try:
        entry_point("fake_bad_module")
        with pytest.raises(nl.PluginError, match=r"plugin 'fake': nnlite_layer is not an nnlite "
                                                 r"hook.*of package fake-pkg 1.2.3"):
            nl.registry.names("layers")
    finally:
        sys.modules.pop("fake_bad_module")


def test_a_module_registered_by_hand_is_not_registered_again_by_its_entry_point(entry_point):
    module = make_plugin("fake_twice", nnlite_activations=lambda: {"twice": nl.activations.Tanh})
    sys.modules["fake_twice"] = module
    try:
        nl.plugins.register(module)
        entry_point("fake_twice")
        assert nl.registry.entry("activations", "twice").plugin == "fake_twice"
    finally:
        nl.plugins.unregister(module)
        sys.modules.pop("fake_twice")


def test_the_kit_looking_up_an_installed_plugin_leaves_it_registered(entry_point):
    from nnlite import testing

    module = make_plugin("fake_kit", nnlite_activations=lambda: {"kit_act": nl.activations.Tanh})
    sys.modules["fake_kit"] = module
    try:
        entry_point("fake_kit")
        assert [e.name for e in testing.entries(plugins=[module])] == ["kit_act"]
        assert nl.registry.entry("activations", "kit_act").plugin == "fake"
    finally:
        sys.modules.pop("fake_kit")
