"""`python -m nnlite` end to end, through the real CLI in a temporary directory."""

import csv
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import CUBE_PLUGIN, wait_for

import nnlite as nl
from nnlite.cli import exit_codes


def nnlite(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    result = subprocess.run([sys.executable, "-m", "nnlite", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def only_run_dir(root: Path) -> Path:
    dirs = [p for p in root.iterdir() if p.is_dir()]
    assert len(dirs) == 1, dirs
    return dirs[0]


def read_metrics(path: Path) -> list[dict[str, str]]:
    with path.open() as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("xor")
    nnlite(cwd, "+experiment=xor", "trainer.progress=false")
    run = only_run_dir(cwd / "runs" / "xor")
    wait_for(run / "learning_curves.png", run / "decision_boundary.png")
    return run


def test_xor_run_writes_every_file(xor_run):
    for name in ("config.yaml", "metrics.csv", "summary.json", "model.npz",
                 "learning_curves.png", "decision_boundary.png"):
        assert (xor_run / name).is_file(), name
        assert (xor_run / name).stat().st_size > 0
    assert not list(xor_run.glob(".*.tmp*")), "temporary files left behind"


def test_xor_summary_has_the_contract_keys_and_solves_xor(xor_run):
    summary = json.loads((xor_run / "summary.json").read_text())
    for key in ("status", "experiment", "seed", "epochs", "num_parameters", "wall_time_s",
                "final", "best"):
        assert key in summary, key
    assert summary["status"] == "completed" and summary["experiment"] == "xor"
    assert summary["num_parameters"] == 2 * 8 + 8 + 8 + 1
    assert summary["final"]["train_accuracy"] == 1.0
    losses = [float(row["train_loss"]) for row in read_metrics(xor_run / "metrics.csv")]
    assert summary["best"]["train_loss"] == pytest.approx(min(losses))
    assert summary["final"]["train_loss"] == pytest.approx(losses[-1])


def test_xor_metrics_have_one_row_per_epoch(xor_run):
    rows = read_metrics(xor_run / "metrics.csv")
    summary = json.loads((xor_run / "summary.json").read_text())
    assert len(rows) == summary["epochs"]
    assert [int(float(r["epoch"])) for r in rows] == list(range(len(rows)))
    for column in ("train_loss", "train_accuracy", "lr", "grad_norm.layer1", "grad_norm.layer2",
                   "time_s", "act.layer1.mean", "act.layer1.saturated"):
        assert column in rows[0], column
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])


def test_load_run_gives_back_config_metrics_and_a_model(xor_run):
    run = nl.runs.load_run(xor_run)
    assert run.config["name"] == "xor" and run.config["model"]["activation"] == "tanh"
    assert len(run.metrics["train_loss"]) == run.summary["epochs"]
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    assert run.predict(x).tolist() == [0, 1, 1, 0]
    assert (run.outputs(x)[:, 0] > 0).astype(int).tolist() == [0, 1, 1, 0]
    again = nl.runs.load_run(xor_run)
    np.testing.assert_array_equal(run.predict(x), again.predict(x))


def test_same_seed_gives_identical_metrics_and_weights(tmp_path):
    for _ in range(2):
        nnlite(tmp_path, "+experiment=xor", "trainer.progress=false", "trainer.epochs=30",
               "trainer.target_metric=null")
    first, second = sorted((tmp_path / "runs" / "xor").iterdir())
    assert first != second  # never the same directory, even within one second

    def without_time(path):
        return [{k: v for k, v in row.items() if k != "time_s"} for row in read_metrics(path)]

    assert without_time(first / "metrics.csv") == without_time(second / "metrics.csv")
    with np.load(first / "model.npz") as a, np.load(second / "model.npz") as b:
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("override,expected", [
    ("optimizer.lrr=0.1", "lrr"),
    ("+optimizer.lrr=0.1", "lrr"),
    ("trainer.epochs=abc", "trainer.epochs"),
    ("plots=sometimes", "plots"),
    ("seed=-1", "seed=-1"),
    ("trainer.clip_grad_norm=-1", "trainer.clip_grad_norm=-1"),
    ("trainer.early_stopping.patience=0",
     "trainer.early_stopping.patience=0 is not allowed: at least 1 epoch when"),
    ("trainer.early_stopping.patience=-3", "trainer.early_stopping.patience=-3"),
    ("loss=bce_with_logits data=spirals", "loss='bce_with_logits' does not fit data 'spirals'"),
    ("optimizer.lr=-1", "optimizer.lr=-1"),
    ("model.dropout=1.5", "model.dropout=1.5"),
    ("model.activation=rleu",
     "model.activation='rleu': unknown activation 'rleu'. Did you mean 'relu'?"),
    ("optimizer.name=adamm", "optimizer.name='adamm'"),
    ("data.name=mnist", "data.name='mnist'"),
    ("optimizer.momentum=0.9", "optimizer 'adam' takes"),
    ("+optimizer.params.foo=1", "optimizer.params.foo=1 is not allowed: optimizer 'adam' takes"),
    ("trainer.target_metric=train_acc", "trainer.target_metric='train_acc' is not a metric"),
    ("data=file", "dataset file 'data.csv' not found"),
    ("+data.params.function=sine", "dataset 'xor': got an unexpected keyword argument"),
    ("optimizer.eps=-1", "invalid eps=-1.0"),
])
def test_config_mistakes_give_one_clear_message(tmp_path, override, expected):
    result = nnlite(tmp_path, "+experiment=xor", *override.split(), check=False)
    assert result.returncode == (exit_codes.DATA if override == "data=file" else exit_codes.CONFIG)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "runs").glob("*")), "a refused run left a folder behind"


def test_user_experiment_in_working_directory_and_plugin_file(tmp_path):
    (tmp_path / "configs" / "experiment").mkdir(parents=True)
    (tmp_path / "configs" / "experiment" / "mine.yaml").write_text(textwrap.dedent("""
        # @package _global_
        name: mine
        plugins: [cube.py]
        model:
          hidden: [4]
          activation: cube
          weight_init: xavier_normal
        trainer:
          epochs: 5
          progress: false
    """))
    (tmp_path / "cube.py").write_text(CUBE_PLUGIN)
    nnlite(tmp_path, "+experiment=mine")
    run = only_run_dir(tmp_path / "runs" / "mine")
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["epochs"] == 5


def test_help_lists_experiments_groups_and_plugins(tmp_path):
    out = nnlite(tmp_path, "--help").stdout
    for word in ("xor", "moons", "sine_fit", "optimizer: adagrad, adam", "relu", "he_normal",
                 "cross_entropy", "spirals"):
        assert word in out, word


def test_missing_experiment_lists_the_available_ones(tmp_path):
    result = nnlite(tmp_path, "+experiment=nope", check=False)
    assert result.returncode == 1 and "xor" in result.stderr


def test_an_interrupted_run_leaves_a_readable_record(tmp_path):
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "nnlite", "+experiment=moons", "trainer.epochs=1000000",
         "trainer.progress=false"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("runs/moons/*/metrics.csv")) and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr  # a stopped job, not a success
    run = only_run_dir(tmp_path / "runs" / "moons")
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "interrupted"
    assert len(read_metrics(run / "metrics.csv")) == summary["epochs"] > 0
    assert nl.load_run(run).summary["status"] == "interrupted"


def test_ctrl_c_stops_a_whole_sweep_and_summarises_the_jobs_so_far(tmp_path):
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "nnlite", "-m", "+experiment=moons", "trainer.epochs=1000000",
         "trainer.progress=false", "seed=0,1,2"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts Python slowly
        while (not list(tmp_path.glob("runs/multirun/moons/*/0/metrics.csv"))
               and time.monotonic() < deadline):
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()  # never leave a million-epoch sweep behind, whatever failed above
        proc.wait()
    assert proc.returncode == 128 + signal.SIGINT, stderr
    (sweep,) = (tmp_path / "runs" / "multirun" / "moons").iterdir()
    assert not (sweep / "1").exists()  # the next job never started
    assert json.loads((sweep / "0" / "summary.json").read_text())["status"] == "interrupted"
    assert "interrupted" in (sweep / "summary.csv").read_text()


def test_a_users_csv_file_trains_as_a_dataset(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    lines = ["a,b,c,label"] + [f"{p},{q},{r},{t}" for (p, q, r), t in zip(x, y)]
    (tmp_path / "points.csv").write_text("\n".join(lines) + "\n")
    nnlite(tmp_path, "data=file", "data.params.path=points.csv", "trainer.epochs=50",
           "optimizer.lr=0.5", "trainer.progress=false")
    run = only_run_dir(tmp_path / "runs" / "points")  # named after the file
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["final"]["val_accuracy"] >= 0.8
    loaded = nl.load_run(run)
    assert loaded.meta["standardizer"] is not None  # configs/data/file.yaml standardises
    assert loaded.outputs(x).shape == (80, 1) and loaded.predict(x).shape == (80,)
