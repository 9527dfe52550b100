"""Exercise: a residual block's forward and backward, y = x + relu(x W + b) (note 002 §1
Q8: the skip connection gives the gradient a path around the block).

    weight: (D, D); bias: (D,); forward(x: (N, D)) -> y: (N, D)
    with z = x W + b and g'(z) = 1 where z > 0, else 0:
    backward(dout: (N, D)) -> dx = dout + (dout ⊙ g'(z)) W^T, the skip path plus the block's;
    weight.grad += x^T (dout ⊙ g'(z)); bias.grad += Σ_n (dout ⊙ g'(z))_n
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlite.course import layer_check
from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, numeric
from nnlite.course.result import CheckResult
from nnlite.nn.module import Module, Parameter

SETTINGS = [((2, 3), np.float64, 0), ((3, 2), np.float64, 1), ((4, 4), np.float32, 2),
            ((3, 3), np.float32, 3)]


def z_of(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return x @ W + b


def block(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return x + np.maximum(z_of(x, W, b), 0)


def _inputs(n: int, d: int, dtype: type, seed: int) -> tuple[np.ndarray, ...]:
    """x, W, b, dout with every |z| > 0.05: central differences stay off ReLU's kink."""
    for attempt in range(100):
        rng = np.random.default_rng(1000 * seed + attempt)
        x, W, b, dout = (rng.normal(size=s).astype(dtype) for s in ((n, d), (d, d), (d,), (n, d)))
        if np.min(np.abs(z_of(x.astype(np.float64), W.astype(np.float64), b))) > 0.05:
            break
    return x, W, b, dout


def _trials() -> list[Trial]:
    out = []
    for (n, d), dtype, seed in SETTINGS:
        x, W, b, dout = _inputs(n, d, dtype, seed)
        x64, W64, b64, d64 = (a.astype(np.float64) for a in (x, W, b, dout))
        dx, dW, db = numeric(lambda x64=x64, W64=W64, b64=b64, d64=d64:
                             float(np.sum(d64 * block(x64, W64, b64))), x64, W64, b64)
        out.append(Trial(f"(N, D) = ({n}, {d}), {np.dtype(dtype).name}, seed {seed}",
                         (x, W, b, dout), {"y": block(x64, W64, b64), "dx": dx, "dW": dW,
                                           "db": db}, np.dtype(dtype), n))
    return out


def through(mask: str) -> Callable[..., np.ndarray]:
    """dout ⊙ g'(z), with g' taken from z (right), from y (a mistake) or left out."""
    def delta(x: np.ndarray, W: np.ndarray, b: np.ndarray, dout: np.ndarray) -> np.ndarray:
        if mask == "none":
            return dout
        source = z_of(x, W, b) if mask == "z" else block(x, W, b)
        return dout * (source > 0)
    return delta


RIGHT, FROM_Y, NO_G = through("z"), through("y"), through("none")
MISSING_G = ("missing g'(z): the block's ReLU multiplies the gradient by g'(z) = 1 where "
             "z = x W + b > 0, else 0, before it reaches W")
G_FROM_Y = ("took g'(z) from the output y = x + relu(z): g' belongs to the ReLU's own "
            "input, 1 where z = x W + b > 0")
MISTAKES = (
    Mistake("y", "left out the skip connection: y = x + relu(x W + b)",
            lambda x, W, b, dout: np.maximum(z_of(x, W, b), 0)),
    Mistake("y", "put the skip connection inside the ReLU: y = x + relu(x W + b), not "
            "relu(x + x W + b)", lambda x, W, b, dout: np.maximum(x + z_of(x, W, b), 0)),
    Mistake("dx", "missing the skip path: y = x + F(x), so ∂L/∂x = ∂L/∂y + (∂L/∂y ⊙ g'(z)) "
            "W^T; the identity contributes ∂L/∂y itself",
            lambda x, W, b, dout: RIGHT(x, W, b, dout) @ W.T),
    Mistake("dx", MISSING_G, lambda x, W, b, dout: dout + dout @ W.T),
    Mistake("dx", G_FROM_Y, lambda x, W, b, dout: dout + FROM_Y(x, W, b, dout) @ W.T),
    Mistake("dx", "W where W^T belongs: ∂L/∂x_i = Σ_j W_ij ∂L/∂z_j, which is (dout ⊙ g'(z)) "
            "@ W.T", lambda x, W, b, dout: dout + RIGHT(x, W, b, dout) @ W),
    Mistake("dW", MISSING_G, lambda x, W, b, dout: x.T @ dout),
    Mistake("dW", G_FROM_Y, lambda x, W, b, dout: x.T @ FROM_Y(x, W, b, dout)),
    Mistake("dW", "divided by N: the gradients are summed over the batch",
            lambda x, W, b, dout: x.T @ RIGHT(x, W, b, dout) / len(x)),
    Mistake("db", MISSING_G, lambda x, W, b, dout: dout.sum(axis=0)),
    Mistake("db", G_FROM_Y, lambda x, W, b, dout: FROM_Y(x, W, b, dout).sum(axis=0)),
    Mistake("db", "summed over the wrong axis: b is shared by the N samples, so "
            "db_j = Σ_n (dout ⊙ g'(z))_nj, axis=0",
            lambda x, W, b, dout: RIGHT(x, W, b, dout).sum(axis=1)),
)
SPEC = Spec("residual_block", ("x", "W", "b", "dout"), ("y", "dx", "dW", "db"),
            {"y": "y = x + relu(x W + b)", "dx": "∂L/∂x = ∂L/∂y + (∂L/∂y ⊙ g'(z)) W^T",
             "dW": "∂L/∂W = x^T (∂L/∂y ⊙ g'(z))", "db": "∂L/∂b = Σ_n (∂L/∂y ⊙ g'(z))_n"},
            {"y": "the output", "dx": "x", "dW": "W", "db": "b"}, MISTAKES)


class ResidualBlock(Module):
    """y = x + relu(x W + b); backward accumulates into weight.grad and bias.grad."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray) -> None:
        self.weight, self.bias = Parameter(weight), Parameter(bias)
        self.x: np.ndarray | None = None
        self.z: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.z = x @ self.weight.data + self.bias.data
        return x + np.maximum(self.z, 0)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dz = dout * (self.z > 0)
        self.weight.grad += self.x.T @ dz
        self.bias.grad += dz.sum(axis=0)
        return dout + dz @ self.weight.data.T


STUB = '''
class ResidualBlock(nl.Module):
    """y = x + relu(x W + b): a ReLU layer with a skip connection around it.

    weight: (D, D), W[i, j] from unit i of the input to unit j; bias: (D,)
    """

    def __init__(self, weight, bias):
        self.weight = nl.Parameter(weight)
        self.bias = nl.Parameter(bias)

    def forward(self, x):
        """x: (N, D) -> y: (N, D). Keep what backward needs."""
        raise NotImplementedError("write ResidualBlock.forward")

    def backward(self, dout):
        """dout: (N, D) = ∂L/∂y -> dx: (N, D) = ∂L/∂x, through both paths.
        ADD ∂L/∂W to self.weight.grad and ∂L/∂b to self.bias.grad."""
        raise NotImplementedError("write ResidualBlock.backward")
'''

made = functools.cache(_trials)


def _check(cls: Any) -> CheckResult:
    return layer_check.run_layer_check(cls, SPEC, made(), lambda t: -t.args[0])


EXERCISE = Exercise("residual_block", "ResidualBlock",
                    "ResidualBlock(weight, bias): forward(x), backward(dout)",
                    "y = x + relu(x W + b): the skip path in the backward pass",
                    "note 002 §1 Q8",
                    stub_text(STUB, "residual_block", "Exercise residual_block. Check: "
                              "python -m nnlite course check residual_block THIS_FILE"),
                    ResidualBlock, _check)
