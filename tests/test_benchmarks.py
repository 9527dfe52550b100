"""Smoke test of benchmarks/: the whole script on a tiny net, so that it cannot rot.

No timing is asserted (benchmarks are not tests); what is checked is that every
implementation computes the same training steps and that the report gets written.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import extras
from benchmarks.implementations import IMPLEMENTATIONS
from benchmarks.workloads import TINY, WORKLOADS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("workload", [TINY, WORKLOADS["xor"]], ids=lambda w: w.name)
def test_every_implementation_takes_the_same_steps(workload, optimizer):
    reference = None
    for name, make in IMPLEMENTATIONS.items():
        try:
            step = make(workload, np.dtype(np.float64), optimizer)
        except ImportError:
            continue  # an optional reference that is not installed
        losses = [step() for _ in range(3)]
        if reference is None:
            reference = losses
        # scikit-learn's Adam adds eps outside the bias correction: a hair different
        np.testing.assert_allclose(losses, reference, rtol=1e-4 if optimizer == "adam" else 1e-9,
                                   err_msg=name)


def test_the_benchmark_script_writes_its_report(tmp_path):
    subprocess.run([sys.executable, "-m", "benchmarks", "--tiny", "--implementations",
                    "nnlite,numpy", "--out", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    results = json.loads((tmp_path / "results.json").read_text())
    (kernel,) = results["kernels"]
    rows = kernel["suites"]["sgd-float32"]
    assert [row["workload"] for row in rows] == ["tiny"]
    assert rows[0]["ratios"]["nnlite/numpy"] > 0
    first = rows[0]["first_loss"]
    assert first["nnlite"] == pytest.approx(first["numpy"], rel=1e-6)
    (products,) = kernel["suites"]["products-float32"]
    assert products["workload"] == "tiny" and products["median_s"]["numpy"] > 0
    text = (tmp_path / "RESULTS.md").read_text()
    assert "nnlite / numpy" in text and "OPENBLAS_CORETYPE" in text
    assert "Matrix products alone" in text
    assert (tmp_path / "ratios.png").stat().st_size > 0

    # a second command that skips every section keeps the first one's, and says so
    from benchmarks.run import SECTIONS

    subprocess.run([sys.executable, "-m", "benchmarks", "--skip", ",".join(SECTIONS),
                    "--out", str(tmp_path)], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    again = json.loads((tmp_path / "results.json").read_text())
    assert again["kernels"] == results["kernels"]
    assert again["kept"] == {"steps": results["command"] + (
        f" (at {results['commit']})" if results["commit"] else "")}
    assert "- steps: `python -m benchmarks --tiny" in (tmp_path / "RESULTS.md").read_text()


def test_import_chain_reads_python_importtime_output():
    trace = """import time: self [us] | cumulative | imported package
import time:        10 |         10 |       yaml.reader
import time:        20 |         30 |     yaml
import time:        30 |         60 |   nnlite.config
import time:        40 |        100 | nnlite"""
    assert extras.import_chain(trace, "yaml") == ["nnlite", "nnlite.config", "yaml",
                                                   "yaml.reader"]
    assert extras.import_chain(trace, "hydra") == []


def test_scale_report_marks_each_target():
    from benchmarks import scale
    from benchmarks.run import EXTRAS

    results = {
        "floor": {"median_s": {"init_ablation": 18.0, "bare_hydra": 10.0}, "jobs": 60,
                  "runs": 3, "ratio": 1.8},
        "cpu": {"cpu_s": 12.0, "wall_s": 10.0, "cores": 2, "runs": 3, "ratio": 1.2},
        "digits": {"median_s": {"nnlite": 1.5, "sklearn": 2.0}, "runs": 3, "ratio": 0.75,
                   "nnlite_test_accuracy": 0.95, "sklearn_test_accuracy": 0.97},
    }
    text = "\n".join(scale.report_lines(results))
    assert "**1.80×** (≤ 2.0 ✓)" in text  # the sweep meets its target
    assert "**1.20** (≤ 1.15 ✗)" in text  # CPU over wall misses it
    assert "nnlite 2.0 points below (≤ 1.0 ✗ below)" in text and "**0.75×** (≤ 1.0 ✓)" in text
    assert "Parallel launcher" not in text  # not measured, not reported
    results["parallel"] = {"runs": 2, "cores": 2, "ratio": 0.55, "sweeps": {
        "dropout_ablation": {"median_s": {"joblib": 5.5, "sequential": 10.0}, "ratio": 0.55},
        "lr_sweep": {"median_s": {"joblib": 4.0, "sequential": 5.0}, "ratio": 0.8}}}
    text = "\n".join(scale.report_lines(results))
    assert "`dropout_ablation` with" in text and "**0.55×** (≤ 0.6 ✓)" in text
    assert "**0.80×** (no target" in text
    assert set(scale.RUNS) <= set(EXTRAS)  # each can be left out with --skip


def test_report_says_which_sections_ran_on_compiled_bytecode():
    from benchmarks import report

    lines = report._bytecode_lines({"e2e": {"compiled_bytecode": True}, "floor": {"ratio": 1.0},
                                    "kernels": []})
    assert "compiled first (as pip does for a wheel) for: e2e." in lines[0]
    assert "whatever bytecode the checkout had" in lines[0] and lines[0].endswith(": floor.")
    assert report._bytecode_lines({"kernels": []}) == []
