"""Every path from an input or a weight to one output unit: the chain rule as a sum over
paths, each a product of the notes' symbols (note 004's fill-in-the-blank questions).

    dH/dW^(1)_12 = x_1 · g'(z^(1)_2) · W^(2)_21 · g'(z^(2)_1) · W^(3)_11
                 + x_1 · g'(z^(1)_2) · W^(2)_22 · g'(z^(2)_2) · W^(3)_21

A path from W^(ell)_ij starts with a^(ell-1)_i (the weight's input), one from x_i with
W^(1)_ij; then, layer by layer, g'(z) of the unit it reaches and the weight to the next
unit. A layer without an activation (the identity) contributes no g' factor. A Residual
block's skip is a path of its own: from a^(s)_i straight to a^(l)_i with the factor 1,
written skip(a^(s)_i → a^(l)_i). The paths need elementwise activations: through a
softmax every unit feeds every other.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nnlite.explain import notation as n
from nnlite.explain.trace import Pass

_WEIGHT = re.compile(r"^W\^?\(?(\d+)\)?_\{?(\d+),?(\d+)\}?$")
_INPUT = re.compile(r"^x_?\{?(\d+)\}?$")


@dataclass(frozen=True)
class Path:
    """One path: its factors as symbols and as numbers; `value` is their product."""

    symbols: tuple[str, ...]
    values: tuple[float, ...]

    @property
    def value(self) -> float:
        return math.prod(self.values)

    def __str__(self) -> str:
        return f"{' · '.join(self.symbols)} = {n.product(self.values)} = {n.num(self.value)}"


class Paths(list):
    """The paths from `source` to output unit `output`; `total` is their sum, the
    derivative of that output with respect to the source."""

    def __init__(self, paths: list[Path], quantity: str, source: str) -> None:
        super().__init__(paths)
        self.quantity, self.source = quantity, source

    @property
    def total(self) -> float:
        return float(sum(p.value for p in self))

    def __str__(self) -> str:
        lines = [f"{n.d(self.quantity, self.source)} = sum over {len(self)} path(s):"]
        lines += [f"  {'+ ' if k else '  '}{p}" for k, p in enumerate(self)]
        lines.append(f"  = {n.num(self.total)}")
        return "\n".join(lines)


def parse_source(source: str | tuple[int, ...]) -> tuple[int, int, int | None]:
    """'W^(1)_12', 'W1_12', 'W^(2)_{10,3}' or (ell, i, j) -> (ell, i, j); 'x_1', 'x1' or
    (i,) -> (0, i, None). Indices from 1, as in the notes."""
    if isinstance(source, tuple):
        if len(source) == 3:
            return source[0], source[1], source[2]
        if len(source) == 1:
            return 0, source[0], None
    elif (m := _WEIGHT.match(source.replace(" ", ""))):
        return int(m[1]), int(m[2]), int(m[3])
    elif (m := _INPUT.match(source.replace(" ", ""))):
        return 0, int(m[1]), None
    raise ValueError(f"paths: {source!r} names no weight or input; use 'W^(ell)_ij' (e.g. "
                     "'W^(1)_12'), 'x_i' (e.g. 'x_1'), (ell, i, j) or (i,), counting from 1")


def paths(e: Pass, output: int = 1, source: str | tuple[int, ...] = "x_1",
          sample: int = 0) -> Paths:
    """Every path from `source` to unit `output` (from 1) of the last layer, for one
    sample of the batch. The total is d a^(L)_output / d source at that sample."""
    layer_no, i, j = parse_source(source)
    L = len(e.layers)
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    n_samples = e.x.shape[0]
    if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample < n_samples:
        raise ValueError(f"paths: sample={sample!r} is not in the batch; use 0..{n_samples - 1}")
    if layer_no == 0 and j is not None:
        raise ValueError(f"paths: {source!r}: weights count layers from 1 ((ell, i, j) with "
                         "ell >= 1); an input is (i,) or 'x_i'")
    if not 1 <= output <= sizes[-1]:
        raise ValueError(f"paths: output unit {output} does not exist; the last layer has "
                         f"units 1..{sizes[-1]}")
    if not 0 <= layer_no <= L or not 1 <= i <= sizes[max(layer_no - 1, 0)] or (
            j is not None and not 1 <= j <= sizes[layer_no]):
        raise ValueError(f"paths: {source!r} is not in this {'-'.join(map(str, sizes))} "
                         f"network: W^(ell)_ij has ell in 1..{L}, i in 1..(units of layer "
                         "ell-1), j in 1..(units of layer ell); x_i has i in "
                         f"1..{sizes[0]}")
    for layer in e.layers[max(layer_no - 1, 0):]:
        if layer.g_prime is None:
            raise ValueError(f"paths: layer {layer.index}'s {layer.activation} is not "
                             "elementwise, so its units do not form separate paths")

    def g(ell: int, unit: int) -> list[tuple[str, float]]:
        layer = e.layers[ell - 1]
        if layer.activation == "identity":
            return []
        return [(f"g'({n.z(ell, unit)})", float(layer.g_prime[sample, unit - 1]))]

    def onward(ell: int, unit: int) -> list[list[tuple[str, float]]]:
        """The tails from unit `unit` of layer ell (after its g') to the output."""
        if ell == L:
            return [[]] if unit == output else []
        tails = []
        for k in range(1, sizes[ell + 1] + 1):
            weight = float(e.layers[ell].W[unit - 1, k - 1])
            step = [(n.W(ell + 1, unit, k), weight), *g(ell + 1, k)]
            tails += [step + tail for tail in onward(ell + 1, k)]
        for end in (layer for layer in e.layers if layer.skip == ell):
            skip = (f"skip({n.a(ell, unit)} → {n.a(end.index, unit)})", 1.0)
            tails += [[skip, *tail] for tail in onward(end.index, unit)]
        return tails

    if layer_no == 0:
        starts = [([], 0, i)]
        name = n.a(0, i)
    else:
        a_in = float(e.layers[layer_no - 1].a_prev[sample, i - 1])
        starts = [([(n.a(layer_no - 1, i), a_in), *g(layer_no, j)], layer_no, j)]
        name = n.W(layer_no, i, j)
    found = []
    for head, ell, unit in starts:
        for tail in onward(ell, unit):
            factors = head + tail
            found.append(Path(tuple(s for s, _ in factors), tuple(v for _, v in factors)))
    # The paths give the derivative of one output unit for one sample: that is H of the
    # notes only for a one-unit output and a one-sample batch; else say which it is.
    quantity = "H" if sizes[-1] == 1 and n_samples == 1 else f"a^({L})_{output}"
    if n_samples > 1:
        quantity += f" (sample {sample})"
    return Paths(found, quantity, name)
