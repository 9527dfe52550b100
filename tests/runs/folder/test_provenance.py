"""Every run records where it came from: versions, start time and the git commit."""

import json
import platform
import subprocess

import numpy as np
from conftest import composed

import nnlite as nl
from nnlite.runs.training.lifecycle import train

FAST = ("+experiment=xor", "trainer.epochs=2", "plots=false", "trainer.progress=false")


def test_run_info_names_the_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not inside any repository
    train(composed(*FAST), tmp_path / "run")
    info = json.loads((tmp_path / "run" / "run_info.json").read_text())
    assert info["nnlite"] == nl.__version__
    assert info["python"] == platform.python_version() and info["numpy"] == np.__version__
    assert info["started"][:4].isdigit() and info["git"] is None


def test_run_info_names_the_commit_of_the_repository_it_runs_in(tmp_path, monkeypatch):
    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                              text=True).stdout.strip()

    git("init", "-q")
    (tmp_path / "notes.txt").write_text("v1\n")
    git("add", "notes.txt")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    monkeypatch.chdir(tmp_path)
    train(composed(*FAST), tmp_path / "run")
    info = json.loads((tmp_path / "run" / "run_info.json").read_text())
    assert info["git"]["commit"] == git("rev-parse", "HEAD") and info["git"]["dirty"] is False
    (tmp_path / "notes.txt").write_text("v2\n")
    train(composed(*FAST), tmp_path / "run2")
    assert json.loads((tmp_path / "run2" / "run_info.json").read_text())["git"]["dirty"] is True
