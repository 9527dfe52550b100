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
    assert result.config["optimizer"]["lr"] == 0.1
    assert result.out_dir is None
    assert "RunResult(experiment='xor'" in repr(result)


def test_the_trained_xor_model_predicts_labels():
    result = nl.run("xor", ["plots=false", "trainer.progress=false"])
    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert result.summary["final"]["train_accuracy"] == 1.0
    assert result.predict(x).tolist() == [0, 1, 1, 0]


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
