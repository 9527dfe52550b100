"""Holding Ctrl-C and SIGTERM while a run writes its final files.

A run's record is what outlives it: an interrupt that lands between "training is done"
and "model.npz and summary.json are written" would leave a folder with neither. Within
`interrupts_held()` such a signal is noted, not acted on; once the block is done, it is
delivered again to the handler it was meant for, so the command still ends as that
signal says (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator

HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Within the block, Ctrl-C and SIGTERM wait; after it, the first one is delivered."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a worker thread is not signalled
        return
    caught: list[int] = []

    def note(signum: int, frame: Any) -> None:
        caught.append(signum)

    previous = {s: signal.signal(s, note) for s in HELD}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if caught:
            signal.raise_signal(caught[0])
