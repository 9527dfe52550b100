"""Ctrl-C and SIGTERM end a run with its files complete, and the command with the
status a shell or a cluster scheduler expects of a stopped job: 128 + the signal's
number (130 for Ctrl-C, 143 for SIGTERM)."""

from __future__ import annotations

import signal
import threading
from typing import Any

# The signal that stopped the run.
_stopped_by = [signal.SIGINT]


def stop_on_sigterm() -> None:
    """Treat SIGTERM (a cluster's time limit, `kill`) like Ctrl-C: the run is recorded
    as interrupted with its files complete, instead of vanishing mid-write."""
    if threading.current_thread() is threading.main_thread():
        def interrupt(signum: int, frame: Any) -> None:
            _stopped_by[0] = signal.Signals(signum)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)


def exit_status() -> int:
    """128 + the number of the signal that stopped the run."""
    return 128 + _stopped_by[0]
