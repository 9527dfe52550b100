"""checkpoint.npz, best.npz and resuming, in-process (the signal tests are in
tests/cli/test_resume.py)."""

import numpy as np
import pytest
from conftest import composed

from nnlite.cli.resume import parse_resume_args, resumable_config
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.folder.loading import load_model
from nnlite.runs.training import checkpoint
from nnlite.runs.training.lifecycle import train

MOONS = ("+experiment=moons", "trainer.progress=false", "plots=false", "data.n_samples=120",
         "data.val_fraction=0.25", "model.dropout=0.1", "trainer.batch_size=16")


def rows_without_time(path):
    lines = path.read_text().splitlines()
    column = lines[0].split(",").index("time_s")
    return [[v for i, v in enumerate(line.split(",")) if i != column] for line in lines]


def test_checkpoint_holds_every_state_and_reads_back(tmp_path):
    train(composed(*MOONS, "trainer.epochs=4"), tmp_path)
    arrays, state = checkpoint.read(tmp_path / "checkpoint.npz")
    assert state["epochs_done"] == 4 and len(state["history"]) == 4
    assert {"trainer", "2.rng", "5.rng"} <= set(state["rng"])  # batch order, both dropouts
    assert any(k.startswith("optimizer.state.") for k in arrays)  # Adam's moments
    assert any(k.startswith("best.") for k in arrays)
    assert state["best"]["monitor"] == "val_loss"


def test_extending_a_run_equals_running_it_longer(tmp_path):
    train(composed(*MOONS, "trainer.epochs=6"), tmp_path / "short")
    config = resumable_config(tmp_path / "short", 10)
    assert config.trainer.epochs == 10
    train(config, tmp_path / "short", resume=True)
    train(composed(*MOONS, "trainer.epochs=10"), tmp_path / "long")
    for name in ("model.npz", "best.npz"):
        assert (tmp_path / "short" / name).read_bytes() == (tmp_path / "long" / name).read_bytes()
    assert rows_without_time(tmp_path / "short" / "metrics.csv") == \
        rows_without_time(tmp_path / "long" / "metrics.csv")


def test_early_stopping_restores_the_best_weights_and_says_so(tmp_path):
    summary = train(composed(*MOONS, "trainer.epochs=300", "optimizer.lr=0.05",
                             "trainer.early_stopping.monitor=val_loss",
                             "trainer.early_stopping.patience=3"), tmp_path)
    assert "early stopping" in summary["stop_reason"]
    best = summary["restored_best_epoch"]
    assert best is not None and best == summary["best_epoch"] < summary["epochs"] - 1
    rows = checkpoint.read(tmp_path / "checkpoint.npz")[1]["history"]
    lowest = min(r["val_loss"] for r in rows)
    assert summary["final"]["val_loss"] == rows[best]["val_loss"] == lowest
    model, _ = load_model(tmp_path / "model.npz")
    best_model, _ = load_model(tmp_path / "best.npz")
    for a, b in zip(model.parameters(), best_model.parameters()):
        np.testing.assert_array_equal(a.data, b.data)


def test_best_follows_train_loss_without_a_validation_split(tmp_path):
    summary = train(composed("+experiment=xor", "trainer.epochs=20", "plots=false",
                             "trainer.target_metric=null"), tmp_path)
    assert summary["best_monitor"] == "train_loss" and summary["restored_best_epoch"] is None
    assert (tmp_path / "best.npz").is_file()


@pytest.mark.parametrize("args,message", [
    (["resume=a", "optimizer.lr=0.5"], "'optimizer.lr=0.5' cannot be given with resume="),
    (["resume=a", "trainer.epochs=ten"], "trainer.epochs='ten' is not allowed"),
    (["trainer.epochs=3"], "resume= needs a run folder"),
    (["resume=a", "resume=b"], "'resume=b' cannot be given"),
])
def test_resume_arguments_are_checked(args, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        parse_resume_args(args)


def test_resume_refuses_what_cannot_go_on(tmp_path):
    with pytest.raises(ConfigError, match="not a run folder"):
        resumable_config(tmp_path, None)
    train(composed("+experiment=xor", "trainer.epochs=5", "plots=false",
                   "trainer.target_metric=null"), tmp_path / "done")
    with pytest.raises(ConfigError, match="completed its 5 epochs; to extend it"):
        resumable_config(tmp_path / "done", None)
    with pytest.raises(ConfigError, match="can only extend the run's 5 epochs"):
        resumable_config(tmp_path / "done", 3)
    train(composed("+experiment=xor", "plots=false"), tmp_path / "target")
    with pytest.raises(ConfigError, match="the run ended .train_loss reached"):
        resumable_config(tmp_path / "target", 1000)
    (tmp_path / "done" / "checkpoint.npz").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ValueError, match="checkpoint.npz: not an .npz archive"):
        resumable_config(tmp_path / "done", 10)
