"""Ablations as sweeps, through the real CLI: the qualitative outcomes of the course
notes, sweep summaries, launchers, and rebuilding a summary with `nnlite.report`."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import wait_for

from nnlite.cli import exit_codes


def nnlite(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nnlite", "-m", *args], cwd=cwd,
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "HYDRA_FULL_ERROR": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def sweep_root(cwd: Path, experiment: str) -> Path:
    roots = sorted((cwd / "runs" / "multirun" / experiment).iterdir())
    assert len(roots) == 1, roots
    return roots[0]


def summary_rows(root: Path) -> list[dict[str, str]]:
    with (root / "summary.csv").open() as f:
        return list(csv.DictReader(f))


def by(rows, axis, value):
    return [r for r in rows if r[f"axis.{axis}"] == value]


@pytest.fixture(scope="module")
def init_sweep(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("init")
    nnlite(cwd, "+experiment=init_ablation", "init=zeros,constant,he_normal", "seed=0,1,2")
    return sweep_root(cwd, "init_ablation")


def test_zero_and_constant_init_stay_symmetric_and_fail_xor(init_sweep):
    rows = summary_rows(init_sweep)
    assert len(rows) == 9
    for init in ("zeros", "constant"):
        for row in by(rows, "init", init):
            assert row["diagnostics.symmetry.distinct_units"] == "1"
            assert float(row["diagnostics.symmetry.max_distance"]) < 1e-6
            assert float(row["final.train_accuracy"]) < 1.0 and row["success"] == "False"


def test_he_init_breaks_symmetry_and_solves_xor_on_most_seeds(init_sweep):
    rows = by(summary_rows(init_sweep), "init", "he_normal")
    assert sum(row["success"] == "True" for row in rows) >= 2
    assert all(int(row["diagnostics.symmetry.distinct_units"]) == 8 for row in rows)


def test_sweep_summary_matches_each_job_summary(init_sweep):
    rows = summary_rows(init_sweep)
    for row in rows:
        job = json.loads((init_sweep / row["job"] / "summary.json").read_text())
        assert row["status"] == job["status"]
        assert float(row["final.train_loss"]) == pytest.approx(job["final"]["train_loss"])
    table = (init_sweep / "summary.md").read_text()
    assert "| zeros | 3 | 3 | 0/3 |" in table and "| constant | 3 | 3 | 0/3 |" in table
    wait_for(init_sweep / "sweep_final_train_accuracy_vs_init.png")  # the root keeps its plots
    assert list(init_sweep.glob("*/model.npz")) and not list(init_sweep.glob("*/*.png"))
    assert "plots: false" in (init_sweep / "0" / "config.yaml").read_text()  # as it was run


def test_the_background_drawer_leaves_a_record_when_it_fails_and_clears_it_after(
        init_sweep, tmp_path):
    import shutil

    from nnlite.runs import draw

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError):
        draw.draw_command(["--sweep", str(empty)])
    record = (empty / draw.FAILED).read_text()
    assert "FileNotFoundError: no job directories" in record
    assert f"python -m nnlite.runs.draw --sweep {empty}" in record

    copy = tmp_path / "sweep"
    shutil.copytree(init_sweep, copy)
    (copy / draw.FAILED).write_text("an old failure")
    for png in copy.glob("*.png"):
        png.unlink()
    assert draw.draw_command(["--sweep", str(copy)]) == 0
    assert not (copy / draw.FAILED).exists() and list(copy.glob("sweep_*_vs_init.png"))


def test_report_rebuilds_an_interrupted_sweep(init_sweep, tmp_path):
    import shutil

    copy = tmp_path / "sweep"
    shutil.copytree(init_sweep, copy)
    (copy / "summary.csv").unlink()
    (copy / "4" / "summary.json").unlink()  # a job that never finished
    result = subprocess.run([sys.executable, "-m", "nnlite.report", str(copy)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = summary_rows(copy)
    assert len(rows) == 9
    assert [r["status"] for r in rows if r["job"] == "4"] == ["missing"]
    assert "9 jobs" in (copy / "summary.md").read_text()


def test_report_on_a_folder_without_jobs_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nnlite.report", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "no job directories" in result.stderr


@pytest.mark.parametrize("launcher", [
    ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
    ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5",
     "hydra.launcher.cpus_per_task=1"],
], ids=["joblib", "submitit_local"])
def test_parallel_launchers_give_the_same_summary(init_sweep, tmp_path, launcher):
    nnlite(tmp_path, "+experiment=init_ablation", "init=zeros,constant,he_normal", "seed=0,1,2",
           *launcher)
    parallel = summary_rows(sweep_root(tmp_path, "init_ablation"))
    sequential = summary_rows(init_sweep)

    def comparable(rows):
        return [{k: v for k, v in r.items() if k != "wall_time_s"} for r in rows]

    assert comparable(parallel) == comparable(sequential)


def test_dropout_narrows_the_generalisation_gap(tmp_path):
    nnlite(tmp_path, "+experiment=dropout_ablation", "model.dropout=0.0,0.5", "seed=0,1")
    rows = summary_rows(sweep_root(tmp_path, "dropout_ablation"))

    def mean_gap(p):
        gaps = [float(r["final.generalization_gap"]) for r in by(rows, "model.dropout", p)]
        return sum(gaps) / len(gaps)

    assert mean_gap("0.5") < mean_gap("0.0")
    assert mean_gap("0.0") > 0  # the setting really over-fits


def test_deep_sigmoid_gradients_vanish_and_residuals_fix_it(tmp_path):
    nnlite(tmp_path, "+experiment=vanishing_gradients", "model.depth=10",
           "model.activation=sigmoid", "model.residual=false,true", "init=xavier_normal",
           "trainer.epochs=1")
    root = sweep_root(tmp_path, "vanishing_gradients")
    rows = summary_rows(root)
    plain = float(by(rows, "model.residual", "False")[0]["diagnostics.grad_ratio_first_last"])
    residual = float(by(rows, "model.residual", "True")[0]["diagnostics.grad_ratio_first_last"])
    assert plain < 1e-3 and residual > 100 * plain
    wait_for(root / "grad_norms_per_layer.png")


def test_large_positive_init_kills_the_gradient_and_overriding_init_keeps_the_summary(
        tmp_path):
    """Weights N(3, 1) (init=normal_positive) saturate a 5-layer sigmoid stack: the first
    layer's gradient is 0 and the run stays at chance. With `init` fixed from the command
    line (no longer a swept axis), the summary and the gradient plot are still written."""
    nnlite(tmp_path, "+experiment=vanishing_gradients", "model.depth=2,5",
           "model.activation=sigmoid", "model.residual=false", "init=normal_positive")
    root = sweep_root(tmp_path, "vanishing_gradients")
    rows = summary_rows(root)
    deep = by(rows, "model.depth", "5")[0]
    assert float(deep["diagnostics.grad_ratio_first_last"]) == 0.0
    assert float(deep["final.train_accuracy"]) == 0.5
    assert float(deep["diagnostics.initial_saturated_fraction"]) > 0.8
    assert (root / "summary.md").is_file()
    wait_for(root / "grad_norms_per_layer.png")


def test_one_layer_cannot_learn_xor_one_hidden_layer_can(tmp_path):
    nnlite(tmp_path, "+experiment=xor_layers", "seed=0")
    rows = summary_rows(sweep_root(tmp_path, "xor_layers"))
    assert float(by(rows, "model.hidden", "[]")[0]["final.train_accuracy"]) <= 0.75
    assert float(by(rows, "model.hidden", "[8]")[0]["final.train_accuracy"]) == 1.0


def test_network_b_adds_a_low_rank_linear_layer(tmp_path):
    nnlite(tmp_path, "+experiment=network_ab", "seed=0", "trainer.epochs=5")
    rows = summary_rows(sweep_root(tmp_path, "network_ab"))
    assert by(rows, "model", "network_a")[0]["num_parameters"] == "4547"
    assert by(rows, "model", "network_b")[0]["num_parameters"] == "1741"  # 4160 -> 1354


def test_early_stopping_ends_before_over_fitting(tmp_path):
    nnlite(tmp_path, "+experiment=early_stopping", "seed=0")
    rows = summary_rows(sweep_root(tmp_path, "early_stopping"))
    full, stopped = (by(rows, "trainer.early_stopping.monitor", value)[0]
                     for value in ("null", "val_loss"))
    assert int(stopped["epochs"]) < int(full["epochs"]) == 200
    assert float(stopped["final.val_loss"]) < 0.5 * float(full["final.val_loss"])
    assert float(stopped["final.generalization_gap"]) < float(full["final.generalization_gap"])


def test_a_sweep_across_experiments_gets_one_summary(tmp_path):
    nnlite(tmp_path, "+experiment=xor,relu_fit", "trainer.epochs=2",
           "trainer.snapshot_epochs=[0,2]")
    root = sweep_root(tmp_path, "default")
    rows = summary_rows(root)
    assert sorted(r["experiment"] for r in rows) == ["relu_fit", "xor"]
    assert all(r["status"] == "completed" for r in rows)


def test_plots_true_brings_the_pngs_back_in_a_sweep(tmp_path):
    nnlite(tmp_path, "+experiment=xor", "trainer.epochs=2", "seed=0,1", "plots=true")
    root = sweep_root(tmp_path, "xor")
    for job in ("0", "1"):
        assert (root / job / "learning_curves.png").is_file()


def test_optuna_sweeper_runs_the_example_search(tmp_path):
    nnlite(tmp_path, "+experiment=lr_search", "hydra.sweeper.n_trials=3", "trainer.epochs=3")
    root = sweep_root(tmp_path, "lr_search")
    rows = summary_rows(root)
    assert len(rows) == 3
    results = yaml.safe_load((root / "optimization_results.yaml").read_text())
    # Optuna minimised report.objective (the final validation loss), and the result names
    # the folder of the job that reached it
    best = min(rows, key=lambda r: float(r["final.val_loss"]))
    assert results["best_value"] == pytest.approx(float(best["final.val_loss"]))
    assert results["objective"] == "final.val_loss"
    assert (tmp_path / results["best_job"]).resolve() == (root / best["job"]).resolve()
    assert f"best job: {results['best_job']} (final.val_loss" in (root / "summary.md").read_text()


def stopped_sweep(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnlite", "-m", "+experiment=xor",
                           "trainer.epochs=20", "trainer.progress=false", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_a_failing_job_is_recorded_and_the_other_jobs_go_on(tmp_path):
    (tmp_path / "boom.py").write_text(
        "import nnlite as nl\n\n\n"
        "@nl.hookimpl\n"
        "def nnlite_epoch_end(run, epoch, metrics):\n"
        "    if run.config.seed == 1 and epoch == 3:\n"
        "        raise RuntimeError('boom')\n")
    result = stopped_sweep(tmp_path, "seed=0,1,2", "plugins=[boom.py]")
    assert result.returncode == 1
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("nnlite:")]
    assert "1 of 3 jobs failed" in line and "boom" in line
    root = sweep_root(tmp_path, "xor")
    rows = summary_rows(root)
    statuses = [(row["axis.seed"], row["status"]) for row in rows]
    assert statuses == [("0", "completed"), ("1", "failed"), ("2", "completed")]
    assert "boom" in rows[1]["error"]
    (failure,) = [ln for ln in (root / "summary.md").read_text().splitlines()
                  if ln.startswith("| 1 |")]
    assert "seed=1" in failure and "| failed |" in failure and "boom" in failure


def test_refused_jobs_are_recorded_with_their_error_and_end_the_sweep_with_its_status(tmp_path):
    result = stopped_sweep(tmp_path, "optimizer.lr=0.1,-1")
    assert result.returncode == exit_codes.CONFIG and "optimizer.lr=-1" in result.stderr
    rows = summary_rows(sweep_root(tmp_path, "xor"))
    assert [row["status"] for row in rows] == ["completed", "failed"]
    assert "optimizer.lr=-1.0 is not allowed" in rows[1]["error"]

    result = stopped_sweep(tmp_path / "runs", "optimizer.lr=-1,-2")
    assert result.returncode == exit_codes.CONFIG and "2 of 2 jobs failed" in result.stderr
    root = next((tmp_path / "runs" / "runs" / "multirun" / "xor").iterdir())
    assert "optimizer.lr=-2.0 is not allowed" in (root / "summary.md").read_text()


def test_ray_launcher_gives_the_sequential_summary(tmp_path):
    """`hydra/launcher=ray` on a local Ray instance (the `ray` extra; CI installs it)."""
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    runs = {}
    for name, launcher in (("ray", ["hydra/launcher=ray"]), ("sequential", [])):
        cwd = tmp_path / name
        cwd.mkdir()
        nnlite(cwd, "+experiment=init_ablation", "seed=0,1", *launcher)
        runs[name] = summary_rows(sweep_root(cwd, "init_ablation"))

    def deterministic(rows):  # all but the timing column
        return [{k: v for k, v in r.items() if k != "wall_time_s"} for r in rows]

    assert len(runs["ray"]) == 12 and all(r["status"] == "completed" for r in runs["ray"])
    assert deterministic(runs["ray"]) == deterministic(runs["sequential"])
