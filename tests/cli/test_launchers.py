"""Cluster launchers without a cluster: the sbatch script that `hydra/launcher=slurm`
hands to SLURM, captured by a stand-in `sbatch` on PATH (nothing is submitted)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("hydra_plugins.hydra_submitit_launcher")

FAKE_SBATCH = """#!/bin/sh
# Keeps the script it was given, then refuses, as a cluster without capacity would.
cp "$1" "$CAPTURE"
echo "sbatch: error: no cluster here (test stand-in)" >&2
exit 1
"""


def test_slurm_launcher_renders_the_sbatch_script(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(FAKE_SBATCH)
    (bin_dir / "srun").write_text("#!/bin/sh\nexit 1\n")  # submitit checks srun exists
    for tool in ("sbatch", "srun"):
        (bin_dir / tool).chmod(0o755)
    capture = tmp_path / "captured.sh"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "CAPTURE": str(capture)}
    result = subprocess.run(
        [sys.executable, "-m", "nnlite", "-m", "+experiment=init_ablation",
         "init=zeros,he_normal", "seed=0,1,2", "hydra/launcher=slurm",
         "hydra.launcher.partition=cpu", "hydra.sweep.dir=sweep"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "no cluster here" in result.stderr  # refused, as set up
    script = capture.read_text()
    sbatch = dict(line[len("#SBATCH --"):].partition("=")[::2]
                  for line in script.splitlines() if line.startswith("#SBATCH --"))
    assert sbatch["array"] == "0-5%6"  # 2 inits x 3 seeds; at most min(64, 6) at once
    assert sbatch["cpus-per-task"] == "1" and sbatch["ntasks-per-node"] == "1"
    assert sbatch["nodes"] == "1" and sbatch["mem"] == "2GB" and sbatch["time"] == "30"
    assert sbatch["partition"] == "cpu"
    submitit_dir = (tmp_path / "sweep" / ".submitit").resolve()
    assert Path(sbatch["output"]).parent.parent == submitit_dir
    assert sbatch["output"].endswith("%A_%a_0_log.out")
    assert "-m submitit.core._submit" in script and str(submitit_dir) in script


def test_a_run_composes_its_config_once_and_a_sweep_checks_a_covering_subset(tmp_path):
    """Hydra's mode probe (a whole extra composition) is skipped, and a sweep is checked
    on jobs covering every override; the mode still follows -m, a `hydra.mode=` override
    still gets Hydra's own probe, and a misspelt value still stops the sweep early."""
    probe = textwrap.dedent("""
        import sys
        from hydra._internal.config_loader_impl import ConfigLoaderImpl
        from nnlite.cli import main
        calls = []
        original = ConfigLoaderImpl.load_configuration
        def counting(self, *args, **kwargs):
            calls.append(1)
            return original(self, *args, **kwargs)
        ConfigLoaderImpl.load_configuration = counting
        try:
            main()
        finally:
            print("COMPOSED", len(calls), file=sys.stderr)
    """)
    (tmp_path / "probe.py").write_text(probe)

    def composed_times(*args, ok=True):
        result = subprocess.run([sys.executable, "probe.py", *args, "+experiment=xor",
                                 "plots=false", "trainer.epochs=2"], cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        assert (result.returncode == 0) == ok, result.stderr[-2000:]
        return int(result.stderr.rsplit("COMPOSED", 1)[1].split()[0])

    assert composed_times() == 1
    # the sweep once, 4 covering jobs checked (tanh x 0,1,2 and relu x 0), 6 jobs run
    assert composed_times("-m", "model.activation=tanh,relu", "seed=0,1,2") == 1 + 4 + 6
    assert composed_times("hydra.mode=MULTIRUN", "seed=0,1") == 1 + 1 + 2 + 2  # Hydra's probe
    jobs = list((tmp_path / "runs" / "multirun" / "xor").glob("*/*/summary.json"))
    assert len(jobs) == 8
    before = len(list((tmp_path / "runs").rglob("summary.json")))
    composed_times("-m", "seed=0,1", "init=zeros,he_nromal", ok=False)
    assert len(list((tmp_path / "runs").rglob("summary.json"))) == before  # no job ran


def test_covering_jobs_bring_every_override_once():
    from nnlite.cli.hydra_internals import covering_jobs

    batch = [[f"init={i}", f"seed={s}"] for i in ("a", "b", "c") for s in range(4)]
    chosen = covering_jobs(batch)
    assert chosen == [["init=a", "seed=0"], ["init=a", "seed=1"], ["init=a", "seed=2"],
                      ["init=a", "seed=3"], ["init=b", "seed=0"], ["init=c", "seed=0"]]
    assert set().union(*map(set, batch)) == set().union(*map(set, chosen))
