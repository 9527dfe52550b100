"""The nodes of a computation graph and the operations that make them (`nl.graph`'s
building blocks; `graph.py` names, works and prints a finished graph).

A node holds a value, a scalar or a vector (a 1-D float64 array), the nodes it is
computed from, and its local gradients: d node / d input, each with its formula as text.
A local gradient is elementwise (an operation on vectors acts entry by entry) or, for
dot and sum, the vector the chain rule multiplies by; so backward is one rule for every
node, input.grad += node.grad * local, summed back to a scalar where a scalar input was
broadcast. Python numbers become constants: drawn inside the formulas that use them,
never given a gradient of their own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from nnlite.explain import notation as n

_made = itertools.count()

Value = float | np.ndarray


def as_value(value: Any) -> Value:
    """A Python float for a scalar, a float64 1-D array (a private copy) for a vector."""
    array = np.array(value, dtype=np.float64)
    if array.ndim == 0:
        return float(array)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"graph: a value is a number or a nonempty vector, got shape "
                         f"{array.shape}")
    return array


class Node:
    """One value of the graph. `op` names the operation ("input", "constant", "add", ...);
    `template` writes the node from its inputs' names ("{0} + {1}"); `local[k]` is
    d node / d inputs[k] and `rule[k]` its formula ("{1}" is the second input's name);
    `grad` is d output / d node once a `Graph` has run backward."""

    def __init__(self, value: Any, op: str = "input", inputs: tuple[Node, ...] = (),
                 local: tuple[Value, ...] = (), rule: tuple[str, ...] = (),
                 name: str | None = None, template: str = "input") -> None:
        self.value, self.op, self.inputs = as_value(value), op, inputs
        self.local, self.rule, self.name, self.template = local, rule, name, template
        self.grad: Value = 0.0
        self.order = next(_made)

    def formula(self) -> str:
        """How the node is computed from its inputs' names: 'ln x', 'h2 · z', '2 - x'."""
        return self.template.format(*(i.name for i in self.inputs))

    def __repr__(self) -> str:
        return f"Node({self.name or '?'} = {self.formula()}, value={n.value(self.value)})"

    def __add__(self, other: Any) -> Node:
        return add(self, other)

    def __radd__(self, other: Any) -> Node:
        return add(other, self)

    def __sub__(self, other: Any) -> Node:
        return sub(self, other)

    def __rsub__(self, other: Any) -> Node:
        return sub(other, self)

    def __mul__(self, other: Any) -> Node:
        return mul(self, other)

    def __rmul__(self, other: Any) -> Node:
        return mul(other, self)

    def __truediv__(self, other: Any) -> Node:
        return div(self, other)

    def __rtruediv__(self, other: Any) -> Node:
        return div(other, self)

    def __neg__(self) -> Node:
        return neg(self)

    def __pow__(self, exponent: Any) -> Node:
        return power(self, exponent)


def const(value: Any, name: str | None = None) -> Node:
    """A fixed number (or vector): shown by its value in the formulas that use it."""
    value = as_value(value)
    return Node(value, "constant", name=name or n.factor_value(value), template="constant")


def node(value: Any) -> Node:
    return value if isinstance(value, Node) else const(value)


def inputs(**values: Any) -> tuple[Node, ...]:
    """Named input nodes, scalars or vectors: `x, w = inputs(x=1.0, w=[0.5, -1.0])`."""
    return tuple(Node(v, name=name) for name, v in values.items())


def _unary(a: Any, op: str, value: Value, local: Value, rule: str, template: str,
           name: str | None) -> Node:
    return Node(value, op, (node(a),), (local,), (rule,), name, template)


def add(a: Any, b: Any, name: str | None = None) -> Node:
    a, b = node(a), node(b)
    return Node(a.value + b.value, "add", (a, b), (1.0, 1.0), ("1", "1"), name, "{0} + {1}")


def sub(a: Any, b: Any, name: str | None = None) -> Node:
    a, b = node(a), node(b)
    return Node(a.value - b.value, "sub", (a, b), (1.0, -1.0), ("1", "-1"), name, "{0} - {1}")


def mul(a: Any, b: Any, name: str | None = None) -> Node:
    a, b = node(a), node(b)
    return Node(a.value * b.value, "mul", (a, b), (b.value, a.value), ("{1}", "{0}"), name,
                "{0} · {1}")


def div(a: Any, b: Any, name: str | None = None) -> Node:
    a, b = node(a), node(b)
    if np.any(np.asarray(b.value) == 0):
        raise ValueError(f"graph.div: division by zero ({b.name} = {n.value(b.value)})")
    return Node(a.value / b.value, "div", (a, b), (1.0 / b.value, -a.value / b.value**2),
                ("1/{1}", "-{0}/{1}^2"), name, "{0} / {1}")


def neg(a: Any, name: str | None = None) -> Node:
    a = node(a)
    return _unary(a, "neg", -a.value, -1.0, "-1", "-{0}", name)


def power(a: Any, exponent: float, name: str | None = None) -> Node:
    """a^p for a constant p (a node's power of a node is not an operation here)."""
    if isinstance(exponent, Node) or not isinstance(exponent, (int, float)):
        raise ValueError(f"graph.power: the exponent must be a number, got {exponent!r}")
    a, p = node(a), float(exponent)
    if p != int(p) and np.any(np.asarray(a.value) < 0):
        raise ValueError(f"graph.power: {n.num(p)} is not a whole number, so {a.name} must not "
                         f"be negative (got {n.value(a.value)})")
    if p < 1 and np.any(np.asarray(a.value) == 0):
        raise ValueError(f"graph.power: {a.name}^{n.num(p)} has no finite derivative at 0")
    rule = f"{n.num(p)}{{0}}" if p == 2 else f"{n.num(p)}{{0}}^{n.num(p - 1)}"
    return _unary(a, "power", a.value**p, p * a.value ** (p - 1), rule, f"{{0}}^{n.num(p)}",
                  name)


def square(a: Any, name: str | None = None) -> Node:
    a = node(a)
    return _unary(a, "square", a.value * a.value, 2.0 * a.value, "2{0}", "{0}^2", name)


def exp(a: Any, name: str | None = None) -> Node:
    a = node(a)
    value = np.exp(a.value) if isinstance(a.value, np.ndarray) else math.exp(a.value)
    return _unary(a, "exp", value, value, "e^{0}", "e^{0}", name)


def ln(a: Any, name: str | None = None) -> Node:
    a = node(a)
    if np.any(np.asarray(a.value) <= 0):
        raise ValueError(f"graph.ln: ln needs a positive input, got {n.value(a.value)}")
    return _unary(a, "ln", np.log(a.value) * 1.0, 1.0 / a.value, "1/{0}", "ln {0}", name)


def sigmoid(a: Any, name: str | None = None) -> Node:
    a = node(a)
    # e^-|v| never overflows: the stable form of 1 / (1 + e^-v)
    e = np.exp(-np.abs(a.value))
    s = np.where(np.asarray(a.value) >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    s = float(s) if s.ndim == 0 else s
    return _unary(a, "sigmoid", s, s * (1.0 - s), "σ({0})(1 - σ({0}))", "σ({0})", name)


def tanh(a: Any, name: str | None = None) -> Node:
    a = node(a)
    t = np.tanh(a.value) * 1.0
    return _unary(a, "tanh", t, 1.0 - t * t, "1 - tanh({0})^2", "tanh({0})", name)


def relu(a: Any, name: str | None = None) -> Node:
    """max(0, a); its local gradient at 0 is 0, as nnlite's ReLU layer takes it."""
    a = node(a)
    value = np.maximum(a.value, 0.0) * 1.0
    slope = (np.asarray(a.value) > 0) * 1.0
    return _unary(a, "relu", value, float(slope) if slope.ndim == 0 else slope,
                  "1 if {0} > 0 else 0", "relu({0})", name)


def dot(u: Any, v: Any, name: str | None = None) -> Node:
    """u^T v of two vectors of one length: d/du = v^T and d/dv = u^T."""
    u, v = node(u), node(v)
    if np.ndim(u.value) != 1 or np.shape(u.value) != np.shape(v.value):
        raise ValueError(f"graph.dot: needs two vectors of one length, got "
                         f"{n.value(u.value)} and {n.value(v.value)}")
    return Node(float(u.value @ v.value), "dot", (u, v), (v.value, u.value),
                ("{1}^T", "{0}^T"), name, "{0}^T {1}")


def sum(*items: Any, name: str | None = None) -> Node:  # noqa: A001 (Σ, as the notes write it)
    """Σ of its entries for one vector node; otherwise the sum of the nodes given (as
    arguments or one iterable), one node with an edge from each."""
    if len(items) == 1 and isinstance(items[0], Node) and np.ndim(items[0].value) == 1:
        v = items[0]
        return Node(float(v.value.sum()), "sum", (v,), (np.ones_like(v.value),), ("1^T",),
                    name, "Σ {0}")
    if len(items) == 1 and isinstance(items[0], Iterable):
        items = tuple(items[0])
    if not items:
        raise ValueError("graph.sum: nothing to add")
    terms = tuple(node(i) for i in items)
    total = terms[0].value
    for t in terms[1:]:
        total = total + t.value
    return Node(total, "sum", terms, (1.0,) * len(terms), ("1",) * len(terms), name,
                " + ".join(f"{{{k}}}" for k in range(len(terms))))
