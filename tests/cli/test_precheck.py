"""Mistakes on the command line caught before Hydra: "did you mean", missing launchers."""

import importlib.util
import subprocess
import sys

import pytest

from nnlite.cli import precheck


@pytest.mark.parametrize("arg,close", [("optimizer.lrr=0.1", "optimizer.lr"),
                                       ("trainer.epoch=3", "trainer.epochs"),
                                       ("model.activaton=relu", "model.activation"),
                                       ("trainer.early_stoping.patience=2",
                                        "trainer.early_stopping.patience")])
def test_a_misspelt_key_gets_the_closest_key(arg, close):
    message = precheck.check_arguments(["+experiment=xor", arg])
    assert message.startswith(f"unknown config key {arg.split('=')[0]!r}")
    assert f"Did you mean {close!r}?" in message


@pytest.mark.parametrize("arg", ["optimizer=adam", "init=zeros", "seed=0,1,2", "plots=false",
                                 "logger=[tensorboard,mlflow]", "data.params.path=my.csv",
                                 "logger.mlflow.tracking_uri=sqlite:///x.db", "+optimizer.foo=1",
                                 "hydra.sweeper.n_trials=3", "model.hidden=[4,4]",
                                 "trainer.early_stopping.monitor=val_loss", "--help"])
def test_good_arguments_pass(arg):
    assert precheck.check_arguments(["+experiment=xor", arg]) is None


def test_a_missing_launcher_or_sweeper_names_its_install_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: None if name.startswith("hydra_plugins.") else real(name))
    message = precheck.check_arguments(["-m", "+experiment=xor", "hydra/launcher=joblib"])
    assert message.startswith("hydra/launcher=joblib needs") and 'pip install -e ".[sweep]"' \
        in message
    # lr_search's own defaults choose the Optuna sweeper
    assert "hydra/sweeper=optuna" in precheck.check_arguments(["-m", "+experiment=lr_search"])


def test_the_command_line_prints_one_line_and_exits_1(tmp_path):
    done = subprocess.run([sys.executable, "-m", "nnlite", "+experiment=xor", "optimizer.lrr=1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "Did you mean 'optimizer.lr'?" in done.stderr and not (tmp_path / "runs").exists()


def test_switching_optimizer_by_name_says_to_choose_its_config():
    from conftest import composed

    from nnlite.runs.config.errors import ConfigError

    with pytest.raises(ConfigError, match=r"betas.*choose the config, optimizer=sgd"):
        composed("+experiment=moons", "optimizer.name=sgd")
    switched = composed("+experiment=moons", "optimizer=sgd").optimizer
    assert switched.name == "sgd" and switched.betas is None
