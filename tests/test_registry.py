"""The pluggy registry: built-ins through the hooks, third-party registration, errors."""

import sys

import numpy as np
import pytest
from conftest import CUBE_PLUGIN, make_plugin

import nnlite as nl


def test_builtins_come_from_builtin_plugins():
    for kind, name in [("activations", "relu"), ("initializers", "he_normal"),
                       ("optimizers", "adam"), ("losses", "cross_entropy"), ("layers", "linear")]:
        assert name in nl.registry.names(kind)
        assert nl.registry.entry(kind, name).plugin == "nnlite.builtins"
    assert {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus",
            "softmax", "log_softmax"} <= set(nl.registry.names("activations"))


def test_registry_table_names_plugin_and_file():
    table = nl.registry.table()
    assert "relu" in table and "nnlite.builtins" in table and "builtins.py" in table


def test_unknown_name_lists_known_names_and_closest_match():
    with pytest.raises(ValueError) as err:
        nl.activation("tahn")
    message = str(err.value)
    assert "Did you mean 'tanh'" in message and "relu" in message and "sigmoid" in message


def test_third_party_activation_is_usable_everywhere(registered):
    class Square(nl.Elementwise):
        def f(self, x):
            return x * x

        def df(self, x, y):
            return 2 * x

    registered(make_plugin("square_plugin", nnlite_activations=lambda: {"square": Square}))
    assert nl.registry.entry("activations", "square").plugin == "square_plugin"
    model = nl.mlp([2, 3, 1], activation="square", rng=0)
    assert isinstance(model[1], Square)


def test_two_plugins_giving_one_name_is_an_error_naming_both(registered):
    registered(make_plugin("first_plugin", nnlite_losses=lambda: {"huber": nl.MSELoss}))
    second = make_plugin("second_plugin", nnlite_losses=lambda: {"huber": nl.MSELoss})
    with pytest.raises(nl.PluginError, match="'huber'.*first_plugin.*second_plugin"):
        nl.plugins.register(second)
    assert not nl.plugins.manager.is_registered(second)  # refused, not half registered
    assert nl.registry.entry("losses", "huber").plugin == "first_plugin"


def test_shadowing_a_builtin_is_refused_and_the_registry_keeps_working():
    shadow = make_plugin("shadow", nnlite_activations=lambda: {"relu": nl.Elementwise})
    with pytest.raises(nl.PluginError, match="nnlite.builtins.*shadow"):
        nl.plugins.register(shadow)
    assert not nl.plugins.manager.is_registered(shadow)
    assert type(nl.activation("tanh")).__name__ == "Tanh"  # every other lookup still works


def test_unregister_restores_the_registry(registered):
    plugin = registered(make_plugin("temp", nnlite_activations=lambda: {"temp": nl.Elementwise}))
    assert "temp" in nl.registry.names("activations")
    nl.plugins.unregister(plugin)
    assert "temp" not in nl.registry.names("activations")
    nl.plugins.register(plugin)  # for the fixture's clean-up


def test_a_hook_returning_the_wrong_thing_names_the_plugin():
    broken = make_plugin("broken", nnlite_optimizers=lambda: ["sgd"])
    with pytest.raises(nl.PluginError, match="'broken'.*must return a dict"):
        nl.plugins.register(broken)
    assert "sgd" in nl.registry.names("optimizers")


def test_a_hook_with_a_wrong_signature_is_refused_at_registration():
    module = make_plugin("wrong_sig", nnlite_activations=lambda registry: {})
    with pytest.raises(nl.PluginError, match="wrong_sig"):
        nl.plugins.register(module)
    assert "wrong_sig" not in [name for name, _ in nl.plugins.manager.list_name_plugin()]


def test_a_hook_function_without_hookimpl_is_refused_not_ignored():
    import types

    module = types.ModuleType("forgot_the_decorator")
    module.nnlite_activations = lambda: {"forgotten": nl.Elementwise}
    with pytest.raises(nl.PluginError, match="nnlite_activations is not marked @nl.hookimpl"):
        nl.plugins.register(module)
    assert not nl.plugins.manager.is_registered(module)


def test_a_factory_returning_a_non_module_is_named(registered):
    registered(make_plugin("liar", nnlite_activations=lambda: {"liar": lambda: 42}))
    with pytest.raises(TypeError, match="'liar' from plugin 'liar' returned int"):
        nl.activation("liar")


def test_load_plugin_from_a_py_file(tmp_path, monkeypatch):
    (tmp_path / "cube.py").write_text(CUBE_PLUGIN)
    monkeypatch.chdir(tmp_path)
    module = nl.plugins.load("cube.py")
    try:
        act = nl.activation("cube")
        np.testing.assert_allclose(act(np.array([2.0])), [8.0])
    finally:
        nl.plugins.unregister(module)
    assert "cube" not in nl.registry.names("activations")


def test_load_plugin_by_module_name(tmp_path, monkeypatch):
    (tmp_path / "my_nnlite_plugin.py").write_text(
        "import nnlite as nl\n\n@nl.hookimpl\ndef nnlite_losses():\n    return {'l2': nl.MSELoss}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    module = nl.plugins.load("my_nnlite_plugin")
    try:
        assert isinstance(nl.loss("l2"), nl.MSELoss)
    finally:
        nl.plugins.unregister(module)
        sys.modules.pop("my_nnlite_plugin", None)


def test_loading_a_broken_plugin_names_it(tmp_path, monkeypatch):
    (tmp_path / "bad.py").write_text("raise ImportError('needs torch')\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(nl.PluginError, match="'bad.py' failed to import.*needs torch"):
        nl.plugins.load("bad.py")
    with pytest.raises(nl.PluginError, match="not found"):
        nl.plugins.load("missing.py")
    with pytest.raises(nl.PluginError, match="'no_such_module_xyz' failed to import"):
        nl.plugins.load("no_such_module_xyz")


def test_entry_point_plugins_are_loaded(monkeypatch):
    from importlib import metadata

    plugin = make_plugin("ep_plugin", nnlite_activations=lambda: {"ep_act": nl.Elementwise})
    sys.modules["ep_plugin_module"] = plugin
    fake = metadata.EntryPoint(name="ep_plugin", value="ep_plugin_module", group="nnlite")
    monkeypatch.setattr(metadata, "entry_points",
                        lambda group=None: [fake] if group == "nnlite" else [])
    manager = nl.plugins.manager
    monkeypatch.setattr(manager, "_entry_points_loaded", False)
    try:
        assert nl.registry.entry("activations", "ep_act").plugin == "ep_plugin"
    finally:
        manager.unregister(name="ep_plugin")
        sys.modules.pop("ep_plugin_module")
