"""A run that diverges stops as `diverged`, says where and why, and never saves NaN
weights; data too large to compute with is refused up front."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.cli import exit_codes
from nnlite.data.scale import ScaleError, check_scale
from nnlite.runs.config.errors import DataError
from nnlite.runs.folder.loading import load_model
from nnlite.runs.training import divergence
from nnlite.runs.training.divergence import Diverged
from nnlite.runs.training.lifecycle import train


@pytest.mark.parametrize("optimizer,lr", [("sgd", 1e6), ("adam", 1e6)])
def test_a_huge_learning_rate_stops_the_run_as_diverged(tmp_path, optimizer, lr):
    summary = train(composed("+experiment=moons", f"optimizer={optimizer}",
                             f"optimizer.lr={lr}", "trainer.epochs=50", "plots=false"), tmp_path)
    assert summary["status"] == "diverged"
    reason = summary["stop_reason"]
    assert reason.startswith("diverged at epoch ") and "optimizer.lr=1e+06" in reason
    assert "data.standardize=true" in reason
    assert summary["epochs"] < 50
    model, _ = load_model(tmp_path / "model.npz")
    assert all(np.isfinite(p.data).all() for p in model.parameters())
    on_disk = json.loads((tmp_path / "summary.json").read_text())
    assert on_disk["status"] == "diverged"


def test_a_diverged_run_names_the_parameter_that_went_bad(tmp_path):
    summary = train(composed("+experiment=xor", "optimizer.lr=1e30", "trainer.epochs=20",
                             "plots=false", "trainer.target_metric=null"), tmp_path)
    assert summary["status"] == "diverged"
    assert "the largest weights are in parameter '" in summary["stop_reason"]


@pytest.mark.parametrize("where,expected", [
    ("data", "parameter '2.bias' is not finite"),
    ("grad", "gradient of parameter '2.bias' is not finite"),
])
def test_a_non_finite_parameter_or_gradient_is_named(where, expected):
    model = nl.mlp([2, 3, 1], rng=0)
    getattr(model[2].bias, where)[0] = np.nan
    config = composed("+experiment=xor")
    with pytest.raises(Diverged, match=f"diverged at epoch 7: the training loss became nan; "
                                       f"{expected}; likely cause"):
        divergence.check_step(7, float("nan"), 0.7, model, config)
    with pytest.raises(Diverged, match=f"diverged at epoch 2: val_loss became inf; {expected}"):
        divergence.check_row(2, {"train_loss": 0.5, "val_loss": float("inf")}, model, config)
    with pytest.raises(Diverged, match="diverged at epoch 3: the activations of layer2 are not"):
        divergence.check_row(3, {"train_loss": 0.5, "act.layer2.mean": float("nan")}, model,
                             config)
    divergence.check_step(8, 0.5, 0.7, model, config)  # a finite loss is left alone


def test_the_command_exits_non_zero_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "nnlite", "+experiment=moons", "optimizer=sgd",
         "optimizer.lr=1e6", "trainer.epochs=30", "plots=false", "trainer.progress=false"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "HYDRA_FULL_ERROR": "0"})
    assert result.returncode == exit_codes.DIVERGED
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nnlite: diverged at epoch ")


@pytest.mark.parametrize("value,dtype,message", [
    (1e300, np.float64, "input column 1 holds values up to 1e+300, too large for float64"),
    (1e25, np.float32, "input column 1 holds values up to 1e+25, too large for float32"),
    (np.inf, np.float64, "input column 1 holds a value that is not a number (inf)"),
    (np.nan, np.float32, "input column 1 holds a value that is not a number (nan)"),
])
def test_data_too_large_to_compute_with_is_refused_naming_the_column(value, dtype, message):
    x = np.ones((5, 3))
    x[2, 1] = value
    with pytest.raises(ScaleError, match=re.escape(message)):
        check_scale(x, dtype)
    check_scale(np.full((5, 3), 1e10), np.float32)  # large but safe


def test_a_run_on_huge_inputs_is_refused_before_training(tmp_path):
    data = np.column_stack([np.linspace(-1, 1, 40), np.linspace(-1e300, 1e300, 40),
                            np.arange(40) % 2])
    np.savetxt(tmp_path / "big.csv", data, delimiter=",", header="a,b,label", comments="")
    config = composed("data=file", f"data.params.path={tmp_path / 'big.csv'}",
                      "data.standardize=true")
    with pytest.raises(DataError, match="input column 1 holds values up to 1e\\+300"):
        train(config, tmp_path / "run")
    assert not (tmp_path / "run").exists()
