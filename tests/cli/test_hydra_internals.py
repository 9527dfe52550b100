"""The patches of nnlite.cli.hydra_internals, held against the Hydra they patch: each test
fails if an upgrade of Hydra moves what a patch relies on, so a patch can never stop
applying without anyone noticing."""

import inspect

import pytest
from conftest import XOR, cli_in_process

from nnlite.cli import composing, hydra_internals


def test_hydra_still_probes_the_mode_through_get_mode_with_these_arguments():
    from hydra._internal import utils
    from hydra._internal.hydra import Hydra

    assert list(inspect.signature(Hydra.get_mode).parameters)[:3] == [
        "self", "config_name", "overrides"]
    assert ".get_mode(" in inspect.getsource(utils._run_hydra)


def test_hydra_still_checks_a_sweep_through_validate_batch_is_legal():
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.plugins.sweeper import Sweeper

    assert list(inspect.signature(Sweeper.validate_batch_is_legal).parameters) == [
        "self", "batch"]
    assert "self.validate_batch_is_legal(" in inspect.getsource(BasicSweeper.sweep)


def test_the_patches_apply_once():
    from hydra._internal.hydra import Hydra
    from hydra.plugins.sweeper import Sweeper

    composing.prepare_hydra()
    composing.prepare_hydra()
    assert getattr(Hydra.get_mode, "_nnlite", False)
    assert Sweeper.validate_batch_is_legal.__qualname__.startswith("compose_less")


def test_a_run_composes_its_config_once(tmp_path, monkeypatch):
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    calls = []
    original = ConfigLoaderImpl.load_configuration

    def counted(self, *args, **kwargs):
        calls.append(kwargs.get("run_mode"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ConfigLoaderImpl, "load_configuration", counted)
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, "hydra.run.dir=runs/r")
    assert code == 0, err
    assert len(calls) == 1  # Hydra alone composes twice: once only to read hydra.mode


@pytest.mark.parametrize("batch, checked", [
    ([["a=1", "s=0"], ["a=1", "s=1"], ["a=2", "s=0"], ["a=2", "s=1"]],
     [["a=1", "s=0"], ["a=1", "s=1"], ["a=2", "s=0"]]),
    ([["x=1"]], [["x=1"]]),
])
def test_a_sweep_is_checked_on_jobs_that_cover_every_override(batch, checked):
    assert hydra_internals.covering_jobs(batch) == checked
