"""A catalogue of bad inputs beyond the config: damaged data files, used or damaged run
folders, plugins and hooks that misbehave, runs that diverge, a full disk. Each row
gives the exit status, the words of the one `nnlite:` line and what must (not) be left on
disk. Most rows run in-process through `nnlite.cli.main`; rows whose plugins would stay
registered in this process, and the file-size limit, run as real subprocesses."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import XOR, cli_in_process, files_under, nnlite_process, one_nnlite_line

from nnlite.cli import exit_codes as ec


def data_file(tmp: Path, name: str, content: bytes) -> str:
    (tmp / name).write_bytes(content)
    return f"data=file data.params.path={name}"


def csv_rows(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


DATA_ROWS = [
    (lambda t: "data=file", "dataset file 'data.csv' not found"),
    (lambda t: "data=file data.params.path=nope.csv", "'nope.csv' not found"),
    (lambda t: data_file(t, "nan.csv", csv_rows("a,b,y", "1,2,0", "nan,1,1", "0,0,1")),
     "NaN or infinite values (input column 0, row 1: nan)"),
    (lambda t: data_file(t, "inf.csv", csv_rows("a,b,y", "1,inf,0", "2,1,1", "0,0,1")),
     "NaN or infinite values (input column 1, row 0: inf)"),
    (lambda t: data_file(t, "big.csv", csv_rows("a,b,y", "1,1e300,0", "2,-1e300,1", "0,0,1",
                                                "1,5e299,0")),
     "input column 1 holds values up to 1e+300"),
    (lambda t: data_file(t, "big32.csv", csv_rows("a,b,y", "1e25,1,0", "2,1,1", "0,0,1",
                                                  "1,5,0")) + " data.standardize=false",
     "input column 0 holds values up to 1e+25, too large for float32"),
    (lambda t: data_file(t, "empty.csv", b""), "the CSV file is empty"),
    (lambda t: data_file(t, "binary.csv", bytes(range(256)) * 4), "data.params.path"),
    (lambda t: data_file(t, "header.csv", csv_rows("a,b,y")), "no data rows after the header"),
    (lambda t: data_file(t, "text.csv", csv_rows("a,b,y", "1,x,0", "2,1,1")), "'x'"),
    (lambda t: data_file(t, "ragged.csv", csv_rows("a,b,y", "1,2,0", "2,1")), "line 3 has 2"),
    (lambda t: data_file(t, "cut.npz", _npz_bytes()[:200]), "data.params.path"),
    (lambda t: data_file(t, "junk.npz", b"PK\x03\x04 not really"), "data.params.path"),
    (lambda t: data_file(t, "noxy.npz", _npz_bytes(keys=("a", "b"))), "needs arrays 'x' and 'y'"),
    (lambda t: data_file(t, "data.txt", b"1 2 3\n"), "unsupported suffix '.txt'"),
    (lambda t: data_file(t, "one.csv", csv_rows("a,y", "1,0", "2,0", "3,0")), "every target is"),
]


def _npz_bytes(keys=("x", "y")) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{keys[0]: np.zeros((6, 2)), keys[1]: np.array([0, 1, 0, 1, 0, 1])})
    return buffer.getvalue()


@pytest.mark.parametrize("make,words", DATA_ROWS, ids=[f"data{i}" for i in range(len(DATA_ROWS))])
def test_data_catalogue(tmp_path, monkeypatch, make, words):
    args = make(tmp_path).split()
    code, err = cli_in_process(tmp_path, monkeypatch, "trainer.progress=false", "plots=false",
                               "trainer.epochs=2", *args)
    assert code == ec.DATA
    assert words in one_nnlite_line(err)
    assert files_under(tmp_path / "runs") == []


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished XOR run (3 epochs), to point bad commands at; copied per test."""
    cwd = tmp_path_factory.mktemp("finished")
    subprocess.run([sys.executable, "-m", "nnlite", *XOR, "hydra.run.dir=runs/done"], cwd=cwd,
                   check=True, capture_output=True, timeout=300)
    return cwd / "runs" / "done"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def damage(name: str, content: bytes):
    def apply(run: Path) -> None:
        (run / name).write_bytes(content)
    return apply


def early_stopped(run: Path) -> None:
    summary = json.loads((run / "summary.json").read_text())
    summary["stop_reason"] = "early stopping: val_loss did not improve for 3 epochs"
    (run / "summary.json").write_text(json.dumps(summary))


# (command words, with RUN for the run folder; a change to the run first; status; words)
FOLDER_ROWS = [
    (["+experiment=xor", "hydra.run.dir=RUN"], None, ec.CONFIG, "already holds a run"),
    (["+experiment=moons", "hydra.run.dir=RUN", "seed=4"], None, ec.CONFIG, "already holds a run"),
    (["resume=RUN"], None, ec.CONFIG, "the run completed its 3 epochs"),
    (["resume=RUN", "optimizer.lr=0.5"], None, ec.CONFIG, "'optimizer.lr=0.5' cannot be given"),
    (["resume=RUN", "trainer.epochs=2"], None, ec.CONFIG, "can only extend the run's 3 epochs"),
    (["resume=RUN", "trainer.epochs=ten"], None, ec.CONFIG, "trainer.epochs='ten'"),
    (["resume=RUN", "resume=RUN"], None, ec.CONFIG, "cannot be given with resume="),
    (["resume=RUN/nowhere"], None, ec.CONFIG, "not a run folder (no config.yaml)"),
    (["resume="], None, ec.CONFIG, "resume= needs a run folder"),
    (["resume=RUN", "trainer.epochs=9"], early_stopped, ec.CONFIG, "the run ended (early stopping"),
    (["resume=RUN", "trainer.epochs=9"], damage("config.yaml", b"a: [b\n"), ec.FILES,
     "config.yaml: not readable YAML"),
    (["resume=RUN", "trainer.epochs=9"], damage("config.yaml", b"- 1\n"), ec.FILES,
     "config.yaml: holds list"),
    (["resume=RUN", "trainer.epochs=9"], damage("summary.json", b"{"), ec.FILES,
     "summary.json: not readable JSON"),
    (["resume=RUN", "trainer.epochs=9"], damage("checkpoint.npz", b"PK\x03\x04junk"), ec.FILES,
     "checkpoint.npz: not an .npz archive"),
    (["resume=RUN", "trainer.epochs=9"], damage("checkpoint.npz", b""), ec.FILES,
     "checkpoint.npz: not an .npz archive"),
]


@pytest.mark.parametrize("words,change,status,message", FOLDER_ROWS,
                         ids=[" ".join(r[0]) + (f" ({r[1].__name__})" if r[1] else "")
                              for r in FOLDER_ROWS])
def test_run_folder_catalogue(tmp_path, monkeypatch, finished, words, change, status, message):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(finished, run)
    if change is not None:
        change(run)
    before = snapshot(run)
    args = [w.replace("RUN", str(run)) for w in words]
    code, err = cli_in_process(tmp_path, monkeypatch, *args)
    assert code == status
    assert message in one_nnlite_line(err)
    assert snapshot(run) == before, "a refused command changed the run's files"
    assert files_under(tmp_path / "runs") == []


# (plugin source, status, words, what the run folder must say: None = no folder at all)
PLUGIN_ROWS = [
    ("import torch_is_not_installed\n", ec.PLUGIN, "failed to import", None),
    ("def broken(:\n", ec.PLUGIN, "failed to import: SyntaxError", None),
    ("import sys\nsys.exit(2)\n", ec.PLUGIN, "called sys.exit(2) while loading", None),
    ("def nnlite_activations():\n    return {'swish2': object}\n", ec.PLUGIN,
     "is not marked @nl.hookimpl", None),
    ("raise RuntimeError('at import')\n", ec.PLUGIN, "RuntimeError('at import')", None),
]
HOOK_ROWS = [
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    return 'stop'\n",
     "returned 'stop' (str)", "failed"),
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    return 1\n",
     "returned 1 (int)", "failed"),
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    1 / 0\n",
     "ZeroDivisionError", "failed"),
    ("@nl.hookimpl\ndef nnlite_run_end(run, summary):\n    raise OSError('no space')\n",
     "nnlite_run_end hook raised OSError('no space')", "failed"),
    ("import sys\n@nl.hookimpl\ndef nnlite_run_start(run):\n    sys.exit(1)\n",
     "nnlite_run_start hook called sys.exit(1)", None),
    ("@nl.hookimpl\ndef nnlite_activations():\n    return {'relu': nl.Module}\n",
     "relu", None),
]


@pytest.mark.parametrize("source,status,words,record", PLUGIN_ROWS,
                         ids=[f"plugin{i}" for i in range(len(PLUGIN_ROWS))])
def test_plugin_load_catalogue(tmp_path, monkeypatch, source, status, words, record):
    (tmp_path / "p.py").write_text("import nnlite as nl\n" + source)
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, "plugins=[p.py]")
    assert code == status
    assert words in one_nnlite_line(err)
    assert files_under(tmp_path / "runs") == []



@pytest.mark.parametrize("source,words,record", HOOK_ROWS,
                         ids=[f"hook{i}" for i in range(len(HOOK_ROWS))])
def test_hook_catalogue_in_real_processes(tmp_path, source, words, record):
    (tmp_path / "p.py").write_text("import nnlite as nl\n" + source)
    result = nnlite_process(tmp_path, *XOR, "plugins=[p.py]")
    assert result.returncode == ec.PLUGIN
    assert words in one_nnlite_line(result.stderr)
    summaries = list((tmp_path / "runs").glob("*/*/summary.json"))
    if record is None:
        assert files_under(tmp_path / "runs") == []
    else:
        assert len(summaries) == 1
        assert json.loads(summaries[0].read_text())["status"] == record


DIVERGING = [
    "+experiment=moons optimizer=sgd optimizer.lr=1e6",
    "+experiment=moons optimizer=adam optimizer.lr=1e6",
    "+experiment=xor optimizer.lr=1e30 trainer.target_metric=null",
    "+experiment=sine_fit optimizer=sgd optimizer.lr=100",
]


@pytest.mark.parametrize("args", DIVERGING)
def test_diverging_catalogue(tmp_path, monkeypatch, args):
    code, err = cli_in_process(tmp_path, monkeypatch, *args.split(), "trainer.epochs=40",
                               "plots=false", "trainer.progress=false", "hydra.run.dir=runs/d")
    assert code == ec.DIVERGED
    line = one_nnlite_line(err)
    assert line.startswith("nnlite: diverged at epoch ") and "likely cause" in line
    summary = json.loads((tmp_path / "runs" / "d" / "summary.json").read_text())
    assert summary["status"] == "diverged"
    with np.load(tmp_path / "runs" / "d" / "model.npz") as model:
        assert all(np.isfinite(model[k]).all() for k in model.files if k != "__meta__")


def test_files_catalogue_full_disk(tmp_path):
    result = nnlite_process(tmp_path, *XOR, limit_bytes=2000)
    assert result.returncode == ec.FILES
    assert "File too large" in one_nnlite_line(result.stderr)


def test_files_catalogue_run_dir_under_a_file(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("")
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, "hydra.run.dir=afile/run")
    assert code == ec.FILES
    assert "Not a directory" in one_nnlite_line(err)
    assert (tmp_path / "afile").read_text() == ""


def test_files_catalogue_a_folder_nobody_may_write(tmp_path, monkeypatch):
    # /sys refuses new folders even to root (a chmod 555 folder would not stop root)
    code, err = cli_in_process(tmp_path, monkeypatch, *XOR, "hydra.run.dir=/sys/nnlite_run")
    assert code == ec.FILES
    assert "cannot write the run's files: [Errno 1] Operation not permitted" in one_nnlite_line(err)
