"""The notes' symbols and numbers as text: a^(l)_i, z^(l)_j, W^(l)_ij, b^(l)_j, x_i, and
numbers short enough to read in a chain-rule product.

Units are counted from 1, as in the notes; an index of 10 or more is braced
(W^(2)_{10,3}) so that W^(2)_103 is never ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

CONVENTION = (
    "Notation (note 004): W^(l)_ij connects unit i of layer l-1 to unit j of layer l, so\n"
    "  z^(l)_j = sum_i W^(l)_ij a^(l-1)_i + b^(l)_j, a^(l)_j = g(z^(l)_j), a^(0) = x;\n"
    "  nnlite computes it for a batch of rows as z^(l) = a^(l-1) W^(l) + b^(l), W^(l) of\n"
    "  shape (units of layer l-1, units of layer l). Notes 000, 001 and 003 write the same\n"
    "  layer as z = A x + b with A = (W^(l))^T of shape (units of l, units of l-1).")


def num(value: float) -> str:
    """A number as the notes print it: integers plain (36, -14), others to 4 digits."""
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v == round(v) and abs(v) < 1e15:
        return str(int(round(v)))
    text = f"{v:.4g}"
    return "0" if text in ("-0", "0") else text


def factor(value: float) -> str:
    """A number inside a product: negatives in parentheses, 5·(-3)."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def value(v: float | np.ndarray) -> str:
    """A scalar as `num` writes it, a vector as (1, -2, 0.5)."""
    if np.ndim(v) == 0:
        return num(float(v))
    return "(" + ", ".join(num(x) for x in np.ravel(v)) + ")"


def factor_value(v: float | np.ndarray) -> str:
    """`value` inside a formula: a negative scalar in parentheses."""
    return factor(float(v)) if np.ndim(v) == 0 else value(v)


def product(values: Iterable[float]) -> str:
    return "·".join(factor(v) for v in values)


def _sub(*indices: int) -> str:
    if all(i < 10 for i in indices):
        return "".join(str(i) for i in indices)
    return "{" + ",".join(str(i) for i in indices) + "}"


def a(layer: int, unit: int) -> str:
    return f"x_{_sub(unit)}" if layer == 0 else f"a^({layer})_{_sub(unit)}"


def z(layer: int, unit: int) -> str:
    return f"z^({layer})_{_sub(unit)}"


def W(layer: int, i: int, j: int) -> str:
    return f"W^({layer})_{_sub(i, j)}"


def b(layer: int, unit: int) -> str:
    return f"b^({layer})_{_sub(unit)}"


def d(quantity: str, of: str) -> str:
    return f"∂{quantity}/∂{of}"


def matrix(values: np.ndarray, indent: str = "    ") -> str:
    """An array on its own lines, 4 significant digits, every line indented."""
    text = np.array2string(np.asarray(values, dtype=np.float64), precision=4,
                           suppress_small=True, max_line_width=96, threshold=200)
    return "\n".join(indent + line for line in text.splitlines())
