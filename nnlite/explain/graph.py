"""Computation graphs of scalars and vectors, worked as in the notes: forward values, the
local gradient of every node with respect to each of its inputs, and the backward values.

    from nnlite import graph as g
    x, y, z = g.inputs(x=1.0, y=3.0, z=2.0)
    f = g.ln(x) + g.exp(y) * z                 # f = ln x + e^y z (note 002 §5)
    work = g.backward(f)
    work["x"].grad, work["h2"].value           # 1.0, e^3
    print(work)                                # forward, local gradients, backward

Operations (made in graph_node.py): `+ - * / **` and unary `-`, with a number on either
side (2 - x, 1 / x, x ** 3); add, sub, mul, div, neg, power, square, exp, ln, sigmoid,
tanh, relu; on vectors (g.inputs(w=[1.0, 2.0])) entry by entry, and dot(u, v) = u^T v,
sum(v) = Σ_i v_i, sum(a, b, ...) = a + b + .... Numbers are constants: they appear in
the formulas that use them and get no gradient. Intermediate nodes are named h1, h2,
... in the order they were made and the output f, unless named. A node used twice (x in
x^4 + x^2) sums the gradients of its paths: the multivariate chain rule.
`Graph.figure()` draws the graph (matplotlib, imported then).
"""

from __future__ import annotations

import copy
import functools
import itertools
import operator
from typing import Any

import numpy as np

from nnlite.explain import notation as n
from nnlite.explain.graph_node import (
    Node,
    Value,
    add,
    const,
    div,
    dot,
    exp,
    inputs,
    ln,
    mul,
    neg,
    power,
    relu,
    sigmoid,
    square,
    sub,
    sum,  # noqa: A004 (the graph's Σ; this module adds with `_total`)
    tanh,
)

__all__ = ["Graph", "Node", "add", "backward", "const", "div", "dot", "exp", "inputs", "ln",
           "mul", "neg", "power", "relu", "sigmoid", "square", "sub", "sum", "tanh"]


def _total(values: list[Value]) -> Value:
    return functools.reduce(operator.add, values)


def _shaped_like(grad: Value, like: Value) -> Value:
    """A gradient summed back to its node's shape: a scalar broadcast against a vector
    (2 · w) receives the sum over the vector's entries."""
    if np.ndim(like) == 0:
        return float(np.sum(grad))
    return np.broadcast_to(grad, np.shape(like)).astype(np.float64)


def _reachable(output: Node) -> list[Node]:
    """Every node `output` is computed from, itself included, in the order made (inputs
    before the nodes that read them); a walk with a stack, so deep graphs are fine."""
    seen: dict[int, Node] = {}
    stack = [output]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.inputs)
    return sorted(seen.values(), key=lambda node: node.order)


class Graph:
    """The nodes that `output` is computed from, in the order they were made, named, with
    gradients filled in by `backward`. `graph[name]` is a node; `nodes` leaves out the
    constants, which are in `constants`."""

    def __init__(self, output: Node) -> None:
        if np.ndim(output.value) != 0:
            raise ValueError(f"graph: the output must be a scalar, got the vector "
                             f"{n.value(output.value)}; add its entries first (graph.sum)")
        # The graph works on its own copies of the nodes: naming them and filling in
        # gradients never changes the nodes the caller built, nor another graph of them.
        copies: dict[int, Node] = {}
        for original in _reachable(output):
            made = copy.copy(original)
            made.inputs = tuple(copies[id(i)] for i in original.inputs)
            copies[id(original)] = made
        self.output = copies[id(output)]
        every = sorted(copies.values(), key=lambda node: node.order)
        self.nodes = [node for node in every if node.op != "constant"]
        self.constants = [node for node in every if node.op == "constant"]
        taken = {node.name for node in every if node.name}
        count = itertools.count(1)
        for node in self.nodes:
            if node.name is None and node is not self.output:
                node.name = next(f"h{k}" for k in count if f"h{k}" not in taken)
        if self.output.name is None:
            self.output.name = "f" if "f" not in taken else "f_out"
        self.consumers: dict[int, list[Node]] = {id(node): [] for node in self.nodes}
        for node in self.nodes:
            for i in node.inputs:
                if i.op != "constant" and node not in self.consumers[id(i)]:
                    self.consumers[id(i)].append(node)
        for original, made in copies.items():  # also found by the caller's own nodes
            if made.op != "constant":
                self.consumers[original] = self.consumers[id(made)]

    def backward(self) -> Graph:
        """d output / d node for every node, by the chain rule, from the output back."""
        for node in self.nodes:
            node.grad = np.zeros_like(node.value) if np.ndim(node.value) else 0.0
        self.output.grad = 1.0
        for node in reversed(self.nodes):
            for i, local in zip(node.inputs, node.local):
                if i.op != "constant":
                    i.grad = i.grad + _shaped_like(node.grad * local, i.value)
        return self

    def __getitem__(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"graph: no node named {name!r}; nodes: "
                       f"{', '.join(node.name for node in self.nodes)}")

    def local(self, node: Node, of: Node) -> tuple[str, Value]:
        """d node / d `of` as (formula, value), summed where `of` is used twice (x · x)."""
        names = [i.name for i in node.inputs]
        ks = [k for k, i in enumerate(node.inputs) if i is of]
        rule = " + ".join(node.rule[k].format(*names) for k in ks)
        return rule, _total([node.local[k] for k in ks])

    def lines(self) -> list[str]:
        f = self.output.name
        out = ["Forward"]
        for c in self.constants:
            if c.name != n.factor_value(c.value):  # a named constant: say what it stands for
                out.append(f"  {c.name} = {n.value(c.value)} (a constant)")
        for node in self.nodes:
            if node.op == "input":
                out.append(f"  {node.name} = {n.value(node.value)}")
            else:
                out.append(f"  {node.name} = {node.formula()} = {n.value(node.value)}")
        out.append("Local gradients")
        for node in self.nodes:
            for i in dict.fromkeys(i for i in node.inputs if i.op != "constant"):
                rule, value = self.local(node, i)
                shown = n.value(value)
                out.append(f"  {n.d(node.name, i.name)} = "
                           f"{shown if rule == shown else f'{rule} = {shown}'}")
        out.append("Backward (the chain rule, from the output back)")
        out.append(f"  {n.d(f, f)} = 1")
        for node in reversed(self.nodes):
            if node is not self.output:
                out.append(self.backward_line(node))
        return out

    def backward_line(self, node: Node) -> str:
        """d output / d node as a sum over the nodes that read it: through the output
        itself the term is its local gradient (∂f/∂h1 = 1 for f = h1 + h3), through any
        other node ∂f/∂user · ∂user/∂node."""
        f, terms, nums = self.output.name, [], []
        for user in self.consumers[id(node)]:
            rule, local = self.local(user, node)
            if user is self.output:
                terms.append(rule if len(self.consumers[id(node)]) == 1 else f"({rule})")
                nums.append(n.factor_value(local))
            else:
                terms.append(f"{n.d(f, user.name)} · {n.d(user.name, node.name)}")
                nums.append(f"{n.factor_value(user.grad)}·{n.factor_value(local)}")
        worked = [" + ".join(terms), " + ".join(nums), n.value(node.grad)]
        shown = [part for k, part in enumerate(worked) if k == 0 or part != worked[k - 1]]
        return f"  {n.d(f, node.name)} = {' = '.join(shown)}"

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_markdown(self) -> str:
        return "```text\n" + str(self) + "\n```\n"

    def figure(self) -> Any:
        """The graph drawn: inputs left, output right; value and gradient on each node,
        the local gradient on each edge (a matplotlib Figure)."""
        from nnlite.explain.graph_figure import draw_graph

        return draw_graph(self)


def backward(output: Node) -> Graph:
    """The graph `output` is computed from, with every node's gradient filled in."""
    return Graph(output).backward()
