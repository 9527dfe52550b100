"""Argument checks shared by every tier, so one mistake gets one message everywhere."""

from __future__ import annotations

import numbers

import numpy as np


def require_int(label: str, value: object, minimum: int = 1, where: str = "") -> int:
    """`value` as an int if it is an integer (not a bool) >= `minimum`, else a ValueError
    naming `label`, the value and `where` it was given: "Linear: in_features=0 must be an
    integer >= 1"."""
    if (isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer))
            or value < minimum):
        raise ValueError(f"{label}={value!r} must be an integer >= {minimum}{where}")
    return int(value)
