"""BLAS threads per job under Hydra's launchers: cores / the jobs that run at once.

A parallel launcher runs several jobs on one machine at the same time; each OpenBLAS
would start a thread per core, n workers x n threads on n cores. `threads_per_job` reads
the launcher's config and gives each job its share; the run may still use fewer
(`nnlite.runs.training.threads`), and `trainer.threads` overrides both.
"""

from __future__ import annotations

import os
from typing import Any


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parallel_workers(launcher: Any) -> int | None:
    """How many jobs the launcher runs at once on this machine, or None when it runs them
    one after another (the basic launcher) or elsewhere with their own cores (SLURM)."""
    target = str(launcher.get("_target_", ""))
    if "JoblibLauncher" in target:
        n_jobs = launcher.get("n_jobs", -1) or -1
        return n_jobs if n_jobs > 0 else max(1, _cores() + 1 + n_jobs)  # joblib's -1 = all
    if "LocalLauncher" in target:  # submitit_local: every job at once, capped by the cores
        return _cores()
    if "RayLauncher" in target:  # one CPU per Ray task unless ray.remote.num_cpus says more
        num_cpus = ((launcher.get("ray") or {}).get("remote") or {}).get("num_cpus") or 1
        return max(1, _cores() // int(num_cpus))
    return None


def threads_per_job(launcher: Any) -> int | None:
    """BLAS threads for each job: cores // parallel workers (at least 1), a SLURM job's
    `cpus_per_task`, or None (leave OpenBLAS as it is)."""
    target = str(launcher.get("_target_", ""))
    if "SlurmLauncher" in target:
        return int(launcher.get("cpus_per_task") or 1)
    workers = parallel_workers(launcher)
    return None if workers is None else max(1, _cores() // workers)
