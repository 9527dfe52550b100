"""Notes 000 and 003's way of writing a pass: column vectors, a matrix A = W^T per layer,
and numbered intermediate variables, one per step (walk.py prints them).

    note 000/001: x^(1) = A^(1) x + b^(1), x^(2) = Φ(x^(1)), x^(3) = A^(2) x^(2),
                  x^(4) = x^(3) - y, ℓ = ½ ||x^(4)||^2
    note 003:     z1 = A x, z2 = σ(z1), z3 = b^T z2, z4 = y - z3, L = z4^2

A layer gives a variable for its affine map, one for its activation unless that is the
identity, and one for a Residual block's sum; the squared error adds the error variable.
Note 003 names the matrices A, B, ... and a one-unit output layer's weights b (b^T z),
so biases are written c^(l) there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnlite.explain.notation import _sub
from nnlite.explain.trace import LayerTrace, Pass
from nnlite.nn.losses import MSELoss


@dataclass
class Var:
    """Variable number k: kind "input" (x, k = 0), "affine", "act", "skip" or "error";
    values and grads (∂q/∂ it) as nnlite holds them, (N, units); `source` the variable
    it is computed from, `skipped` the one a skip adds."""

    k: int
    kind: str
    values: np.ndarray
    grads: np.ndarray
    layer: LayerTrace | None = None
    source: Var | None = None
    skipped: Var | None = None

    @property
    def units(self) -> int:
        return self.values.shape[1]


class Style:
    """Note 000's (and 001's) symbols; `Style003` changes what differs."""

    note = "000"
    sign = 1.0  # the error variable is sign · (ŷ - y)
    rows = True  # derivatives are rows (note 000's disclaimer); note 003 writes gradients

    def __init__(self, e: Pass) -> None:
        self.e = e
        self.q = e.symbol

    def var(self, v: Var) -> str:
        return "x" if v.k == 0 else f"x^({v.k})"

    def entry(self, v: Var, i: int) -> str:
        if v.k == 0:
            return f"x_{_sub(i)}"
        return self.var(v) if v.units == 1 else f"{self.var(v)}_{_sub(i)}"

    def y(self, j: int) -> str:
        return "y" if self.e.output.shape[1] == 1 else f"y_{_sub(j)}"

    def matrix(self, ell: int) -> str:
        return f"A^({ell})"

    def weight(self, ell: int, j: int, i: int) -> str:
        """The weight from unit i of the layer below to unit j: A_ji = W_ij."""
        return f"A^({ell})_{_sub(j, i)}"

    def times(self, ell: int, source: str) -> str:
        return f"{self.matrix(ell)} {source}"

    def bias(self, ell: int) -> str:
        return f"b^({ell})"

    def bias_entry(self, ell: int, j: int) -> str:
        return f"b^({ell})_{_sub(j)}"


class Style003(Style):
    note = "003"
    sign = -1.0
    rows = False

    def __init__(self, e: Pass) -> None:
        super().__init__(e)
        self.q = "L" if e.symbol == "ℓ" else e.symbol
        L = len(e.layers)
        self.vector_out = e.layers[-1].units == 1
        self.names = ["A", "B"][:L] if L <= 2 else [f"A^({ell})" for ell in range(1, L + 1)]
        if self.vector_out:
            self.names[-1] = "b"

    def var(self, v: Var) -> str:
        return "x" if v.k == 0 else f"z{v.k}"

    def matrix(self, ell: int) -> str:
        return self.names[ell - 1]

    def weight(self, ell: int, j: int, i: int) -> str:
        if self.vector_out and ell == len(self.e.layers):
            return f"b_{_sub(i)}"
        return f"{self.matrix(ell)}_{_sub(j, i)}"

    def times(self, ell: int, source: str) -> str:
        if self.vector_out and ell == len(self.e.layers):
            return f"b^T {source}"
        return f"{self.matrix(ell)} {source}"

    def bias(self, ell: int) -> str:
        return f"c^({ell})"

    def bias_entry(self, ell: int, j: int) -> str:
        return f"c^({ell})_{_sub(j)}"


def style(e: Pass) -> Style:
    return Style003(e) if e.notation == "003" else Style(e)


def squared_error(e: Pass) -> bool:
    return type(e.loss_fn) is MSELoss


def variables(e: Pass, s: Style) -> list[Var]:
    """x, then each layer's variables in order, then the error for a squared error."""
    x = Var(0, "input", e.x, e.dx)
    found, output_of = [x], {0: x}
    for layer in e.layers:
        last = Var(len(found), "affine", layer.z, layer.dz, layer, output_of[layer.index - 1])
        found.append(last)
        if layer.activation != "identity":
            last = Var(len(found), "act", layer.gz, layer.da, layer, last)
            found.append(last)
        if layer.skip is not None:
            last = Var(len(found), "skip", layer.a, layer.da, layer, last, output_of[layer.skip])
            found.append(last)
        output_of[layer.index] = last
    if squared_error(e):
        target = np.asarray(e.target, dtype=np.float64)
        found.append(Var(len(found), "error", s.sign * (e.output - target),
                         s.sign * e.layers[-1].da, None, found[-1]))
    return found
