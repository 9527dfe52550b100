"""Notes 000 and 003's working of an `Explanation`: the intermediate variables forward,
then their derivatives backward, entry by entry for one sample through small layers,
else as matrices (the notes' column vectors side by side, one column per sample).

Note 000's ∂ℓ/∂v is the derivative, a row for a column v, and ∂ℓ/∂A^(l) is A^(l)'s
shape transposed (it is nnlite's dW); the gradient ∇ is its transpose, shaped like the
variable: both shapes are printed. Note 003 writes gradients, shaped like A.
"""

from __future__ import annotations

import numpy as np

from nnlite.explain import loss_step
from nnlite.explain import notation as n
from nnlite.explain.text import per_unit
from nnlite.explain.trace import Pass
from nnlite.explain.walk_symbols import Style, Var, squared_error, style, variables


def formula(s: Style, v: Var) -> str:
    if v.kind == "affine":
        bias = "" if v.layer.b is None else f" + {s.bias(v.layer.index)}"
        return f"{s.times(v.layer.index, s.var(v.source))}{bias}"
    if v.kind == "act":
        return f"{v.layer.activation}({s.var(v.source)})"
    if v.kind == "skip":
        return f"{s.var(v.source)} + {s.var(v.skipped)}"
    return f"{s.var(v.source)} - y" if s.sign > 0 else f"y - {s.var(v.source)}"


def loss_formula(e: Pass, s: Style, v: Var) -> str:
    """ℓ in terms of the last variable: c ||error||^2, the loss applied, or H = Σ output."""
    if e.symbol == "H":
        return f"H = {s.var(v)}" if v.units * len(e.x) == 1 else f"H = Σ {s.var(v)}"
    if squared_error(e):
        c, _ = loss_step.mse_scale(e.loss_fn, e.output.size)
        prefix = {1.0: "", 0.5: "½ "}.get(c, f"(1/{n.num(1 / c)}) ")
        if s.note == "003":
            return f"{s.q} = {prefix}{'Σ ' if v.values.size > 1 else ''}{s.var(v)}^2"
        return f"{s.q} = {prefix}||{s.var(v)}||^2"
    return f"{s.q} = {e.loss_name}({s.var(v)}, y)"


def convention(e: Pass) -> str:
    s = style(e)
    chain = [f"{s.var(v)} = {formula(s, v)}" for v in variables(e, s)[1:]]
    chain.append(loss_formula(e, s, variables(e, s)[-1]))
    if s.note == "003":
        head = ("Notation (note 003): column vectors and the variables z1, z2, ...; f(x) = "
                "b^T σ(A x) with A = (W^(1))^T (h × m, A_ij from input j to hidden unit i) "
                "and b = W^(2), the output weights (biases are written c^(l)); the error is "
                "y - ŷ; ∂L/∂A is the gradient, h × m like A.")
    else:
        head = ("Notation (notes 000 and 001): column vectors and the intermediate variables "
                "x^(1), x^(2), ...; A^(l) = (W^(l))^T, the notes' W^(l), of shape (units of "
                "l, units of l-1), so A^(l)_ji = W^(l)_ij. ∂ℓ/∂v is the derivative: a row "
                "(1 × n) for a column v (n × 1), and for A^(l) A^(l)'s shape transposed; the "
                "gradient ∇ is its transpose, shaped like the variable (the notes' "
                "disclaimer: derivatives and gradients are transposes of each other).")
    # the chain wraps between its equations, never inside one
    here = "Here: " + "; ".join(step.replace(" ", "\0") for step in chain) + "."
    return "\n".join(_wrap(head) + [line.replace("\0", " ") for line in _wrap(here)])


def _wrap(text: str, width: int = 88) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "  " + word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def sample_columns(values: np.ndarray, rows: bool = False) -> str:
    """A (N, units) array as the notes write it: one column per sample, or one row."""
    return n.matrix(values if rows else values.T)


def shape(v: Var, N: int) -> str:
    return f"{v.units} × {N}, one column per sample" if N > 1 else f"{v.units} × 1"


def walk_forward(e: Pass) -> list[str]:
    s, unit = style(e), per_unit(e)
    found = variables(e, s)
    N = len(e.x)
    lines = [f"x: {shape(found[0], N)} =", sample_columns(e.x)]
    for v in found[1:]:
        lines.append(f"{s.var(v)} = {formula(s, v)}: {shape(v, N)}" + ("" if unit else " ="))
        lines += forward_entries(e, s, v) if unit else [sample_columns(v.values)]
    last = found[-1]
    lines.append(f"{loss_formula(e, s, last)}{worked_loss(e, s, last) if unit else ''} = "
                 f"{n.num(e.loss)}")
    return lines


def worked_loss(e: Pass, s: Style, v: Var) -> str:
    if e.symbol == "H" or not squared_error(e) or v.values.size > 6:
        return ""
    c, _ = loss_step.mse_scale(e.loss_fn, e.output.size)
    squares = " + ".join(f"{n.factor(r)}^2" for r in v.values[0])
    prefix = {1.0: "", 0.5: "½ "}.get(c, f"(1/{n.num(1 / c)}) ")
    return f" = {prefix}({squares})" if v.units > 1 or prefix else f" = {squares}"


def forward_entries(e: Pass, s: Style, v: Var) -> list[str]:
    out = []
    for j in range(1, v.units + 1):
        me, val = s.entry(v, j), n.num(v.values[0, j - 1])
        src = v.source
        if v.kind == "affine":
            layer = v.layer
            terms = [f"{s.weight(layer.index, j, i)} {s.entry(src, i)}" for i in
                     range(1, src.units + 1)]
            nums = [n.product([layer.W[i - 1, j - 1], src.values[0, i - 1]])
                    for i in range(1, src.units + 1)]
            if layer.b is not None:
                terms.append(s.bias_entry(layer.index, j))
                nums.append(n.factor(layer.b[j - 1]))
            out.append(f"  {me} = {' + '.join(terms)} = {' + '.join(nums)} = {val}")
        elif v.kind == "act" and v.layer.g_prime is None:
            return [f"  {s.var(v)} = {n.value(v.values[0])}"]
        elif v.kind == "act":
            g = v.layer.activation
            out.append(f"  {me} = {g}({s.entry(src, j)}) = {g}({n.num(src.values[0, j - 1])}) "
                       f"= {val}")
        elif v.kind == "skip":
            out.append(f"  {me} = {s.entry(src, j)} + {s.entry(v.skipped, j)} = "
                       f"{n.num(src.values[0, j - 1])} + "
                       f"{n.factor(v.skipped.values[0, j - 1])} = {val}")
        else:
            yhat, t = e.output[0, j - 1], float(np.asarray(e.target, dtype=float)[0, j - 1])
            pair = (f"{s.entry(src, j)} - {s.y(j)} = {n.num(yhat)} - {n.factor(t)}"
                    if s.sign > 0 else
                    f"{s.y(j)} - {s.entry(src, j)} = {n.num(t)} - {n.factor(yhat)}")
            out.append(f"  {me} = {pair} = {val}")
    return out

