"""How many BLAS threads a run uses, set through threadpoolctl.

OpenBLAS starts one thread per core and keeps them spinning between products. On the
matrices of small networks the threads cost CPU time and win no wall time, and under a
parallel launcher n workers x n threads oversubscribe the cores. So a run decides:

- `trainer.threads` set: exactly that many;
- else, if the largest product of one training step (batch x fan-in x fan-out) is below
  `MIN_MNK_FOR_THREADS` (measured: `python -m benchmarks.blas_threads`), one thread;
- else what it was given: all cores, or cores / workers under a parallel launcher (the
  command line sets that around the run, `nnlite.cli.launchers`).

Products below OpenBLAS's own threshold (M*N*K <= 262,144, `interface/gemm.c`) run on one
thread anyway; for those nothing is changed, which spares threadpoolctl's ~30 ms scan.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from nnlite.nn.module import Module

# From `python -m benchmarks.blas_threads` on 2 cores with other work running (load
# average 11; two runs put the threshold at 512x784x256 and 1024x1024x1024):
# below this M*N*K a second thread did not make one float32 product 10% faster, and from
# 128x128x128 to 256x512x512 it made it 2-100x slower (a thread waiting for a busy core).
MIN_MNK_FOR_THREADS = 512 * 784 * 256
OPENBLAS_SINGLE_THREAD_MNK = 65536 * 4


def largest_product(model: Module, batch: int) -> int:
    """M*N*K of the largest `x @ W` in a step: batch x in_features x out_features."""
    sizes = [getattr(m, "in_features", 0) * getattr(m, "out_features", 0)
             for m in model.modules()]
    return batch * max(sizes, default=0)


def threads_for(model: Module, batch: int, setting: int | None) -> int | None:
    """The BLAS threads a run should use, or None to leave them as they are."""
    if setting is not None:
        return int(setting)
    mnk = largest_product(model, batch)
    if mnk <= OPENBLAS_SINGLE_THREAD_MNK:
        return None  # OpenBLAS uses one thread for these by itself
    return 1 if mnk < MIN_MNK_FOR_THREADS else None


@contextmanager
def blas_threads(threads: int | None) -> Iterator[None]:
    """Within the block, BLAS uses `threads` threads (None: unchanged); restored after."""
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits  # ~20 ms to import: only when needed

    with threadpool_limits(limits=int(threads), user_api="blas"):
        yield
