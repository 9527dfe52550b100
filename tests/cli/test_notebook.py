"""`nl.run`: an experiment from Python, composed exactly as the command line composes it."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import composed

import nnlite as nl

FAST = ["trainer.epochs=5", "plots=false", "trainer.progress=false"]


def test_run_composes_as_the_cli_does_and_returns_summary_and_model():
    result = nl.run(experiment="xor", overrides=["optimizer.lr=0.1", *FAST])
    summary, model = result
    assert summary["status"] == "completed" and summary["epochs"] == 5
    assert summary["experiment"] == "xor"
    assert isinstance(model, nl.Module) and model is result.model
    assert result.config == composed("+experiment=xor", "optimizer.lr=0.1", *FAST)
    assert result.config.optimizer.lr == 0.1
    assert result.out_dir is None
    assert "RunResult(experiment='xor'" in repr(result)


def test_the_trained_xor_model_predicts_labels():
    result = nl.run("xor", ["plots=false", "trainer.progress=false"])
    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert result.summary["final"]["train_accuracy"] == 1.0
    assert result.predict(x).tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize("experiment, overrides, x", [
    ("xor", ["loss=bce_with_logits"], [[0, 0], [0, 1], [1, 0], [1, 1], [0.3, 0.8]]),
    ("xor", ["loss=mse"], [[0, 0], [0, 1], [1, 0], [1, 1], [0.3, 0.8]]),
    ("moons", ["data.standardize=true"], [[0.5, -0.2], [1.5, 0.3], [-1.0, 0.4]]),
    ("spirals", [], [[0.1, 0.2], [-0.5, 0.3], [0.0, -0.9]]),
    ("sine_fit", [], [[-2.0], [0.0], [1.3]]),
])
def test_a_run_result_predicts_as_its_folder_loaded_back(experiment, overrides, x, tmp_path):
    """model.npz's metadata has one writer: the result `nl.run` returns and `nl.load_run`
    of the folder it wrote read a binary output alike under bce_with_logits (a logit cut
    at 0) and under mse (a score cut at 0.5), and so for multiclass and regression."""
    result = nl.run(experiment, [*overrides, *FAST], out_dir=tmp_path)
    loaded = nl.load_run(tmp_path)
    assert result.meta == loaded.meta
    np.testing.assert_array_equal(result.predict(x), loaded.predict(x))
    if result.task != "regression":
        np.testing.assert_array_equal(result.predict_proba(x), loaded.predict_proba(x))
        labels = loaded.predict(x)
        assert result.score(x, labels) == loaded.score(x, labels) == 1.0
    else:
        y = np.sin(np.asarray(x))
        assert result.score(x, y) == loaded.score(x, y)


def test_out_dir_gets_the_run_s_files_and_loads_back(tmp_path):
    result = nl.run("moons", [*FAST], out_dir=tmp_path)
    assert {"config.yaml", "metrics.csv", "summary.json", "model.npz"} <= {
        p.name for p in tmp_path.iterdir()}
    x = np.random.default_rng(0).normal(size=(6, 2))
    np.testing.assert_allclose(nl.load_run(tmp_path).predict_proba(x), result.predict_proba(x))


def test_config_mistakes_are_refused_as_on_the_command_line():
    with pytest.raises(Exception, match="lrr"):
        nl.run("xor", ["optimizer.lrr=0.1"])
    with pytest.raises(Exception, match="nosuch"):
        nl.run("nosuch")


def test_importing_nnlite_imports_no_hydra_until_run_is_called():
    probe = ("import sys, nnlite as nl; print('hydra' in sys.modules); f = nl.run; "
             "print('hydra' in sys.modules, callable(f))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "True"]
