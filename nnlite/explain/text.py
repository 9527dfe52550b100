"""Note 004's working of an `Explanation`: the forward pass, then the backward pass as
the chain rule with numbers, in W^(l)_ij, z^(l) and a^(l).

One sample through small layers (at most `PER_UNIT` units) is written unit by unit, as
the notes work it by hand: z^(1)_1 = W^(1)_11 x_1 + W^(1)_21 x_2 = 2·1 + 3·3 = 11.
Anything larger is written as matrices, one row per sample. (render.py puts the text
together, for this note or, through walk.py, for notes 000 and 003.)
"""

from __future__ import annotations

import numpy as np

from nnlite.explain import jacobian, loss_step
from nnlite.explain import notation as n
from nnlite.explain.trace import LayerTrace, Pass

PER_UNIT = 6


def per_unit(e: Pass) -> bool:
    widths = [e.x.shape[1]] + [layer.units for layer in e.layers]
    return e.x.shape[0] == 1 and max(widths) <= PER_UNIT


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
        if layer.g_prime is not None and layer.skip is None:
            lines.append(f"  {n.a(ell, j + 1)} = {layer.activation}({n.z(ell, j + 1)}) = "
                         f"{layer.activation}({n.num(layer.z[0, j])}) = {n.num(layer.a[0, j])}")
        elif layer.g_prime is not None:
            s = layer.skip
            lines.append(f"  {n.a(ell, j + 1)} = {layer.activation}({n.z(ell, j + 1)}) + "
                         f"{n.a(s, j + 1)} = {layer.activation}({n.num(layer.z[0, j])}) + "
                         f"{n.factor(layer.a[0, j] - layer.gz[0, j])} = {n.num(layer.a[0, j])}")
    if layer.g_prime is None:
        lines.append(f"  a^({ell}) = {layer.activation}(z^({ell})){skip_term(layer)} =")
        lines.append(n.matrix(layer.a))
    return lines


def skip_term(layer: LayerTrace) -> str:
    return "" if layer.skip is None else f" + {'x' if layer.skip == 0 else f'a^({layer.skip})'}"


def forward_matrix(layer: LayerTrace) -> list[str]:
    ell = layer.index
    bias = f" + b^({ell})" if layer.b is not None else ""
    return [f"  z^({ell}) = a^({ell - 1}) W^({ell}){bias}   (z = A x{' + b' if bias else ''}, "
            f"A = (W^({ell}))^T, per sample) =", n.matrix(layer.z),
            f"  a^({ell}) = {layer.activation}(z^({ell})){skip_term(layer)} =", n.matrix(layer.a)]


def forward_lines(e: Pass) -> list[str]:
    unitwise = per_unit(e)
    lines = ["x = a^(0) =", n.matrix(e.x, "  ")]
    for layer in e.layers:
        skip = "" if layer.skip is None else (
            f", plus{skip_term(layer)[2:]} (the skip of a Residual block)")
        lines.append(f"layer {layer.index}: Linear {layer.W.shape[0]} -> {layer.units}, "
                     f"then {layer.activation}{skip}")
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
        lines += softmax_lines(layer, q, 0)
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


def softmax_lines(layer: LayerTrace, q: str, sample: int) -> list[str]:
    """diag(σ) - σσ^T and ∂q/∂z from it, for nnlite's own softmax."""
    if not layer.softmax:
        return []
    ell = layer.index
    return jacobian.lines(layer, sample, q, lambda j: n.z(ell, j), lambda j: n.a(ell, j),
                          f"a^({ell})", f"z^({ell})")


def skipped_to(e: Pass, s: int) -> LayerTrace | None:
    """The layer whose output a^(s) is added to (a Residual block's last layer), if any."""
    return next((layer for layer in e.layers if layer.skip == s), None)


def input_gradient_unit(layer: LayerTrace, q: str, below: np.ndarray,
                        end: LayerTrace | None = None) -> list[str]:
    """d q / d a^(ell-1)_i = sum_k W^(ell)_ik d q / d z^(ell)_k, for each unit i of layer
    ell-1, plus d q / d a^(m)_i, the identity path, when a^(ell-1) skips to a^(m)."""
    ell, lines = layer.index, []
    for i in range(layer.W.shape[0]):
        terms = [f"{n.W(ell, i + 1, k + 1)} {n.d(q, n.z(ell, k + 1))}" for k in range(layer.units)]
        nums = [n.product([layer.W[i, k], layer.dz[0, k]]) for k in range(layer.units)]
        why = ""
        if end is not None:
            terms.insert(0, n.d(q, n.a(end.index, i + 1)))
            nums.insert(0, n.factor(end.da[0, i]))
            why = f"   (the first term: the identity path {n.a(ell - 1, i + 1)} → " \
                  f"{n.a(end.index, i + 1)})"
        lines.append(f"  {n.d(q, n.a(ell - 1, i + 1))} = {' + '.join(terms)} = "
                     f"{' + '.join(nums)} = {n.num(below[0, i])}{why}")
    return lines


def backward_matrix(layer: LayerTrace, q: str, below: np.ndarray, sample: int = 0,
                    end: LayerTrace | None = None) -> list[str]:
    ell = layer.index
    if layer.g_prime is not None:
        lines = [f"  ∂{q}/∂z^({ell}) = ∂{q}/∂a^({ell}) ⊙ g'(z^({ell})), g'(z^({ell})) =",
                 n.matrix(layer.g_prime), f"  ∂{q}/∂z^({ell}) =", n.matrix(layer.dz)]
    else:
        lines = softmax_lines(layer, q, sample) + [
            f"  ∂{q}/∂z^({ell}) = J_g(z^({ell}))^T ∂{q}/∂a^({ell}) =", n.matrix(layer.dz)]
    lines += [f"  ∂{q}/∂W^({ell}) = (a^({ell - 1}))^T ∂{q}/∂z^({ell})   "
              f"(∂{q}/∂W_ij = sum over samples of a_i ∂{q}/∂z_j) =", n.matrix(layer.dW)]
    if layer.db is not None:
        lines += [f"  ∂{q}/∂b^({ell}) = sum over samples of ∂{q}/∂z^({ell}) =", n.matrix(layer.db)]
    name = "x" if ell == 1 else f"a^({ell - 1})"
    if end is None:
        return lines + [f"  ∂{q}/∂{name} = ∂{q}/∂z^({ell}) (W^({ell}))^T =", n.matrix(below)]
    return lines + [
        f"  ∂{q}/∂{name} = ∂{q}/∂z^({ell}) (W^({ell}))^T + ∂{q}/∂a^({end.index}), the path "
        f"through layer {ell} plus the identity path of the skip {name} → a^({end.index}):",
        "  through the layer =", n.matrix(layer.dz @ layer.W.T),
        "  the identity path =", n.matrix(end.da), "  sum =", n.matrix(below)]


def the_loss_step(e: Pass, unitwise: bool) -> list[str]:
    """ℓ's formula, ∂ℓ/∂ŷ's, and its numbers: entry by entry, or what the formula reads."""
    found = loss_step.worked_loss_step(e.loss_fn, e.output, e.target)
    lines = [f"The loss step: {found.value}; so {found.derivative}"]
    if found.unit is not None and unitwise:
        lines += [f"  ∂ℓ/∂ŷ_{j + 1} = {found.unit(0, j)} = {n.num(found.numbers[0, j])}"
                  for j in range(e.output.shape[1])]
    elif found.unit is not None:
        lines += [f"  {found.middle_name} =", n.matrix(found.middle)]
    return lines


def backward_lines(e: Pass) -> list[str]:
    q, unitwise, L = e.symbol, per_unit(e), len(e.layers)
    if q == "H":
        lines = [f"∂H/∂a^({L}) = 1 for every output unit ="]
    else:
        lines = the_loss_step(e, unitwise) + [f"∂ℓ/∂a^({L}) = ∂ℓ/∂ŷ ="]
    lines.append(n.matrix(e.layers[-1].da, "  "))
    for pos, layer in reversed(list(enumerate(e.layers))):
        below = e.layers[pos - 1].da if pos > 0 else e.dx
        end = skipped_to(e, layer.index - 1)
        lines.append(f"layer {layer.index}:")
        if unitwise:
            lines += backward_unit(layer, q) + input_gradient_unit(layer, q, below, end)
        else:
            lines += backward_matrix(layer, q, below, e.sample, end)
    return lines
