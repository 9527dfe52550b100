"""Example initializer plugin: LeCun uniform, U(-b, b) with b = sqrt(3 / fan_in).

An initializer is a plain function `fn(shape, rng, **kwargs) -> ndarray`: draw from the
numpy Generator `rng` (never from np.random's global state, or seeds stop meaning
anything) and return float64; `nl.initializer` casts to the model's dtype. For a Linear
weight, shape is (in_features, out_features): `nl.init.fans(shape)` gives (fan_in, fan_out).

Use it: `python -m nnlite +experiment=xor 'plugins=[plugins/lecun_uniform.py]'
model.weight_init=lecun_uniform`, or `nl.initializer("lecun_uniform")((4, 3), rng=0)`.
"""

import math

import numpy as np

import nnlite as nl


def lecun_uniform(shape: tuple[int, ...], rng: np.random.Generator,
                  gain: float = 1.0) -> np.ndarray:
    """U(-b, b), b = gain * sqrt(3 / fan_in): variance gain**2 / fan_in, like lecun_normal."""
    fan_in, _ = nl.init.fans(shape)
    bound = gain * math.sqrt(3.0 / fan_in) if fan_in else 0.0
    return rng.uniform(-bound, bound, size=shape)


# What `nnlite.testing.check_entry` passes to `check_initializer`: the standard
# deviation this initializer promises, so the kit can measure it.
lecun_uniform.check_kwargs = {
    "expected_std": lambda shape: 1.0 / math.sqrt(nl.init.fans(shape)[0]),
    "expected_mean": 0.0,
}


@nl.hookimpl
def nnlite_initializers() -> dict[str, object]:
    return {"lecun_uniform": lecun_uniform}
