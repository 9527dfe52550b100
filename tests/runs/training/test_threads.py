"""BLAS threads: one for small networks, cores / workers under a parallel launcher, and
`trainer.threads` over both (nnlite/runs/training/threads.py, nnlite/cli/launchers.py)."""

import pytest
from conftest import composed
from threadpoolctl import threadpool_info

import nnlite as nl
from nnlite.cli.launchers import parallel_workers, threads_per_job
from nnlite.runs.training.threads import (
    MIN_MNK_FOR_THREADS,
    blas_threads,
    largest_product,
    threads_for,
)


def blas_thread_counts():
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_threads_follow_the_size_of_the_largest_product():
    xor = nl.mlp([2, 8, 1], rng=0)
    assert largest_product(xor, 4) == 4 * 2 * 8
    assert threads_for(xor, 4, None) is None  # OpenBLAS's own threshold: nothing to change
    medium = nl.mlp([64, 128, 10], rng=0)
    assert largest_product(medium, 64) == 64 * 64 * 128 < MIN_MNK_FOR_THREADS
    assert threads_for(medium, 64, None) == 1
    wide = nl.mlp([784, 1024, 10], rng=0)
    assert largest_product(wide, 256) >= MIN_MNK_FOR_THREADS
    assert threads_for(wide, 256, None) is None  # threads pay: keep what the run was given
    assert threads_for(xor, 4, 3) == threads_for(wide, 256, 3) == 3  # the setting wins


def test_blas_threads_sets_and_restores():
    before = blas_thread_counts()
    with blas_threads(1):
        assert blas_thread_counts() == {1}
    assert blas_thread_counts() == before
    with blas_threads(None):
        assert blas_thread_counts() == before


@pytest.mark.parametrize("setting, expected", [(None, 1), (2, 2)])
def test_the_trainer_limits_threads_while_it_trains(monkeypatch, setting, expected):
    from nnlite.runs.training.build import build_run
    from nnlite.runs.training.trainer import Trainer

    seen = []
    original = Trainer.train_epoch

    def spy(self, x, y):
        seen.append(blas_thread_counts())
        return original(self, x, y)

    monkeypatch.setattr(Trainer, "train_epoch", spy)
    config = composed("+experiment=digits", "trainer.epochs=2", "trainer.early_stopping.patience=0",
                      "trainer.early_stopping.monitor=null", f"trainer.threads={setting or 'null'}")
    before = blas_thread_counts()
    run = build_run(config, None)
    Trainer(run).fit()
    assert seen == [{expected}, {expected}]
    assert blas_thread_counts() == before  # restored after the run


def test_each_parallel_job_gets_its_share_of_the_cores(monkeypatch):
    monkeypatch.setattr("nnlite.cli.launchers._cores", lambda: 8)
    joblib = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
    assert parallel_workers({"_target_": joblib, "n_jobs": 2}) == 2
    assert parallel_workers({"_target_": joblib, "n_jobs": -1}) == 8
    assert threads_per_job({"_target_": joblib, "n_jobs": 2}) == 4
    assert threads_per_job({"_target_": joblib, "n_jobs": -1}) == 1
    ray = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"
    assert threads_per_job({"_target_": ray, "ray": {"remote": {"num_cpus": 2}}}) == 2
    assert threads_per_job({"_target_": ray, "ray": {"remote": {}}}) == 1
    slurm = "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
    assert threads_per_job({"_target_": slurm, "cpus_per_task": 4}) == 4
    basic = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"
    assert threads_per_job({"_target_": basic}) is None


def test_threads_must_be_positive():
    from nnlite.runs.config.errors import ConfigError

    with pytest.raises(ConfigError, match=r"trainer.threads.*positive integer"):
        composed("+experiment=xor", "trainer.threads=0")
