"""Exercises: the backward pass of an elementwise activation, a^(l) = g(z^(l)), so
∂L/∂z^(l) = ∂L/∂a^(l) ⊙ g'(z^(l)) (note 002 §3.2: sigmoid, tanh, ReLU).

Each takes z: (N, D), the pre-activation the forward pass saw, and dout: (N, D) =
∂L/∂a^(l), and returns dz: (N, D) = ∂L/∂z^(l). Checked on four shapes, float32 and
float64, against central differences of sum(dout ⊙ g(z)) in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, checker, numeric
from nnlite.nn.activations import stable_sigmoid

SETTINGS = [((2, 3), np.float64, 0), ((3, 4), np.float32, 1), ((1, 5), np.float64, 2),
            ((4, 2), np.float32, 3)]
MEANING = {"dz": "∂L/∂z^(l) = ∂L/∂a^(l) ⊙ g'(z^(l))"}


def _trials(g: Callable[[np.ndarray], np.ndarray], away_from_zero: bool = False) -> list[Trial]:
    out = []
    for (n, d), dtype, seed in SETTINGS:
        rng = np.random.default_rng(seed)
        z = rng.normal(0.0, 1.5, (n, d))
        if away_from_zero:  # central differences need |z| > eps at ReLU's kink
            z = np.sign(z) * (0.1 + np.abs(z))
        z, dout = z.astype(dtype), rng.normal(size=(n, d)).astype(dtype)
        z64, d64 = z.astype(np.float64), dout.astype(np.float64)
        [dz] = numeric(lambda z64=z64, d64=d64: float(np.sum(d64 * g(z64))), z64)
        out.append(Trial(f"z of shape ({n}, {d}), {np.dtype(dtype).name}, seed {seed}",
                         (z, dout), {"dz": dz}, np.dtype(dtype), n))
    return out


def common(g_prime: Callable[[np.ndarray], np.ndarray], formula: str) -> tuple[Mistake, ...]:
    return (
        Mistake("dz", f"missing g'(z): it is ∂L/∂a^(l) (dout) unchanged; the step "
                f"a^(l) = g(z^(l)) multiplies it by g'(z^(l)) = {formula}",
                lambda z, dout: dout),
        Mistake("dz", "dropped ∂L/∂a^(l): it is g'(z) alone; the chain rule multiplies the "
                "gradient arriving from above, dz = dout ⊙ g'(z)",
                lambda z, dout: g_prime(z)),
    )


def spec(name: str, mistakes: tuple[Mistake, ...], hint: str) -> Spec:
    return Spec(name, ("z", "dout"), ("dz",), MEANING, {"dz": "z"}, mistakes, {"dout": hint})


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = stable_sigmoid(z)
    return s * (1 - s)


SIGMOID = spec("sigmoid_backward", common(sigmoid_prime, "σ(z)(1 − σ(z))") + (
    Mistake("dz", "used σ(z) where its derivative σ'(z) = σ(z)(1 − σ(z)) belongs",
            lambda z, dout: dout * stable_sigmoid(z)),
    Mistake("dz", "applied σ'(·) = a(1 − a) to z itself: that form takes a = σ(z), so "
            "g'(z) = σ(z)(1 − σ(z))", lambda z, dout: dout * z * (1 - z)),
), "build a new array: dz = dout * s * (1 - s)")

TANH = spec("tanh_backward", common(lambda z: 1 - np.tanh(z) ** 2, "1 − tanh²(z)") + (
    Mistake("dz", "applied 1 − a² to z itself: that form takes a = tanh(z), so "
            "g'(z) = 1 − tanh²(z)", lambda z, dout: dout * (1 - z ** 2)),
    Mistake("dz", "forgot the square: g'(z) = 1 − tanh²(z), not 1 − tanh(z)",
            lambda z, dout: dout * (1 - np.tanh(z))),
    Mistake("dz", "used tanh(z) where its derivative 1 − tanh²(z) belongs",
            lambda z, dout: dout * np.tanh(z)),
), "build a new array: dz = dout * (1 - np.tanh(z) ** 2)")

RELU = spec("relu_backward", common(lambda z: (z > 0).astype(float), "1 where z > 0, else 0") + (
    Mistake("dz", "took g'(z) from the sign of dout: ReLU's g'(z) is 1 where z > 0 and 0 "
            "where z < 0, whatever the gradient arriving from above",
            lambda z, dout: dout * (dout > 0)),
    Mistake("dz", "kept the gradient where z < 0 and zeroed it where z > 0: g'(z) = 1 for "
            "z > 0", lambda z, dout: dout * (z < 0)),
), "dout[z <= 0] = 0 writes into the caller's dout; use dz = dout * (z > 0)")


def sigmoid_backward(z: np.ndarray, dout: np.ndarray) -> np.ndarray:
    s = stable_sigmoid(z)
    return dout * s * (1 - s)


def tanh_backward(z: np.ndarray, dout: np.ndarray) -> np.ndarray:
    return dout * (1 - np.tanh(z) ** 2)


def relu_backward(z: np.ndarray, dout: np.ndarray) -> np.ndarray:
    return dout * (z > 0)


STUB = '''
def {name}(z, dout):
    """∂L/∂z^(l) for a^(l) = {g}(z^(l)), elementwise.

    z:    (N, D) the pre-activation z^(l) the forward pass saw
    dout: (N, D) ∂L/∂a^(l), the gradient arriving from the layer above
    returns dz: (N, D) ∂L/∂z^(l) = ∂L/∂a^(l) ⊙ g'(z^(l)), with {rule}.
    Do not change z or dout: they are the caller's arrays.
    """
    raise NotImplementedError("write {name}")
'''


def _exercise(name: str, g: Callable[[np.ndarray], np.ndarray], rule: str, gname: str,
             the_spec: Spec, reference: Any, relu: bool = False) -> Exercise:
    source = STUB.format(name=name, g=gname, rule=rule)
    return Exercise(name, name, f"{name}(z, dout) -> dz", f"∂L/∂z through {gname}",
                    "note 002 §3.2", stub_text(source, name, f"Exercise {name}: the "
                    f"backward pass of {gname}. Check: python -m nnlite course check {name} "
                    "THIS_FILE"), reference,
                    checker(the_spec, lambda: _trials(g, away_from_zero=relu)))


EXERCISES = [
    _exercise("sigmoid_backward", stable_sigmoid, "g'(z) = σ(z)(1 − σ(z))", "sigmoid", SIGMOID,
             sigmoid_backward),
    _exercise("tanh_backward", np.tanh, "g'(z) = 1 − tanh²(z)", "tanh", TANH, tanh_backward),
    _exercise("relu_backward", lambda z: np.maximum(z, 0), "g'(z) = 1 where z > 0, else 0",
             "relu", RELU, relu_backward, relu=True),
]
