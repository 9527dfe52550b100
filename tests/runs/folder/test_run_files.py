"""A run's files on disk: `write_atomic`'s modes and `load_run` with the run's plugins."""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import composed

import nnlite as nl
from nnlite.runs.folder.writing import write_atomic

REPO = Path(__file__).resolve().parents[3]


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
    config = composed("+experiment=xor", "trainer.epochs=3", "plots=false",
                      "trainer.progress=false")
    nl.train(config, tmp_path)
    files = {p.name: mode(p) for p in tmp_path.iterdir()}
    assert files == {name: 0o644 for name in
                     ("config.yaml", "metrics.csv", "model.npz", "summary.json", "best.npz",
                      "checkpoint.npz", "run_info.json", ".nnlite-run")}


def test_load_run_only_needs_a_plugin_it_cannot_load_if_the_model_uses_it(tmp_path):
    config = composed("+experiment=xor", "trainer.epochs=3", "plots=false",
                      "trainer.progress=false")
    nl.train(config, tmp_path)
    config = yaml.safe_load((tmp_path / "config.yaml").read_text())
    config["plugins"] = ["nowhere/missing_plugin.py"]
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    assert nl.load_run(tmp_path).outputs([[0, 1]]).shape == (1, 1)


# Each process below starts with a fresh registry: the plugin is only known if loaded there.
TRAIN = """
import sys
from nnlite.cli.composing import compose
from nnlite.runs.training.lifecycle import train

train(compose(sys.argv[2:]), sys.argv[1])  # plugins loaded, then checked
"""

PREDICT = """
import json, sys
import nnlite as nl

allow = sys.argv[2] == "plugins=True"
for spec in sys.argv[3:]:
    nl.plugins.load(spec)
run = nl.load_run(sys.argv[1], plugins=allow)
nl.load_run(sys.argv[1], plugins=allow)  # again: the run's plugin is registered already by now
print(json.dumps(run.outputs([[0.0, 1.0], [1.0, 0.0]]).tolist()))
"""


def python(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], check=False, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_load_run_loads_the_run_s_plugins_in_a_fresh_process(tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    plugin = shutil.copy(REPO / "plugins" / "layernorm.py", project / "norm_plugin.py")
    run_dir = project / "run"
    trained = python(TRAIN, str(run_dir), "+experiment=moons", "plugins=[norm_plugin.py]",
                     "model.layers=[{type: linear, out_features: 8}, {type: layernorm}, "
                     "{type: relu}, {type: linear, out_features: out}]",
                     "trainer.epochs=3", "trainer.progress=false", "plots=false", cwd=project)
    assert trained.returncode == 0, trained.stderr

    # the relative path resolves here, once the caller allows the run's plugins to run
    loaded = python(PREDICT, str(run_dir), "plugins=True", cwd=project)
    assert loaded.returncode == 0, loaded.stderr
    predictions = json.loads(loaded.stdout)
    assert len(predictions) == 2 and len(predictions[0]) == 1

    refused = python(PREDICT, str(run_dir), "plugins=False", cwd=project)  # the default
    assert refused.returncode != 0
    message = refused.stderr.strip().splitlines()[-1]
    assert message.startswith("nnlite.registry.PluginError") and "'norm_plugin.py'" in message
    assert "load_run(path, plugins=True)" in message and "unknown layer 'layernorm'" in message

    missing = python(PREDICT, str(run_dir), "plugins=True", cwd=elsewhere)  # ... not here
    assert missing.returncode != 0
    message = missing.stderr.strip().splitlines()[-1]
    assert message.startswith("nnlite.registry.PluginError")
    assert "'norm_plugin.py'" in message and str(run_dir) in message
    assert "nl.plugins.load(" in message and "unknown layer 'layernorm'" in message

    preloaded = python(PREDICT, str(run_dir), "plugins=False", str(plugin), cwd=elsewhere)
    assert preloaded.returncode == 0, preloaded.stderr
    assert json.loads(preloaded.stdout) == predictions


def test_a_diverged_runs_summary_is_standard_json(tmp_path):
    from nnlite.runs.training.lifecycle import train

    config = composed("+experiment=sine_fit", "optimizer=sgd", "optimizer.lr=100",
                      "trainer.epochs=50", "trainer.progress=false")
    assert train(config, tmp_path)["status"] == "diverged"
    text = (tmp_path / "summary.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    summary = json.loads(text, parse_constant=lambda name: pytest.fail(f"bare {name}"))
    assert summary["status"] == "diverged"
