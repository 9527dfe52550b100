"""Reading a run folder someone sent you: no plugin code runs unless asked, every file is
checked and named when wrong, sizes are bounded before allocation, pickle is refused."""

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest
import yaml
from conftest import composed

import nnlite as nl
from nnlite.cli.report_command import report_command as report
from nnlite.runs.folder.safe_read import RunFileError
from nnlite.runs.folder.writing import save_weights
from nnlite.runs.training.lifecycle import train

# A plugin whose import leaves a mark: loading it would run someone else's code.
MARKING_PLUGIN = "import pathlib\npathlib.Path(__file__).with_name('ran').touch()\n"


@pytest.fixture
def run_dir(tmp_path):
    out = tmp_path / "run"
    train(composed("+experiment=xor", "trainer.epochs=3", "plots=false"), out)
    return out


def test_load_run_runs_no_plugin_unless_asked(run_dir, tmp_path):
    (tmp_path / "marking.py").write_text(MARKING_PLUGIN)
    config = yaml.safe_load((run_dir / "config.yaml").read_text())
    config["plugins"] = [str(tmp_path / "marking.py")]
    (run_dir / "config.yaml").write_text(yaml.safe_dump(config))
    run = nl.load_run(run_dir)
    assert run.outputs([[0, 1]]).shape == (1, 1)
    assert not (tmp_path / "ran").exists()
    nl.load_run(run_dir, plugins=True)
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("name,content,message", [
    ("config.yaml", "a: [unclosed\n", "config.yaml: not readable YAML"),
    ("config.yaml", "- just\n- a list\n", "config.yaml: holds list, not a dict"),
    ("summary.json", "{not json", "summary.json: not readable JSON"),
    ("summary.json", "[1, 2]", "summary.json: holds a JSON list, not an object"),
    ("metrics.csv", "epoch,train_loss\n0,abc\n", "metrics.csv: not a metrics table of numbers"),
    ("model.npz", "PK garbage", "model.npz: not an .npz archive"),
])
def test_every_file_load_run_reads_is_checked_and_named(run_dir, name, content, message):
    (run_dir / name).write_text(content)
    with pytest.raises(RunFileError, match=message.replace("[", r"\[")):
        nl.load_run(run_dir)


def test_a_tiny_model_file_declaring_a_huge_layer_allocates_nothing(run_dir):
    meta = json.loads(str(np.load(run_dir / "model.npz")["__meta__"]))
    meta["model"]["sizes"] = [2, 10**9, 1]
    weights = {k: v for k, v in np.load(run_dir / "model.npz").items() if k != "__meta__"}
    save_weights(run_dir / "model.npz", weights, meta)
    assert (run_dir / "model.npz").stat().st_size < 4000
    tracemalloc.start()
    with pytest.raises(RunFileError, match=r"sizes \[2, 1000000000, 1\] .4000000001 "
                                           r"parameters. but stores 33 numbers"):
        nl.load_run(run_dir)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50_000_000


def test_pickle_is_refused(run_dir):
    buffer = io.BytesIO()
    np.savez(buffer, __meta__=np.array([{"evil": 1}], dtype=object))
    (run_dir / "model.npz").write_bytes(buffer.getvalue())
    with pytest.raises(RunFileError, match=r"Python objects \(pickle\), which nnlite never"):
        nl.load_run(run_dir)


def test_weights_that_do_not_fit_their_model_are_named(run_dir):
    with zipfile.ZipFile(run_dir / "model.npz") as archive:
        assert "0.weight.npy" in archive.namelist()
    meta = json.loads(str(np.load(run_dir / "model.npz")["__meta__"]))
    save_weights(run_dir / "model.npz", {"0.weight": np.zeros((2, 8))}, meta)
    with pytest.raises(RunFileError, match="sizes .2, 8, 1. .33 parameters. but stores 16"):
        nl.load_run(run_dir)
    save_weights(run_dir / "model.npz", {"0.weight": np.zeros(33)}, meta)  # as many numbers
    with pytest.raises(RunFileError, match="weights do not fit the model it describes"):
        nl.load_run(run_dir)


def test_report_names_a_damaged_summary(tmp_path, capsys):
    job = tmp_path / "sweep" / "0"
    train(composed("+experiment=xor", "trainer.epochs=2", "plots=false"), job)
    (job / ".hydra").mkdir()
    (job / ".hydra" / "overrides.yaml").write_text("- seed=0\n")
    (job / "summary.json").write_text("{oops")
    assert report([str(tmp_path / "sweep")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("nnlite.report: ") and "summary.json: not readable JSON" in err
