"""The config's value checks, and the promise that the config and the API agree on every
rule they share: the check asks the API itself."""

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.runs.config.checked import checked_config
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.schema import Config
from nnlite.runs.config.typed import as_config, as_dict

PROBE = [nl.Parameter(np.zeros(3))]


def api_accepts(build) -> bool:
    try:
        build()
    except ValueError:
        return False
    return True


def config_accepts(*overrides: str) -> bool:
    try:
        composed("+experiment=xor", *overrides)
    except ConfigError:
        return False
    return True


@pytest.mark.parametrize("override, build", [
    ("optimizer.lr=0", lambda: nl.optimizer("sgd", PROBE, lr=0.0)),
    ("optimizer.lr=-1", lambda: nl.optimizer("sgd", PROBE, lr=-1.0)),
    ("optimizer.lr=inf", lambda: nl.optimizer("sgd", PROBE, lr=float("inf"))),
    ("optimizer.momentum=-0.5", lambda: nl.optimizer("sgd", PROBE, lr=0.1, momentum=-0.5)),
    ("optimizer.nesterov=true", lambda: nl.optimizer("sgd", PROBE, lr=0.1, nesterov=True)),
    ("model.dropout=0.99", lambda: nl.Dropout(0.99)),
    ("model.dropout=1", lambda: nl.Dropout(1.0)),
    ("trainer.clip_grad_norm=0", lambda: nl.clip_grad_norm(PROBE, 0.0)),
    ("trainer.clip_grad_norm=0.5", lambda: nl.clip_grad_norm(PROBE, 0.5)),
    ("model.weight_init=normal +model.weight_init_params.std=-1",
     lambda: nl.initializer("normal", std=-1)((2, 2), np.random.default_rng(0))),
])
def test_the_config_and_the_api_agree(override, build):
    overrides = override.split()
    if override.startswith("optimizer.momentum") or override.startswith("optimizer.nesterov"):
        overrides = ["optimizer=sgd", *overrides]
    assert config_accepts(*overrides) == api_accepts(build), override


def test_a_learning_rate_of_zero_trains_nothing_in_both():
    config = composed("+experiment=xor", "optimizer.lr=0", "trainer.epochs=2")
    summary = nl.train(config)
    assert summary["status"] == "completed"
    assert summary["best"]["train_loss"] == pytest.approx(summary["final"]["train_loss"])


@pytest.mark.parametrize("override, words", [
    ("trainer.snapshot_epochs=[0,500]", "trainer.snapshot_epochs=[0, 500] is not allowed"),
    ("data.val_fraction=0.6 data.test_fraction=0.5", "below 1, to leave a training split"),
    ("+trainer.schedule.params.gamma=0.5", "trainer.schedule.params=.*is not allowed"),
])
def test_values_that_can_never_work_are_refused_naming_the_key(override, words):
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        composed("+experiment=xor", "trainer.epochs=100", *override.split())


def test_a_plain_dict_is_typed_by_the_schema():
    config = checked_config({"data": {"name": "moons"}, "trainer": {"epochs": 7}})
    assert isinstance(config, Config)
    assert config.trainer.epochs == 7 and config.trainer.checkpoint_every_s == 2.0
    assert config.optimizer.kwargs() == {"lr": 0.1}
    with pytest.raises(ConfigError, match="trainerr"):
        as_config({"trainerr": {}})
    with pytest.raises(ConfigError, match="trainer.epochs"):
        as_config({"trainer": {"epochs": "many"}})


def test_the_typed_config_round_trips_through_its_dict():
    config = composed("+experiment=moons", "model.hidden=[4,3]")
    again = as_config(as_dict(config))
    assert again == config and again is not config
    assert as_config(config) is config
