"""Resume, bit for bit: real `python -m nnlite` processes stopped by real signals.

A run is stopped (SIGINT, SIGTERM or SIGKILL) part-way, resumed with
`python -m nnlite resume=<dir>`, and its files are compared byte for byte with those of
the same run left alone. The run uses dropout, mini-batches, Adam, a schedule, early
stopping state and a validation split, so every kind of saved state matters.
"""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Slows each epoch down so a signal can land at a chosen one; writes the epoch reached.
SLOW_PLUGIN = """
import os, pathlib, time
import nnlite as nl

@nl.hookimpl
def nnlite_epoch_end(run, epoch, metrics):
    pathlib.Path("reached.tmp").write_text(str(epoch))
    os.replace("reached.tmp", "reached.txt")
    time.sleep(0.04)
"""

RUN = ["+experiment=moons", "plugins=[slow.py]", "trainer.progress=false", "plots=false",
       "trainer.epochs=24", "trainer.batch_size=32", "model.dropout=0.2", "data.n_samples=200",
       "data.val_fraction=0.25", "trainer.schedule.name=cosine",
       "trainer.early_stopping.monitor=val_loss", "trainer.early_stopping.patience=100"]


def start(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nnlite", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HYDRA_FULL_ERROR": "0"})


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def without_time(path: Path) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    return [{k: v for k, v in row.items() if k != "time_s"} for row in rows]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("resume")
    (cwd / "slow.py").write_text(SLOW_PLUGIN)
    code, err = finish(start(cwd, *RUN, "hydra.run.dir=runs/whole"))
    assert code == 0, err
    (cwd / "reached.txt").unlink()
    return cwd


def assert_same_run(resumed: Path, whole: Path) -> None:
    for name in ("model.npz", "best.npz"):
        assert (resumed / name).read_bytes() == (whole / name).read_bytes(), name
    assert (resumed / "metrics.csv").read_text().count("\n") == 25
    assert without_time(resumed / "metrics.csv") == without_time(whole / "metrics.csv")
    a, b = (json.loads((d / "summary.json").read_text()) for d in (resumed, whole))
    for summary in (a, b):
        summary.pop("wall_time_s")
    assert a == b and a["status"] == "completed"


@pytest.mark.parametrize("sig,epoch,every_s", [
    (signal.SIGINT, 2, 0), (signal.SIGTERM, 11, 0), (signal.SIGKILL, 6, 0),
    (signal.SIGKILL, 19, 0), (signal.SIGINT, 21, 0),
    (signal.SIGKILL, 14, 1000),  # no checkpoint yet: the resumed run starts over
    (signal.SIGTERM, 8, 1000),   # a graceful stop writes the checkpoint it held back
])
def test_a_stopped_run_resumes_to_the_same_bytes(workdir, sig, epoch, every_s):
    name = f"runs/{sig.name}-{epoch}-{every_s}"
    reached = workdir / "reached.txt"
    reached.unlink(missing_ok=True)  # left by an earlier run
    process = start(workdir, *RUN, f"hydra.run.dir={name}",
                    f"trainer.checkpoint_every_s={every_s}")
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        text = reached.read_text() if reached.is_file() else ""
        if text and int(text) >= epoch:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the run ended before it could be stopped"
    process.send_signal(sig)
    code, err = finish(process)
    assert code == (-9 if sig == signal.SIGKILL else 128 + sig), err
    run = workdir / name
    if sig != signal.SIGKILL:
        summary = json.loads((run / "summary.json").read_text())
        assert summary["status"] == "interrupted" and summary["epochs"] < 24
        assert (run / "checkpoint.npz").is_file()
    code, err = finish(start(workdir, f"resume={name}"))
    assert code == 0 and err == "", err  # progress is logged to stdout, as a new run's
    assert_same_run(run, workdir / "runs" / "whole")
    assert not list(run.glob(".*.tmp")), "temporary files left behind"
