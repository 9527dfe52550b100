"""A run's files on disk: `write_atomic`'s modes."""

import os
import stat
from pathlib import Path

import pytest

import nnlite as nl
from nnlite.runs import write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("data", ["a,b\n1,2\n", b"\x00\x01binary"])
def test_write_atomic_gives_the_mode_of_a_plain_open_and_leaves_no_temp_file(
        tmp_path, umask_022, data):
    target = tmp_path / "sub" / "file"
    write_atomic(target, data)
    write_atomic(target, data)  # replacing an existing file too
    assert mode(target) == 0o644
    assert (target.read_bytes() if isinstance(data, bytes) else target.read_text()) == data
    assert [p.name for p in target.parent.iterdir()] == ["file"]


def test_write_atomic_failure_keeps_the_old_file_and_removes_the_temp_file(tmp_path):
    target = tmp_path / "summary.json"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # not str or bytes: the write itself fails
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_run_files_are_readable_by_others_under_umask_022(tmp_path, umask_022):
    config = composed("+experiment=xor", "trainer.epochs=3", "plots=false")
    nl.train.train(config, tmp_path)
    files = {p.name: mode(p) for p in tmp_path.iterdir()}
    assert files == {name: 0o644 for name in
                     ("config.yaml", "metrics.csv", "model.npz", "summary.json")}


def composed(*overrides: str) -> dict:
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    import nnlite.cli  # noqa: F401  (registers the schema and resolvers)
    from nnlite.paths import config_dir
    from nnlite.schema import strict_merge, validate

    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        cfg = compose(config_name="config", overrides=[*overrides, "trainer.progress=false"])
    config = OmegaConf.to_container(strict_merge(cfg), resolve=True)
    validate(config)
    return config
