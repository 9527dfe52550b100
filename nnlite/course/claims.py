"""Quantities in the notes' notation, read off one forward and backward pass.

    x_2, z^(1)_1, a^(2)_2, g'(z^(1)_2), W^(2)_21, b^(1)_1    values
    H (no loss), L or ℓ (with a loss)                         the quantity differentiated
    dH/dz^(1)_1, ∂H/∂W^(2)_21, dL/db^(1)_1, dH/dx_1            its derivatives

Layers count from 1 and units from 1, as in the notes; two indices of W are written
W^(l)_ij, or W^(l)_{i,j} from 10 on. A name the notation does not have is an
`ExampleError`; a quantity the network does not have (W^(3)_12 when W^(3) is 2 × 1) is
a `Reading` with no value and the reason, so that a wrong claim about it can be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from nnlite.course.network import ExampleError
from nnlite.explain.notation import W as w_symbol
from nnlite.explain.notation import num
from nnlite.explain.trace import Pass

_LAYER = r"\^\{?\(?(\d+)\)?\}?"
_ONE = r"_\{?(\d+)\}?"
_PAIR = r"_(?:\{(\d+),(\d+)\}|(\d)(\d))"
_QUANTITY = {
    "W": re.compile(rf"^W{_LAYER}{_PAIR}$"), "b": re.compile(rf"^b{_LAYER}{_ONE}$"),
    "z": re.compile(rf"^z{_LAYER}{_ONE}$"), "a": re.compile(rf"^a{_LAYER}{_ONE}$"),
    "g'": re.compile(rf"^g'\(z{_LAYER}{_ONE}\)$"), "x": re.compile(rf"^x{_ONE}$"),
}
_DERIVATIVE = re.compile(r"^[d∂](H|L|ℓ)/[d∂](.+)$")
ALLOWED = ("x_i, z^(l)_j, a^(l)_j, g'(z^(l)_j), W^(l)_ij, b^(l)_j, H (or L with a loss), "
           "and dH/d (or dL/d) of x, z, a, W, b, e.g. dH/dW^(2)_21")


@dataclass(frozen=True)
class Symbol:
    """kind: 'x', 'z', 'a', "g'", 'W', 'b' or 'value' (H, L); of: None for a value, else
    the quantity differentiated ('H' or 'L'); layer, i, j: indices from 1."""

    text: str
    kind: str
    of: str | None = None
    layer: int = 0
    i: int = 0
    j: int = 0


@dataclass(frozen=True)
class Reading:
    value: float | None
    why: str = ""


def parse_claim(text: str, differentiated: str) -> Symbol:
    """`differentiated`: 'H' without a loss, 'L' with one; a claim about the other fails."""
    key = str(text).replace(" ", "")
    if key in ("H", "L", "ℓ"):
        if _quantity(key) != differentiated:
            _mismatch(text, differentiated)
        return Symbol(text, "value")
    of = None
    if (m := _DERIVATIVE.match(key)):
        if _quantity(m[1]) != differentiated:
            _mismatch(text, differentiated)
        of, key = differentiated, m[2]
    for kind, pattern in _QUANTITY.items():
        if (m := pattern.match(key)):
            numbers = [int(g) for g in m.groups() if g is not None]
            if kind == "x":
                return Symbol(text, "x", of, 0, numbers[0])
            if kind == "W":
                return Symbol(text, "W", of, numbers[0], numbers[1], numbers[2])
            if kind == "g'" and of:
                break
            return Symbol(text, kind, of, numbers[0], numbers[1])
    raise ExampleError(f"claims: {text!r} is not a quantity in the notes' notation; allowed: "
                       f"{ALLOWED}")


def _quantity(letter: str) -> str:
    return "H" if letter == "H" else "L"


def _mismatch(text: str, differentiated: str) -> NoReturn:
    raise ExampleError(f"claims: {text!r}: this example differentiates {differentiated} "
                       f"({'no loss' if differentiated == 'H' else 'it has a loss'}); write "
                       f"{differentiated} or d{differentiated}/d...")


def read_claim(e: Pass, s: Symbol) -> Reading:
    """The value of `s` at sample 1 of the pass, or why the network has no such thing."""
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    L = len(e.layers)
    if s.kind == "value":
        return Reading(e.loss)
    if s.kind == "x" or (s.kind == "a" and s.layer == 0):
        if not 1 <= s.i <= sizes[0]:
            return Reading(None, f"x has {sizes[0]} entries, x_1..x_{sizes[0]}")
        return Reading(float((e.dx if s.of else e.x)[0, s.i - 1]))
    if not 1 <= s.layer <= L:
        return Reading(None, f"the network has layers 1..{L}")
    layer = e.layers[s.layer - 1]
    if s.kind == "W":
        rows, cols = layer.W.shape
        if 1 <= s.i <= rows and 1 <= s.j <= cols:
            return Reading(float((layer.dW if s.of else layer.W)[s.i - 1, s.j - 1]))
        why = (f"W^({s.layer}) is {rows} × {cols} (i counts the {rows} units of layer "
               f"{s.layer - 1}, j the {cols} of layer {s.layer}), so {w_symbol(s.layer, s.i, s.j)} "
               "does not exist")
        if 1 <= s.j <= rows and 1 <= s.i <= cols:  # the indices the other way round
            other = (layer.dW if s.of else layer.W)[s.j - 1, s.i - 1]
            name = w_symbol(s.layer, s.j, s.i)
            why += (f"; the weight from unit {s.j} of layer {s.layer - 1} to unit {s.i} of "
                    f"layer {s.layer} is {name}, and {'d' + s.of + '/d' if s.of else ''}"
                    f"{name} = {num(other)}")
        return Reading(None, why)
    if not 1 <= s.i <= layer.units:
        return Reading(None, f"layer {s.layer} has units 1..{layer.units}")
    if s.kind == "b":
        if layer.b is None:
            return Reading(None, f"layer {s.layer} has no bias (b: null)")
        return Reading(float((layer.db if s.of else layer.b)[s.i - 1]))
    if s.kind == "g'":
        if layer.g_prime is None:
            return Reading(None, f"layer {s.layer}'s {layer.activation} is not elementwise")
        return Reading(float(layer.g_prime[0, s.i - 1]))
    source = {"z": (layer.dz, layer.z), "a": (layer.da, layer.a)}[s.kind]
    return Reading(float(source[0 if s.of else 1][0, s.i - 1]))
