"""The backward half of notes 000 and 003's working (walk.py has the forward half): from
the loss back through each variable, entry by entry for one sample through small
layers, else as matrices. Note 000 writes derivatives, rows (one per sample), and prints
both shapes of each matrix's, the derivative and its transpose the gradient; note 003
writes gradients, columns shaped like their variables.
"""

from __future__ import annotations

import numpy as np

from nnlite.explain import jacobian, loss_step
from nnlite.explain import notation as n
from nnlite.explain.text import per_unit
from nnlite.explain.trace import Pass
from nnlite.explain.walk_symbols import Var, squared_error, style, variables


class Backward:
    """The lines for one explanation; `d(x)` writes ∂q/∂x, `show` an (N, units) array of
    derivatives as the note lays them out."""

    def __init__(self, e: Pass) -> None:
        self.e, self.s = e, style(e)
        self.found = variables(e, self.s)
        self.unit = per_unit(e)

    def d(self, of: str) -> str:
        return n.d(self.s.q, of)

    def show(self, values: np.ndarray) -> str:
        return n.matrix(values if self.s.rows else values.T)

    def layout(self) -> str:
        if len(self.e.x) > 1:
            return "one row per sample" if self.s.rows else "one column per sample"
        return "a row" if self.s.rows else "a column"

    def lines(self) -> list[str]:
        out = self.start()
        for v in reversed(self.found[1:]):
            out += {"error": lambda v: [], "skip": self.skip, "act": self.act,
                    "affine": self.affine}[v.kind](v)
        return out

    def start(self) -> list[str]:
        e, s, last = self.e, self.s, self.found[-1]
        if e.symbol == "H":
            if self.unit:
                return [f"∂H/∂{s.entry(last, j)} = 1" for j in range(1, last.units + 1)]
            return [f"∂H/∂{s.var(last)} = 1 for every entry"]
        if squared_error(e):
            return self.error_start(last)
        found = loss_step.worked_loss_step(e.loss_fn, e.output, e.target, s.q, s.var(last), "y")
        out = [f"The loss step: {found.value}; so {found.derivative}"]
        if found.unit is not None and self.unit:
            return out + [f"  {self.d(s.entry(last, j + 1))} = {found.unit(0, j)} = "
                          f"{n.num(found.numbers[0, j])}" for j in range(last.units)]
        if found.unit is not None:
            out += [f"  {found.middle_name} =", n.matrix(found.middle.T)]
        return out + [f"{self.d(s.var(last))}, {self.layout()} =", self.show(last.grads)]

    def error_start(self, E: Var) -> list[str]:
        s, Y = self.s, E.source  # the error E = ±(Y - y), Y the network's output
        c, _ = loss_step.mse_scale(self.e.loss_fn, self.e.output.size)
        coef = "" if 2 * c == 1 else f"{n.num(2 * c)} "
        T = "^T" if s.rows else ""
        out = [f"{self.d(s.var(E))} = {coef}{s.var(E) if not T else f'({s.var(E)})'}{T}"
               f"{'' if self.unit else f', {self.layout()} ='}"]
        if self.unit:
            for j in range(1, E.units + 1):
                worked = (f"{n.num(2 * c)}·{s.entry(E, j)} = "
                          f"{n.product([2 * c, E.values[0, j - 1]])}" if coef else s.entry(E, j))
                out.append(f"  {self.d(s.entry(E, j))} = {worked} = {n.num(E.grads[0, j - 1])}")
        else:
            out.append(self.show(E.grads))
        through = (f"{self.d(s.var(Y))} = {self.d(s.var(E))} ∂{s.var(E)}/∂{s.var(Y)} = "
                   + (f"{self.d(s.var(E))} I" if s.sign > 0 else f"-{self.d(s.var(E))}"))
        out.append(through + ("" if self.unit else " ="))
        if self.unit:
            out += [f"  {self.d(s.entry(Y, j))} = {self.d(s.entry(E, j))} · "
                    f"{'1' if s.sign > 0 else '(-1)'} = "
                    f"{n.product([E.grads[0, j - 1], s.sign])} = {n.num(Y.grads[0, j - 1])}"
                    for j in range(1, Y.units + 1)]
        else:
            out.append(self.show(Y.grads))
        return out

    def skip(self, S: Var) -> list[str]:
        s, P, V = self.s, S.source, S.skipped
        out = [f"{self.d(s.var(P))} = {self.d(s.var(S))}: {s.var(S)} = {s.var(P)} + "
               f"{s.var(V)} passes its derivative to both terms; {s.var(V)}'s is the "
               "identity path (below)"]
        if self.unit:
            return out + [f"  {self.d(s.entry(P, j))} = {self.d(s.entry(S, j))} = "
                          f"{n.num(P.grads[0, j - 1])}" for j in range(1, P.units + 1)]
        return out + [self.show(P.grads)]

    def act(self, A: Var) -> list[str]:
        s, Z, layer = self.s, A.source, A.layer
        g = layer.activation
        if layer.g_prime is None:
            sample = 0 if self.unit else self.e.sample
            out = []
            if layer.softmax:
                out = jacobian.lines(layer, sample, s.q, lambda j: s.entry(Z, j),
                                     lambda j: s.entry(A, j), s.var(A), s.var(Z))
            return out + [f"{self.d(s.var(Z))} = J_g({s.var(Z)})^T {self.d(s.var(A))}, "
                          f"{self.layout()} =", self.show(Z.grads)]
        if self.unit:
            return [f"  {self.d(s.entry(Z, j))} = {self.d(s.entry(A, j))} · "
                    f"{g}'({s.entry(Z, j)}) = "
                    f"{n.product([A.grads[0, j - 1], layer.g_prime[0, j - 1]])} = "
                    f"{n.num(Z.grads[0, j - 1])}" for j in range(1, Z.units + 1)]
        return [f"{self.d(s.var(Z))} = {self.d(s.var(A))} ⊙ {g}'({s.var(Z)}), {g}'({s.var(Z)}) =",
                self.show(layer.g_prime), f"{self.d(s.var(Z))}, {self.layout()} =",
                self.show(Z.grads)]

    def affine(self, Z: Var) -> list[str]:
        s, layer, P = self.s, Z.layer, Z.source
        ell, rows, cols = layer.index, layer.units, layer.W.shape[0]
        out = []
        if self.unit:
            for j in range(1, rows + 1):
                for i in range(1, cols + 1):
                    out.append(f"  {self.d(s.weight(ell, j, i))} = {self.d(s.entry(Z, j))} · "
                               f"{s.entry(P, i)} = "
                               f"{n.product([Z.grads[0, j - 1], P.values[0, i - 1]])} = "
                               f"{n.num(layer.dW[i - 1, j - 1])}")
                if layer.db is not None:
                    out.append(f"  {self.d(s.bias_entry(ell, j))} = {self.d(s.entry(Z, j))} = "
                               f"{n.num(layer.db[j - 1])}")
        out += self.shapes(Z)
        return out + self.input_gradient(Z)

    def shapes(self, Z: Var) -> list[str]:
        s, layer, P = self.s, Z.layer, Z.source
        ell, rows, cols, A = layer.index, layer.units, layer.W.shape[0], s.matrix(Z.layer.index)
        over = "" if len(self.e.x) == 1 else "Σ over samples of "
        bias = [] if layer.db is None else [
            f"{self.d(s.bias(ell))} = {over}{self.d(s.var(Z))}, "
            f"{f'a row, 1 × {rows}' if s.rows else f'{rows} × 1'} =",
            n.matrix(layer.db[None] if s.rows else layer.db[:, None])]
        if s.rows:
            return [f"{self.d(A)} = {over}{s.var(P)} {self.d(s.var(Z))}, the derivative: "
                    f"{cols} × {rows}, A^({ell})'s shape transposed (nnlite's dW) =",
                    n.matrix(layer.dW),
                    f"∇_{{{A}}} {s.q} = ({self.d(A)})^T, the gradient: {rows} × {cols}, shaped "
                    f"like {A}, what gradient descent subtracts =", n.matrix(layer.dW.T),
                    *bias]
        if A == "b":
            return [f"{self.d('b')} = {over}{self.d(s.var(Z))} {s.var(P)}: {cols} × 1, like b =",
                    n.matrix(layer.dW), *bias]
        return [f"{self.d(A)} = {over}{self.d(s.var(Z))} {s.var(P)}^T: {rows} × {cols}, like "
                f"{A} =", n.matrix(layer.dW.T), *bias]

    def input_gradient(self, Z: Var) -> list[str]:
        s, layer, P = self.s, Z.layer, Z.source
        ell, A = layer.index, s.matrix(Z.layer.index)
        S = next((v for v in self.found if v.kind == "skip" and v.skipped is P), None)
        if self.unit:
            out = []
            for i in range(1, P.units + 1):
                terms = [f"{self.d(s.entry(Z, j))} {s.weight(ell, j, i)}"
                         for j in range(1, Z.units + 1)]
                nums = [n.product([Z.grads[0, j - 1], layer.W[i - 1, j - 1]])
                        for j in range(1, Z.units + 1)]
                why = ""
                if S is not None:
                    terms.insert(0, self.d(s.entry(S, i)))
                    nums.insert(0, n.factor(S.grads[0, i - 1]))
                    why = f"   (the first term: the identity path {s.var(P)} → {s.var(S)})"
                out.append(f"  {self.d(s.entry(P, i))} = {' + '.join(terms)} = "
                           f"{' + '.join(nums)} = {n.num(P.grads[0, i - 1])}{why}")
            return out
        product = (f"{self.d(s.var(Z))} {A}" if s.rows else
                   f"{'b' if A == 'b' else f'{A}^T'} {self.d(s.var(Z))}")
        if S is None:
            return [f"{self.d(s.var(P))} = {product}, {self.layout()} =", self.show(P.grads)]
        return [f"{self.d(s.var(P))} = {product} + {self.d(s.var(S))}, the path through layer "
                f"{ell} plus the identity path of the skip {s.var(P)} → {s.var(S)}:",
                "  through the layer =", self.show(Z.grads @ layer.W.T),
                "  the identity path =", self.show(S.grads), "  sum =", self.show(P.grads)]


def walk_backward_lines(e: Pass) -> list[str]:
    return Backward(e).lines()
