"""An `Explanation` as text: the forward pass, then the backward pass as the chain rule
with numbers, in the notes' notation.

One sample through small layers (at most `PER_UNIT` units) is written unit by unit, as
the notes work it by hand: z^(1)_1 = W^(1)_11 x_1 + W^(1)_21 x_2 = 2·1 + 3·3 = 11.
Anything larger is written as matrices, one row per sample.
"""

from __future__ import annotations

import numpy as np

from nnlite.explain import notation as n
from nnlite.explain.trace import LayerTrace, Pass

PER_UNIT = 6


def per_unit(e: Pass) -> bool:
    widths = [e.x.shape[1]] + [layer.units for layer in e.layers]
    return e.x.shape[0] == 1 and max(widths) <= PER_UNIT


def header(e: Pass) -> list[str]:
    sizes = "-".join(str(s) for s in [e.x.shape[1]] + [layer.units for layer in e.layers])
    what = ("H, the network's output (summed over outputs and samples)" if e.symbol == "H"
            else f"ℓ = {e.loss_name}")
    return [f"A {sizes} network on {e.x.shape[0]} sample(s); differentiated: {what}.",
            *n.CONVENTION.splitlines()]


def forward_unit(layer: LayerTrace) -> list[str]:
    lines, ell = [], layer.index
    for j in range(layer.units):
        terms = [f"{n.W(ell, i + 1, j + 1)} {n.a(ell - 1, i + 1)}" for i in range(layer.W.shape[0])]
        nums = [n.product([layer.W[i, j], layer.a_prev[0, i]]) for i in range(layer.W.shape[0])]
        if layer.b is not None:
            terms.append(n.b(ell, j + 1))
            nums.append(n.factor(layer.b[j]))
        lines.append(f"  {n.z(ell, j + 1)} = {' + '.join(terms)} = {' + '.join(nums)}"
                     f" = {n.num(layer.z[0, j])}")
        if layer.g_prime is not None:
            lines.append(f"  {n.a(ell, j + 1)} = {layer.activation}({n.z(ell, j + 1)}) = "
                         f"{layer.activation}({n.num(layer.z[0, j])}) = {n.num(layer.a[0, j])}")
    if layer.g_prime is None:
        lines.append(f"  a^({ell}) = {layer.activation}(z^({ell})) =")
        lines.append(n.matrix(layer.a))
    return lines


def forward_matrix(layer: LayerTrace) -> list[str]:
    ell = layer.index
    bias = f" + b^({ell})" if layer.b is not None else ""
    return [f"  z^({ell}) = a^({ell - 1}) W^({ell}){bias}   (z = A x{' + b' if bias else ''}, "
            f"A = (W^({ell}))^T, per sample) =", n.matrix(layer.z),
            f"  a^({ell}) = {layer.activation}(z^({ell})) =", n.matrix(layer.a)]


def forward(e: Pass) -> list[str]:
    unitwise = per_unit(e)
    lines = ["x = a^(0) =", n.matrix(e.x, "  ")]
    for layer in e.layers:
        lines.append(f"layer {layer.index}: Linear {layer.W.shape[0]} -> {layer.units}, "
                     f"then {layer.activation}")
        lines += forward_unit(layer) if unitwise else forward_matrix(layer)
    L = len(e.layers)
    if e.symbol == "H":
        lines.append(f"H = sum of a^({L}) = {n.num(e.loss)}")
    else:
        lines += [f"ŷ = a^({L}); target y =", n.matrix(e.target, "  "),
                  f"ℓ = {e.loss_name}(ŷ, y) = {n.num(e.loss)}"]
    return lines


def backward_unit(layer: LayerTrace, q: str) -> list[str]:
    ell, lines = layer.index, []
    for j in range(layer.units):
        dz, da = n.d(q, n.z(ell, j + 1)), n.d(q, n.a(ell, j + 1))
        if layer.g_prime is not None:
            lines.append(f"  {dz} = {da} · g'({n.z(ell, j + 1)}) = "
                         f"{n.product([layer.da[0, j], layer.g_prime[0, j]])} = "
                         f"{n.num(layer.dz[0, j])}")
    if layer.g_prime is None:
        lines += [f"  ∂{q}/∂z^({ell}) = J_g(z^({ell}))^T ∂{q}/∂a^({ell}) =", n.matrix(layer.dz)]
    for j in range(layer.units):
        for i in range(layer.W.shape[0]):
            lines.append(f"  {n.d(q, n.W(ell, i + 1, j + 1))} = {n.a(ell - 1, i + 1)} · "
                         f"{n.d(q, n.z(ell, j + 1))} = "
                         f"{n.product([layer.a_prev[0, i], layer.dz[0, j]])} = "
                         f"{n.num(layer.dW[i, j])}")
        if layer.db is not None:
            lines.append(f"  {n.d(q, n.b(ell, j + 1))} = {n.d(q, n.z(ell, j + 1))} = "
                         f"{n.num(layer.db[j])}")
    return lines


def input_gradient_unit(layer: LayerTrace, q: str, below: np.ndarray) -> list[str]:
    """d q / d a^(ell-1)_i = sum_k W^(ell)_ik d q / d z^(ell)_k, for each unit i of layer ell-1."""
    ell, lines = layer.index, []
    for i in range(layer.W.shape[0]):
        terms = " + ".join(f"{n.W(ell, i + 1, k + 1)} {n.d(q, n.z(ell, k + 1))}"
                           for k in range(layer.units))
        nums = " + ".join(n.product([layer.W[i, k], layer.dz[0, k]]) for k in range(layer.units))
        lines.append(f"  {n.d(q, n.a(ell - 1, i + 1))} = {terms} = {nums} = {n.num(below[0, i])}")
    return lines


def backward_matrix(layer: LayerTrace, q: str, below: np.ndarray) -> list[str]:
    ell = layer.index
    if layer.g_prime is not None:
        lines = [f"  ∂{q}/∂z^({ell}) = ∂{q}/∂a^({ell}) ⊙ g'(z^({ell})), g'(z^({ell})) =",
                 n.matrix(layer.g_prime), f"  ∂{q}/∂z^({ell}) =", n.matrix(layer.dz)]
    else:
        lines = [f"  ∂{q}/∂z^({ell}) = J_g(z^({ell}))^T ∂{q}/∂a^({ell}) =", n.matrix(layer.dz)]
    lines += [f"  ∂{q}/∂W^({ell}) = (a^({ell - 1}))^T ∂{q}/∂z^({ell})   "
              f"(∂{q}/∂W_ij = sum over samples of a_i ∂{q}/∂z_j) =", n.matrix(layer.dW)]
    if layer.db is not None:
        lines += [f"  ∂{q}/∂b^({ell}) = sum over samples of ∂{q}/∂z^({ell}) =", n.matrix(layer.db)]
    name = "x" if ell == 1 else f"a^({ell - 1})"
    lines += [f"  ∂{q}/∂{name} = ∂{q}/∂z^({ell}) (W^({ell}))^T =", n.matrix(below)]
    return lines


def backward(e: Pass) -> list[str]:
    q, unitwise, L = e.symbol, per_unit(e), len(e.layers)
    start = ("1 for every output unit" if q == "H"
             else f"the derivative of {e.loss_name} at ŷ")
    lines = [f"∂{q}/∂a^({L}) = {start} ="]
    lines.append(n.matrix(e.layers[-1].da, "  "))
    for pos, layer in reversed(list(enumerate(e.layers))):
        below = e.layers[pos - 1].da if pos > 0 else e.dx
        lines.append(f"layer {layer.index}:")
        if unitwise:
            lines += backward_unit(layer, q) + input_gradient_unit(layer, q, below)
        else:
            lines += backward_matrix(layer, q, below)
    return lines


def sections(e: Pass) -> list[tuple[str, list[str]]]:
    return [("Forward", forward(e)), ("Backward (the chain rule)", backward(e))]


def render(e: Pass) -> str:
    parts = header(e)
    for title, lines in sections(e):
        parts += ["", title, *lines]
    return "\n".join(parts)


def markdown(e: Pass, title: str = "Forward and backward pass", level: int = 1) -> str:
    head = header(e)
    parts = [f"{'#' * level} {title}", "", head[0], "", "```text", *head[1:], "```"]
    for section, lines in sections(e):
        parts += ["", f"{'#' * (level + 1)} {section}", "", "```text", *lines, "```"]
    return "\n".join(parts) + "\n"
