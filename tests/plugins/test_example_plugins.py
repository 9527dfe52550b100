"""The conformance kit over every built-in and every example plugin in plugins/, what each
example computes, and the third way to load a plugin: nl.plugins.register(module)."""

import importlib.util
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
import tomllib
from omegaconf import OmegaConf

import nnlite as nl
from nnlite import testing
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.schema import Config
from nnlite.runs.training.lifecycle import train

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"


def import_example(path: Path, name: str):
    """Import a plugin file as a module without registering it (nor keeping it in sys.modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def packaged_examples() -> dict[str, Path]:
    """Each example package's entry-point module -> its __init__.py, read from pyproject.toml."""
    found = {}
    for pyproject in sorted(PLUGINS.glob("*/pyproject.toml")):
        entry_points = tomllib.loads(pyproject.read_text())["project"]["entry-points"]["nnlite"]
        for module in entry_points.values():
            found[module] = pyproject.parent / "src" / module / "__init__.py"
    return found


EXAMPLES = {path.stem: import_example(path, f"nnlite_example_{path.stem}")
            for path in sorted(PLUGINS.glob("*.py"))}
EXAMPLES.update({name: import_example(path, name) for name, path in packaged_examples().items()})


@testing.parametrize_entries()
def test_every_builtin_passes_the_conformance_kit(entry, tmp_path):
    if (entry.kind, entry.name) == ("datasets", "file"):
        rows = "\n".join(f"{i},{i % 3},{i % 2}" for i in range(12))
        (tmp_path / "data.csv").write_text(rows + "\n")
        testing.check_entry(entry, path=str(tmp_path / "data.csv"))
    else:
        testing.check_entry(entry)


@testing.parametrize_entries(plugins=list(EXAMPLES.values()))
def test_every_example_plugin_passes_the_conformance_kit(entry):
    testing.check_entry(entry)


def test_the_examples_cover_every_kind_and_a_training_event():
    kinds = {e.kind for e in testing.entries(plugins=list(EXAMPLES.values()))}
    assert kinds == {"activations", "initializers", "optimizers", "losses", "layers", "datasets",
                     "schedules"}
    assert hasattr(EXAMPLES["jsonl_logger"], "nnlite_epoch_end")
    assert set(EXAMPLES) >= {"swish", "lion", "layernorm", "batchnorm", "huber", "nnlite_mish"}


def test_every_example_file_says_how_to_use_it():
    for name, module in EXAMPLES.items():
        assert module.__doc__ and len(module.__doc__.splitlines()) >= 3, name
    for path in PLUGINS.glob("*.py"):
        assert "python -m nnlite" in path.read_text(), path


# -- what each example computes ------------------------------------------------------------

def test_swish_is_x_sigmoid_beta_x():
    swish = EXAMPLES["swish"].Swish
    x = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(swish()(x), x / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(swish(beta=2.0)(x), x / (1 + np.exp(-2 * x)), rtol=1e-12)


def test_mish_is_x_tanh_softplus():
    x = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(EXAMPLES["nnlite_mish"].Mish()(x), x * np.tanh(np.log1p(np.exp(x))),
                               rtol=1e-12)


def test_lecun_uniform_bounds():
    w = EXAMPLES["lecun_uniform"].lecun_uniform((50, 400), np.random.default_rng(0))
    bound = math.sqrt(3 / 50)
    assert w.shape == (50, 400) and np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound


def test_lion_two_steps_by_hand():
    p = nl.Parameter(np.array([1.0, -2.0, 0.5]))
    opt = EXAMPLES["lion"].Lion([p], lr=0.1, betas=(0.9, 0.99), weight_decay=0.5)
    g1, g2 = np.array([0.3, -0.2, 0.0]), np.array([-1.0, 0.1, 0.02])
    p.grad[...] = g1
    opt.step()
    w1 = np.array([1.0, -2.0, 0.5]) * (1 - 0.1 * 0.5) - 0.1 * np.sign(0.1 * g1)
    np.testing.assert_allclose(p.data, w1)
    m1 = 0.01 * g1
    p.grad[...] = g2
    opt.step()
    w2 = w1 * (1 - 0.05) - 0.1 * np.sign(0.9 * m1 + 0.1 * g2)
    np.testing.assert_allclose(p.data, w2)
    np.testing.assert_allclose(opt.state[0]["exp_avg"], 0.99 * m1 + 0.01 * g2)


def test_layernorm_normalises_each_sample():
    norm = EXAMPLES["layernorm"].LayerNorm(6, dtype=np.float64)
    x = np.random.default_rng(0).normal(3.0, 5.0, size=(4, 6))
    y = norm(x)
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=1), 1, rtol=1e-5)
    norm.eval()
    np.testing.assert_array_equal(norm(x), y)  # no train/eval difference


def test_batchnorm_uses_batch_statistics_in_training_and_running_ones_in_eval():
    bn = EXAMPLES["batchnorm"].BatchNorm1d(2, momentum=0.5, dtype=np.float64)
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    y = bn(x)
    np.testing.assert_allclose(y, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5))
    np.testing.assert_allclose(bn.running_mean, 0.5 * x.mean(0))
    np.testing.assert_allclose(bn.running_var, 0.5 + 0.5 * x.var(0, ddof=1))  # unbiased, as torch
    bn.eval()
    expected = (x[:1] - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    np.testing.assert_allclose(bn(x[:1]), expected)
    bn.train()
    with pytest.raises(ValueError, match="at least 2 samples"):
        bn(x[:1])
    assert set(bn.state_dict()) == {"weight", "bias", "running_mean", "running_var"}


def test_huber_is_quadratic_near_and_linear_far():
    huber = EXAMPLES["huber"].HuberLoss(delta=1.0, reduction="sum")
    pred, target = np.array([[0.5, 3.0, -2.0]]), np.zeros((1, 3))
    assert huber(pred, target) == pytest.approx(0.125 + 2.5 + 1.5)
    np.testing.assert_allclose(huber.backward(), [[0.5, 1.0, -1.0]])


def test_checkerboard_colours_alternate():
    ds = EXAMPLES["checkerboard"].checkerboard(n_samples=500, tiles=2, seed=1)
    expected = ((ds.x[:, 0] > 0) != (ds.x[:, 1] > 0)).astype(int)
    np.testing.assert_array_equal(ds.y, expected)
    assert ds.task == "binary" and len(ds) == 500


def test_warmup_cosine_rises_then_decays_to_its_floor():
    lr_at = EXAMPLES["warmup_cosine"].warmup_cosine(1.0, epochs=11, warmup=2, min_lr_ratio=0.1)
    values = [lr_at(e) for e in range(11)]
    assert values[:3] == pytest.approx([0.5, 1.0, 1.0])
    assert values[-1] == pytest.approx(0.1)
    assert all(b <= a for a, b in itertools.pairwise(values[2:]))


# -- the third way: nl.plugins.register(module) from Python -------------------------------

def config_with(**changes) -> dict:
    config = OmegaConf.to_container(OmegaConf.structured(Config))
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        node = config
        for parent in parents:
            node = node[parent]
        node[key] = value
    return config


@pytest.fixture
def registered_examples():
    modules = [EXAMPLES[name] for name in ("swish", "lion", "layernorm", "huber", "checkerboard",
                                            "warmup_cosine", "jsonl_logger", "lecun_uniform")]
    for module in modules:
        nl.plugins.register(module)
    yield
    for module in modules:
        nl.plugins.unregister(module)


def test_registered_from_python_every_example_name_works_in_a_run(registered_examples, tmp_path):
    config = config_with(
        name="python_plugins", loss="huber", data__name="checkerboard", data__n_samples=64,
        model__layers=[{"type": "linear", "out_features": 8}, {"type": "layernorm"},
                       {"type": "swish", "beta": 1.5}, {"type": "linear", "out_features": "out"}],
        model__weight_init="lecun_uniform", optimizer__name="lion", optimizer__lr=0.01,
        trainer__epochs=4, trainer__progress=False, trainer__schedule__name="warmup_cosine",
        trainer__schedule__params={"warmup": 2})
    summary = train(checked_config(config), tmp_path)  # a plain dict, typed and checked
    assert summary["status"] == "completed" and summary["epochs"] == 4
    lines = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [line["event"] for line in lines] == ["epoch"] * 4 + ["end"]
    assert [line["lr"] for line in lines[:4]] == pytest.approx([0.005, 0.01, 0.01, 0.0001])
    assert lines[-1] == {"event": "end", "status": "completed", "epochs": 4}
    run = nl.load_run(tmp_path)  # rebuilt from the registry: the plugin names still resolve
    assert [type(m).__name__ for m in run.model] == ["Linear", "LayerNorm", "Swish", "Linear"]


def test_after_unregistering_the_names_are_gone(registered_examples):
    assert "lion" in nl.registry.names("optimizers")
    nl.plugins.unregister(EXAMPLES["lion"])
    try:
        assert "lion" not in nl.registry.names("optimizers")
        with pytest.raises(ValueError, match="unknown optimizer 'lion'"):
            nl.optimizer("lion", [nl.Parameter(np.zeros(2))])
    finally:
        nl.plugins.register(EXAMPLES["lion"])


def test_batchnorm_running_statistics_are_saved_inside_a_model():
    bn_class = EXAMPLES["batchnorm"].BatchNorm1d
    model = nl.Sequential(nl.Linear(3, 4, rng=0), bn_class(4), nl.activation("relu"))
    model(np.random.default_rng(0).normal(size=(16, 3)))  # training: updates running stats
    state = model.state_dict()
    assert {"1.running_mean", "1.running_var"} <= set(state)
    other = nl.Sequential(nl.Linear(3, 4, rng=1), bn_class(4), nl.activation("relu"))
    other.load_state_dict(state)
    np.testing.assert_array_equal(other[1].running_mean, model[1].running_mean)
    x = np.ones((2, 3))
    np.testing.assert_array_equal(other.eval()(x), model.eval()(x))
