"""Every user-side failure is one `nnlite:` line and a documented exit code, through real
`python -m nnlite` processes: plugins that exit or raise, hooks returning nonsense, a
full disk, and signals while a plugin is imported or the plots are drawn."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import nnlite_process

from nnlite.cli import exit_codes

RUN = ("+experiment=xor", "trainer.progress=false", "plots=false", "trainer.epochs=5",
       "trainer.target_metric=null")




def one_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("nnlite: "), result.stderr
    return lines[0]


def plugin(cwd: Path, body: str) -> str:
    (cwd / "p.py").write_text("import sys, time, pathlib\nimport nnlite as nl\n\n" + body)
    return "plugins=[p.py]"


@pytest.mark.parametrize("body,message,status", [
    ("sys.exit(3)\n", "plugin 'p.py' called sys.exit(3) while loading", None),
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    return 'yes'\n",
     "nnlite_epoch_end hook returned 'yes' (str): it must return None", "failed"),
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    raise RuntimeError('boom')\n",
     "nnlite_epoch_end hook raised RuntimeError('boom')", "failed"),
    ("@nl.hookimpl\ndef nnlite_epoch_end(run, epoch, metrics):\n    sys.exit(0)\n",
     "nnlite_epoch_end hook called sys.exit(0)", "failed"),
    ("@nl.hookimpl\ndef nnlite_run_end(run, summary):\n    raise ValueError('late')\n",
     "nnlite_run_end hook raised ValueError('late')", "failed"),
    ("@nl.hookimpl\ndef nnlite_run_start(run):\n    raise ValueError('early')\n",
     "nnlite_run_start hook raised ValueError('early')", None),
])
def test_a_misbehaving_plugin_is_one_line_and_a_truthful_record(tmp_path, body, message, status):
    result = nnlite_process(tmp_path, *RUN, plugin(tmp_path, body))
    assert result.returncode == exit_codes.PLUGIN
    assert message in one_line(result)
    summaries = list((tmp_path / "runs").glob("xor/*/summary.json"))
    if status is None:  # refused before training: no folder at all
        assert not (tmp_path / "runs" / "xor").exists()
    else:
        assert len(summaries) == 1
        summary = json.loads(summaries[0].read_text())
        assert summary["status"] == status and message in summary["error"]


def test_a_full_disk_is_one_line_not_a_traceback(tmp_path):
    result = nnlite_process(tmp_path, *RUN, limit_bytes=600)
    assert result.returncode == exit_codes.FILES
    assert "File too large" in one_line(result)


def test_sigterm_while_a_plugin_is_imported_exits_143_and_leaves_nothing(tmp_path):
    (tmp_path / "slow.py").write_text("import pathlib, time\npathlib.Path('importing').touch()\n"
                                      "time.sleep(60)\n")
    process = subprocess.Popen([sys.executable, "-m", "nnlite", *RUN, "plugins=[slow.py]"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "importing").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143
    assert err.strip() == "nnlite: interrupted"
    assert not (tmp_path / "runs" / "xor").exists()


def test_sigterm_while_plotting_exits_143_with_the_run_recorded(tmp_path):
    # Weights kept at epoch 0 can only be drawn by the training process: the plots are
    # drawn inline, after summary.json, not by a process of their own.
    process = subprocess.Popen([sys.executable, "-m", "nnlite", "+experiment=xor",
                                "trainer.progress=false", "hydra.run.dir=runs/r",
                                "trainer.snapshot_epochs=[0]"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    summary = tmp_path / "runs" / "r" / "summary.json"
    deadline = time.monotonic() + 120
    while not summary.exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)  # the PNGs come after summary.json: matplotlib
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143
    assert err.strip() == "nnlite: interrupted"
    assert json.loads(summary.read_text())["status"] == "completed"
    assert (tmp_path / "runs" / "r" / "model.npz").is_file()
