"""The `logger` config group, read back with each library's own reader: TensorBoard's
EventAccumulator, MLflow's MlflowClient. The tensorboard and mlflow tests need their
extras (pip install -e ".[tensorboard,mlflow]"); without them they are skipped, except in
CI (CI=true), where a skip fails the run (tests/conftest.py)."""

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import composed

from nnlite import loggers
from nnlite.runs.folder.metrics_file import read_columns
from nnlite.runs.training.lifecycle import train

FAST = ("+experiment=xor", "trainer.epochs=7", "plots=false", "trainer.progress=false")


def sweep(cwd, *overrides):
    done = subprocess.run([sys.executable, "-m", "nnlite", "-m", *FAST, "seed=0,1", *overrides],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (root,) = (cwd / "runs" / "multirun" / "xor").iterdir()
    return root


def test_jsonl_writes_one_line_per_epoch_then_the_end(tmp_path):
    train(composed(*FAST, "logger=jsonl"), tmp_path)
    records = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [r["event"] for r in records] == ["epoch"] * 7 + ["end"]
    assert records[-1] == {"event": "end", "status": "completed", "epochs": 7}
    np.testing.assert_allclose([r["train_loss"] for r in records[:-1]],
                               read_columns(tmp_path)["train_loss"], rtol=1e-6)


def test_tensorboard_scalars_every_epoch(tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    train(composed(*FAST, "logger=tensorboard"), tmp_path)
    acc = event_accumulator.EventAccumulator(str(tmp_path / "tensorboard"))
    acc.Reload()
    assert {"loss/train", "accuracy/train", "lr"} <= set(acc.Tags()["scalars"])
    events = acc.Scalars("loss/train")
    assert [e.step for e in events] == list(range(7))
    np.testing.assert_allclose([e.value for e in events], read_columns(tmp_path)["train_loss"],
                               rtol=1e-6)


def test_a_sweep_logs_to_tensorboard_with_hparams_and_to_mlflow_as_parent_and_children(
        tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    mlflow = pytest.importorskip("mlflow")
    from tensorboard.plugins.hparams import plugin_data_pb2

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    root = sweep(tmp_path, "logger=[tensorboard,mlflow]", f"logger.mlflow.tracking_uri={uri}")
    for job, seed in (("0", 0), ("1", 1)):
        acc = event_accumulator.EventAccumulator(str(root / job / "tensorboard" / "hparams"))
        acc.Reload()
        content = acc.summary_metadata["_hparams_/session_start_info"].plugin_data.content
        hparams = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info.hparams
        assert hparams["seed"].number_value == seed
        assert hparams["trainer.epochs"].number_value == 7
        assert not any(key.startswith("logger") for key in hparams)
    client = mlflow.MlflowClient(tracking_uri=uri)
    runs = client.search_runs([client.get_experiment_by_name("xor").experiment_id])
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    children = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    assert len(parents) == 1 and len(children) == 2
    assert {c.data.tags["mlflow.parentRunId"] for c in children} == {parents[0].info.run_id}
    assert sorted(c.data.params["seed"] for c in children) == ["0", "1"]
    assert parents[0].info.status == "FINISHED"
    parent_files = {a.path for a in client.list_artifacts(parents[0].info.run_id)}
    assert "summary.md" in parent_files


def test_mlflow_gets_params_metrics_summary_and_files(tmp_path):
    mlflow = pytest.importorskip("mlflow")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    config = composed(*FAST, "logger=mlflow", f"logger.mlflow.tracking_uri={uri}")
    summary = train(config, tmp_path / "run")
    client = mlflow.MlflowClient(tracking_uri=uri)
    (run,) = client.search_runs([client.get_experiment_by_name("xor").experiment_id])
    assert run.data.params["optimizer.lr"] == str(config.optimizer.lr)
    assert run.data.params["model.activation"] == "tanh"
    history = client.get_metric_history(run.info.run_id, "train_loss")
    assert [m.step for m in history] == list(range(7))
    assert history[-1].value == pytest.approx(summary["final"]["train_loss"], rel=1e-6)
    files = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"summary.json", "model.npz", "config.yaml", "metrics.csv"} <= files
    assert run.info.status == "FINISHED"
    assert (tmp_path / "mlartifacts").is_dir()  # beside the sqlite store, not ./mlruns


def test_a_missing_extra_is_named_with_its_install_command(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    message = loggers.missing("tensorboard")
    assert "tensorboardX" in message and 'pip install -e ".[tensorboard]"' in message
    assert "jsonl" in loggers.missing("wandb")
