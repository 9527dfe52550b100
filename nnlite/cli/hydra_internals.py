"""The one module that reaches into Hydra's internals: fewer compositions of the config
tree, since Hydra composes it more often than a run needs. Each patch is tested against
the Hydra it patches (tests/cli/test_hydra_internals.py): if an upgrade moves what a
patch relies on, a test fails instead of the patch silently stopping to apply.

Composing nnlite's tree costs about 0.1 s, as much as a small job trains. Hydra 1.3
composes it (1) once more before a run only to read `hydra.mode` (`Hydra.get_mode`),
and (2) once per job of a sweep before launching any, only to check that every job's
overrides compose (`Sweeper.validate_batch_is_legal`), then again when it runs the job.

- (1) nnlite's configs never set `hydra.mode`, so the mode comes from the command line
  (`-m`), unless a `hydra.mode=...` override asks for Hydra's own probe.
- (2) a sweep is checked on a covering subset of its jobs: every distinct override
  (`init=zeros`, `seed=3`, ...) in at least one checked job. A misspelt value still
  stops the sweep before any job runs; 60 jobs of 6 inits x 10 seeds check 15.
"""

from __future__ import annotations

from typing import Any, Sequence


def covering_jobs(batch: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """The jobs, in order, that bring at least one override not seen in an earlier one."""
    seen: set[str] = set()
    chosen = []
    for overrides in batch:
        if not seen.issuperset(overrides):
            chosen.append(overrides)
            seen.update(overrides)
    return chosen


def compose_less() -> None:
    """Patch Hydra's mode probe and sweep check as above (once; no-op on other versions)."""
    from hydra._internal.hydra import Hydra
    from hydra.plugins.sweeper import Sweeper

    probe = getattr(Hydra, "get_mode", None)
    check = getattr(Sweeper, "validate_batch_is_legal", None)
    if probe is None or check is None or getattr(probe, "_nnlite", False):
        return

    def get_mode(self: Any, config_name: Any, overrides: list[str]) -> Any:
        if any(o.lstrip("+~").startswith("hydra.mode") for o in overrides):
            return probe(self, config_name, overrides)
        return None  # Hydra then takes the mode from -m / --multirun

    def validate_batch_is_legal(self: Any, batch: Sequence[Sequence[str]]) -> None:
        check(self, covering_jobs(batch))

    get_mode._nnlite = True  # type: ignore[attr-defined]
    Hydra.get_mode = get_mode  # type: ignore[method-assign]
    Sweeper.validate_batch_is_legal = validate_batch_is_legal  # type: ignore[method-assign]
