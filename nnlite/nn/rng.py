"""`as_rng`: every function that draws random numbers takes a Generator, a seed or None."""

from __future__ import annotations

from typing import Any

import numpy as np


def as_rng(rng: Any = None) -> np.random.Generator:
    """Accept a Generator, an int seed or None (fresh entropy) and return a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
