"""`nnlite predict` and `nnlite evaluate`: a trained run used on new data."""

import csv
import io
import subprocess
import sys

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.cli import evaluate_command, predict_command
from nnlite.runs.training.lifecycle import train


def write_points(path, n=80, delimiter=";"):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2))
    kind = np.where(x[:, 0] + x[:, 1] > 0, "yes", "no")
    lines = [f"a{delimiter}b{delimiter}kind"] + [
        f"{p}{delimiter}{q}{delimiter}{k}" for (p, q), k in zip(x, kind)]
    path.write_text("\n".join(lines) + "\n")
    return x, kind


@pytest.fixture(scope="module")
def file_run(tmp_path_factory):
    """A run trained on a ';'-separated file with text labels (yes / no)."""
    root = tmp_path_factory.mktemp("predict")
    x, kind = write_points(root / "points.csv")
    config = composed("data=file", f"data.params.path={root / 'points.csv'}",
                      "data.params.delimiter=';'", "trainer.epochs=60", "optimizer.lr=0.5",
                      "plots=false", "trainer.progress=false")
    assert config.name == "points"  # named after the file
    summary = train(config, root / "run")
    return root, nl.load_run(root / "run"), summary, x, kind


def test_predict_writes_labels_and_probabilities(file_run, capsys):
    root, run, _, x, kind = file_run
    assert predict_command.predict_command([str(root / "run"), str(root / "points.csv")]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["label", "p_no", "p_yes"]
    proba = run.predict_proba(x)
    np.testing.assert_allclose([[float(r["p_no"]), float(r["p_yes"])] for r in rows], proba,
                               rtol=1e-5)
    assert [r["label"] for r in rows] == run.predict(x).tolist()
    assert np.mean(np.array([r["label"] for r in rows]) == kind) > 0.9


def test_predict_writes_the_csv_file_asked_for(file_run, tmp_path):
    root, run, _, x, _ = file_run
    inputs = tmp_path / "new.npz"
    np.savez(inputs, x=x[:5])
    out = tmp_path / "out.csv"
    assert predict_command.predict_command([str(root / "run"), str(inputs), "-o", str(out)]) == 0
    labels = [line.split(",")[0] for line in out.read_text().splitlines()[1:]]
    assert labels == run.predict(x[:5]).tolist()


def test_evaluate_on_the_val_split_gives_the_summary_s_figures(file_run, capsys):
    root, _, summary, _, _ = file_run
    assert evaluate_command.evaluate_command([str(root / "run"), "val"]) == 0
    lines = dict(line.split() for line in capsys.readouterr().out.splitlines()[1:])
    assert float(lines["loss"]) == pytest.approx(summary["final"]["val_loss"], rel=1e-4)
    assert float(lines["accuracy"]) == pytest.approx(summary["final"]["val_accuracy"])


def test_evaluate_a_regression_run_on_a_file(tmp_path, capsys):
    train(composed("+experiment=sine_fit", "trainer.epochs=20", "plots=false",
                   "trainer.progress=false"), tmp_path / "run")
    x = np.linspace(-3, 3, 40)
    np.savez(tmp_path / "sine.npz", x=x.reshape(-1, 1), y=np.sin(x))
    data = str(tmp_path / "sine.npz")
    assert evaluate_command.evaluate_command([str(tmp_path / "run"), data]) == 0
    lines = dict(line.split() for line in capsys.readouterr().out.splitlines()[1:])
    run = nl.load_run(tmp_path / "run")
    assert float(lines["r2"]) == pytest.approx(run.score(x.reshape(-1, 1), np.sin(x)), rel=1e-5)
    assert {"n", "loss", "mse", "r2"} == set(lines)


def test_bad_inputs_end_with_one_line(file_run, tmp_path, capsys):
    root = file_run[0]
    (tmp_path / "wide.csv").write_text("1;2;3;4\n5;6;7;8\n")
    assert predict_command.predict_command([str(root / "run"), str(tmp_path / "wide.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nnlite: ") and "model takes 2 inputs" in err and err.count("\n") == 1
    (tmp_path / "odd.csv").write_text("a;b;kind\n1;2;maybe\n")
    assert evaluate_command.evaluate_command([str(root / "run"), str(tmp_path / "odd.csv")]) == 1
    assert "'maybe'" in capsys.readouterr().err
    assert evaluate_command.evaluate_command([str(root / "run"), "test"]) == 1
    assert "no 'test' split" in capsys.readouterr().err


def test_the_commands_are_dispatched_by_python_m_nnlite(file_run):
    root = file_run[0]
    done = subprocess.run([sys.executable, "-m", "nnlite", "predict", str(root / "run"),
                           str(root / "points.csv")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("label,p_no,p_yes\n") and len(done.stdout.splitlines()) == 81
