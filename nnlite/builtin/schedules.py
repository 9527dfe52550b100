"""Built-in learning-rate schedules, registered through the `nnlite_schedules` hook."""

from nnlite import schedules
from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_schedules() -> dict:
    return {
        "constant": schedules.constant,
        "step": schedules.step,
        "exponential": schedules.exponential,
        "cosine": schedules.cosine,
    }
