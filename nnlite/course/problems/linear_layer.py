"""Exercise: a linear layer as an nnlite Module, `Linear(weight, bias)` with forward and
backward. The same three products as `linear_backward`, plus the Module contract:
forward caches its input, backward returns dx and ADDS dW, db into weight.grad and
bias.grad (nnlite/nn/linear.py is the layer this builds).

    forward(x: (N, D_in)) -> y = x W + b: (N, D_out)
    backward(dout: (N, D_out)) -> dx: (N, D_in); weight.grad += x^T dout; bias.grad += Σ_n dout
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from nnlite.course import layer_check
from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, numeric
from nnlite.course.problems.linear import MEANING, MISTAKES, SETTINGS, SHAPE_OF, _inputs
from nnlite.course.result import CheckResult
from nnlite.nn.module import Module, Parameter

FORWARD = (
    Mistake("y", "left out b: z^(l) = a^(l-1) W^(l) + b^(l)", lambda x, W, b, dout: x @ W),
    Mistake("y", "W where W^T belongs: z^(l)_j = Σ_i a^(l-1)_i W^(l)_ij, which is x @ W "
            "(W of shape (D_in, D_out))", lambda x, W, b, dout: x @ W.T + b),
)
SPEC = Spec("linear_layer", ("x", "W", "b", "dout"), ("y", "dx", "dW", "db"),
            {"y": "z^(l) = a^(l-1) W^(l) + b^(l)", **MEANING}, {"y": "the output", **SHAPE_OF},
            FORWARD + MISTAKES)


def _trials() -> list[Trial]:
    out = []
    for (n, d_in, d_out), dtype, seed in SETTINGS:
        x, W, b, dout = _inputs(n, d_in, d_out, dtype, seed)
        x64, W64, b64, d64 = (a.astype(np.float64) for a in (x, W, b, dout))
        dx, dW, db = numeric(lambda x64=x64, W64=W64, b64=b64, d64=d64:
                             float(np.sum(d64 * (x64 @ W64 + b64))), x64, W64, b64)
        out.append(Trial(f"(N, D_in, D_out) = ({n}, {d_in}, {d_out}), {np.dtype(dtype).name}, "
                         f"seed {seed}", (x, W, b, dout),
                         {"y": x64 @ W64 + b64, "dx": dx, "dW": dW, "db": db},
                         np.dtype(dtype), n))
    return out


class ReferenceLinear(Module):
    """y = x W + b, W: (D_in, D_out); backward accumulates into weight.grad, bias.grad."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray) -> None:
        self.weight, self.bias = Parameter(weight), Parameter(bias)
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x @ self.weight.data + self.bias.data

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.weight.grad += self.x.T @ dout
        self.bias.grad += dout.sum(axis=0)
        return dout @ self.weight.data.T


STUB = '''
class Linear(nl.Module):
    """y = x W + b as an nnlite Module (z^(l) = a^(l-1) W^(l) + b^(l)).

    weight: (D_in, D_out), W[i, j] from unit i of layer l-1 to unit j of layer l
    bias:   (D_out,)
    """

    def __init__(self, weight, bias):
        self.weight = nl.Parameter(weight)
        self.bias = nl.Parameter(bias)

    def forward(self, x):
        """x: (N, D_in) -> y: (N, D_out). Keep what backward needs."""
        raise NotImplementedError("write Linear.forward")

    def backward(self, dout):
        """dout: (N, D_out) = ∂L/∂y -> dx: (N, D_in) = ∂L/∂x.
        ADD ∂L/∂W (D_in, D_out) to self.weight.grad and ∂L/∂b (D_out,) to self.bias.grad:
        they may already hold gradients from earlier backward calls."""
        raise NotImplementedError("write Linear.backward")
'''


def _check(cls: Any) -> CheckResult:
    return layer_check.run_layer_check(cls, SPEC, made(), lambda t: t.args[0][::-1] * 2.0)


made = functools.cache(_trials)  # the trials depend on nothing but their seeds


EXERCISE = Exercise("linear_layer", "Linear", "Linear(weight, bias): forward(x), backward(dout)",
                    "a linear layer as a Module: cache the input, accumulate .grad",
                    "note 004, nnlite/nn/linear.py",
                    stub_text(STUB, "linear_layer", "Exercise linear_layer: a Linear layer "
                              "as an nnlite Module. Check: python -m nnlite course check "
                              "linear_layer THIS_FILE"), ReferenceLinear, _check)
