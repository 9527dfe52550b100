"""Metrics mean what they say: accuracy from what the outputs are, contradictory output
activations refused, the test split evaluated once on the final model."""

import csv

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.data import Dataset
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.folder.loading import load_model
from nnlite.runs.metrics import binary_threshold, evaluate
from nnlite.runs.training.build import build_data
from nnlite.runs.training.lifecycle import train


def fixed_output_model(outputs):
    """A model whose output for input row i is outputs[i] (inputs are one-hot rows)."""
    layer = nl.Linear(len(outputs), 1, dtype=np.float64)
    layer.weight.data[:, 0] = outputs
    return nl.Sequential(layer)


@pytest.mark.parametrize("loss_name,outputs,expected", [
    ("mse", [0.2, 0.3, 0.7, 0.9], 1.0),              # scores on the 0/1 scale: edge at 0.5
    ("mse", [0.6, 0.3, 0.4, 0.9], 0.5),
    ("bce_with_logits", [-2.0, -0.1, 0.3, 4.0], 1.0),  # logits: edge at 0
    ("bce_with_logits", [0.2, 0.3, 0.7, 0.9], 0.5),
])
def test_binary_accuracy_uses_the_outputs_meaning(loss_name, outputs, expected):
    x, y = np.eye(4), np.array([0, 0, 1, 1])
    data = Dataset(x=x, y=y, task="binary", n_classes=2)
    model = fixed_output_model(outputs)
    metrics = evaluate(model, nl.MSELoss(), x, y.reshape(-1, 1).astype(float), data, "train",
                       binary_threshold(loss_name))
    assert metrics["train_accuracy"] == expected


def test_mse_and_sigmoid_outputs_on_binary_data_report_their_true_accuracy(tmp_path):
    for extra in (["model.output_activation=sigmoid"], []):
        out = tmp_path / str(len(extra))
        summary = train(composed("+experiment=moons", "loss=mse", "trainer.epochs=60",
                                 "plots=false", *extra), out)
        model, meta = load_model(out / "model.npz")
        config = composed("+experiment=moons", "loss=mse", *extra)
        val = build_data(config)[0]["val"]
        predicted = (model(val.x.astype(np.float32))[:, 0] > 0.5).astype(int)
        assert meta["threshold"] == 0.5
        assert summary["final"]["val_accuracy"] == pytest.approx(np.mean(predicted == val.y))
        assert summary["final"]["val_accuracy"] > 0.8


@pytest.mark.parametrize("overrides,message", [
    (["model.output_activation=sigmoid"], "model.output_activation ends in 'sigmoid' but loss "
                                          "'bce_with_logits' takes logits"),
    (["data=spirals", "model.output_activation=softmax"], "ends in 'softmax' but loss "
                                                          "'cross_entropy'"),
    (["loss=cross_entropy", "model.output_activation=softmax"], "ends in 'softmax'"),
])
def test_an_output_activation_the_loss_applies_itself_is_refused(overrides, message):
    with pytest.raises(ConfigError, match=message):
        train(composed("+experiment=moons", "trainer.epochs=1", *overrides))


def test_the_test_split_is_evaluated_once_on_the_final_model(tmp_path):
    overrides = ("+experiment=moons", "data.test_fraction=0.3", "trainer.epochs=30",
                 "plots=false", "trainer.early_stopping.monitor=val_loss",
                 "trainer.early_stopping.patience=2", "optimizer.lr=0.05")
    summary = train(composed(*overrides), tmp_path)
    with (tmp_path / "metrics.csv").open() as f:
        columns = next(csv.reader(f))
    assert not [c for c in columns if c.startswith("test_")]
    model, _ = load_model(tmp_path / "model.npz")
    test = build_data(composed(*overrides))[0]["test"]
    predicted = (model(test.x.astype(np.float32))[:, 0] > 0).astype(int)
    assert summary["final"]["test_accuracy"] == pytest.approx(np.mean(predicted == test.y))
    assert "test_accuracy" not in summary["best"]


@pytest.mark.parametrize("key", ["trainer.early_stopping.monitor", "trainer.target_metric"])
def test_nothing_selects_on_test(key):
    extra = ["trainer.early_stopping.patience=2"] if "early" in key else [
        "trainer.target_value=0.9"]
    with pytest.raises(ConfigError, match="the test split is evaluated once"):
        train(composed("+experiment=moons", "data.test_fraction=0.3", f"{key}=test_accuracy",
                       *extra))
