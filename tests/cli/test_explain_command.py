"""`python -m nnlite explain` through the real command line: an experiment before and
after training, a saved run, and mistakes as one `nnlite:` line."""

import json
import re
import subprocess
import sys

import pytest


def nnlite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnlite", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=240)


def loss_values(markdown: str) -> list[float]:
    return [float(v) for v in re.findall(r"^ℓ = .*\(ŷ, y\) = (\S+)$", markdown, flags=re.M)]


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("explain")
    done = nnlite("explain", "+experiment=xor", "trainer.progress=false", cwd=cwd)
    assert done.returncode == 0, done.stderr
    (run_dir,) = (cwd / "runs" / "xor").iterdir()
    return cwd, run_dir, done


def test_experiment_is_explained_before_and_after_training(explained):
    cwd, run_dir, done = explained
    assert f"wrote {run_dir.relative_to(cwd) / 'explain.md'}" in done.stdout
    text = (run_dir / "explain.md").read_text()
    assert text.index("## Before training") < text.index("## After training")
    assert "W^(l)_ij connects unit i of layer l-1 to unit j of layer l" in text
    assert "∂ℓ/∂W^(1) = (a^(0))^T ∂ℓ/∂z^(1)" in text
    before, after = loss_values(text)
    summary = json.loads((run_dir / "summary.json").read_text())
    # the first batch of XOR is the whole training set, so the trained loss is the run's
    assert after == pytest.approx(summary["final"]["train_loss"], rel=1e-3)
    assert before > 0.6 > 0.1 > after  # ~ln 2 before training
    assert (run_dir / "explain.png").read_bytes()[:4] == b"\x89PNG"
    assert (run_dir / "model.npz").is_file()  # a normal run besides
    # XOR's first sample (0, 0) is all zeros: every z is a bias, so another is drawn
    assert text.count("The figure draws sample 1 (from 0): x = (0, 1).") == 2


def test_a_saved_run_is_explained_in_its_folder(explained):
    cwd, run_dir, _ = explained
    (run_dir / "explain.md").unlink()
    (run_dir / "explain.png").unlink()
    done = nnlite("explain", str(run_dir), "sample=3", cwd=cwd)
    assert done.returncode == 0, done.stderr
    text = (run_dir / "explain.md").read_text()
    assert "Before training" not in text and "## After training" in text
    assert "The figure draws sample 3 (from 0): x = (1, 1)." in text
    summary = json.loads((run_dir / "summary.json").read_text())
    assert loss_values(text) == [pytest.approx(summary["final"]["train_loss"], rel=1e-3)]
    assert (run_dir / "explain.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, message", [
    (["explain", "no_such_dir"], "nnlite: 'no_such_dir' is not a finished nnlite run"),
    (["explain", "+experiment=no_such"], "nnlite: In 'config': Could not find"),
    (["explain", "+experiment=xor", "optimizer.lr=-1"], "nnlite: "),
    (["explain", "+experiment=xor", "sample=4"],
     "nnlite: explain: sample=4 is not in the batch; use 0..3"),
    (["explain", "+experiment=xor", "sample=first"],
     "nnlite: sample= takes one whole number from 0, got 'first'"),
])
def test_mistakes_are_one_line(args, message, tmp_path):
    done = nnlite(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "runs").exists()


def test_sample_picks_the_sample_the_figure_draws(tmp_path):
    done = nnlite("explain", "+experiment=xor", "sample=2", "trainer.epochs=1",
                  "trainer.progress=false", "plots=false", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (run_dir,) = (tmp_path / "runs" / "xor").iterdir()
    text = (run_dir / "explain.md").read_text()
    assert text.count("The figure draws sample 2 (from 0): x = (1, 0).") == 2


def test_usage():
    done = subprocess.run([sys.executable, "-m", "nnlite", "explain", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("usage: nnlite explain")
    bad = subprocess.run([sys.executable, "-m", "nnlite", "explain", "a", "b"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "explain takes one RUN_DIR" in bad.stderr


def test_a_run_that_used_a_plugin_is_read_only_when_trusted_with_plugins(tmp_path):
    # A run's plugins are code: explain, predict and evaluate load them only on --plugins.
    from conftest import CUBE_PLUGIN

    (tmp_path / "cube.py").write_text(CUBE_PLUGIN)
    trained = nnlite("+experiment=xor", "plugins=[cube.py]", "model.activation=cube",
                     "trainer.epochs=3", "plots=false", "hydra.run.dir=runs/cube", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    refused = subprocess.run([sys.executable, "-m", "nnlite", "explain", "runs/cube"],
                             cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode != 0 and "add --plugins" in refused.stderr
    assert not (tmp_path / "runs" / "cube" / "explain.md").exists()
    assert nnlite("explain", "runs/cube", "--plugins", cwd=tmp_path).returncode == 0
    assert "cube" in (tmp_path / "runs" / "cube" / "explain.md").read_text()
    (tmp_path / "x.csv").write_text("0,1\n1,1\n")
    for command in (["predict", "runs/cube", "x.csv"], ["evaluate", "runs/cube", "train"]):
        assert "add --plugins" in subprocess.run(
            [sys.executable, "-m", "nnlite", *command], cwd=tmp_path, capture_output=True,
            text=True).stderr
        trusted = nnlite(*command, "--plugins", cwd=tmp_path)
        assert trusted.returncode == 0 and trusted.stdout, trusted.stderr
