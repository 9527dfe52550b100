"""A run never writes over another, and a refused start leaves no folder behind."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import composed

from nnlite.cli import exit_codes
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.folder.reservation import remove_unused
from nnlite.runs.training.lifecycle import train


def nnlite(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnlite", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "HYDRA_FULL_ERROR": "0"})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_finished_run_is_never_overwritten(tmp_path):
    first = nnlite(tmp_path, "+experiment=xor", "plots=false", "hydra.run.dir=runs/mine")
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path / "runs" / "mine")
    for extra in ([], ["seed=3"], ["hydra.job.name=other"]):
        again = nnlite(tmp_path, "+experiment=xor", "hydra.run.dir=runs/mine", *extra)
        assert again.returncode == exit_codes.CONFIG
        lines = again.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("nnlite: 'runs/mine' already holds a run")
        assert "resume=runs/mine" in lines[0]
        assert snapshot(tmp_path / "runs" / "mine") == before


def test_a_folder_made_by_interpolation_is_checked_in_the_job_too(tmp_path):
    train(composed("+experiment=xor", "trainer.epochs=2", "plots=false"), tmp_path / "runs" / "xor")
    before = snapshot(tmp_path / "runs" / "xor")
    result = nnlite(tmp_path, "+experiment=xor", "hydra.run.dir=runs/${name}")
    assert result.returncode == exit_codes.CONFIG and "already holds a run" in result.stderr
    assert "Traceback" not in result.stderr
    after = snapshot(tmp_path / "runs" / "xor")
    # Hydra writes its .hydra/ files and log before the job; the run's own are untouched
    assert {k: v for k, v in after.items() if k in before} == before


def test_a_refused_new_experiment_leaves_no_folder(tmp_path):
    result = nnlite(tmp_path, "+experiment=xor", "optimizer.lr=-1")
    assert result.returncode == exit_codes.CONFIG and "optimizer.lr=-1" in result.stderr
    assert not (tmp_path / "runs" / "xor").exists()


def test_train_refuses_a_used_folder_in_process(tmp_path):
    train(composed("+experiment=xor", "trainer.epochs=2", "plots=false"), tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(ConfigError, match="already holds a run .config.yaml, metrics.csv"):
        train(composed("+experiment=xor", "trainer.epochs=2", "plots=false"), tmp_path)
    assert snapshot(tmp_path) == before


def test_remove_unused_keeps_anything_a_run_wrote(tmp_path):
    killed = tmp_path / "exp" / "killed"
    (killed / ".hydra").mkdir(parents=True)
    (killed / "config.yaml").write_text("seed: 0\n")
    remove_unused(killed)
    assert (killed / "config.yaml").is_file()
    fresh = tmp_path / "exp2" / "fresh"
    (fresh / ".hydra").mkdir(parents=True)
    (fresh / "app.log").write_text("")
    remove_unused(fresh)
    assert not (tmp_path / "exp2").exists()
