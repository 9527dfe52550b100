"""Scalar computation graphs, worked as in the notes: forward values, the local gradient
of every node with respect to each of its inputs, and the backward values.

    from nnlite import graph as g
    x, y, z = g.inputs(x=1.0, y=3.0, z=2.0)
    f = g.add(g.ln(x), g.mul(g.exp(y), z))     # f = ln x + e^y z (note 002 §5)
    work = g.backward(f)
    work["x"].grad, work["h2"].value           # 1.0, e^3
    print(work)                                # forward, local gradients, backward

Nodes: add, mul (also `+` and `*`), exp, ln, sigmoid, square. Intermediate nodes are
named h1, h2, ... in the order they were made and the output f, unless named. A node
used twice (x in x^4 + x^2) sums the gradients of its paths: the multivariate chain
rule. `Graph.figure()` draws it (matplotlib, imported then).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from nnlite.explain import notation as n

_made = itertools.count()


class Node:
    """One scalar: its value, the nodes it is computed from, and d self / d input for
    each input (`local`, with the formula as text in `rule`); `grad` is d output / d self
    after `backward`."""

    def __init__(self, value: float, op: str = "input", inputs: tuple["Node", ...] = (),
                 local: tuple[float, ...] = (), rule: tuple[Any, ...] = (),
                 name: str | None = None) -> None:
        self.value, self.op, self.inputs = float(value), op, inputs
        self.local, self.rule, self.name = local, rule, name
        self.grad = 0.0
        self.order = next(_made)

    def __add__(self, other: "Node | float") -> "Node":
        return add(self, other)

    __radd__ = __add__

    def __mul__(self, other: "Node | float") -> "Node":
        return mul(self, other)

    __rmul__ = __mul__

    def formula(self) -> str:
        """How the node is computed from its inputs' names: 'ln x', 'h2 · z'."""
        a = [i.name for i in self.inputs]
        return {"add": lambda: f"{a[0]} + {a[1]}", "mul": lambda: f"{a[0]} · {a[1]}",
                "exp": lambda: f"e^{a[0]}", "ln": lambda: f"ln {a[0]}",
                "sigmoid": lambda: f"σ({a[0]})", "square": lambda: f"{a[0]}^2",
                "input": lambda: "input"}[self.op]()

    def __repr__(self) -> str:
        return f"Node({self.name or '?'} = {self.formula()}, value={self.value:g})"


def _node(value: Any) -> Node:
    return value if isinstance(value, Node) else Node(value, op="input", name=n.num(value))


def inputs(**values: float) -> tuple[Node, ...]:
    """Named input nodes: `x, y = inputs(x=1.0, y=3.0)`."""
    return tuple(Node(v, name=name) for name, v in values.items())


def add(a: Node | float, b: Node | float, name: str | None = None) -> Node:
    a, b = _node(a), _node(b)
    return Node(a.value + b.value, "add", (a, b), (1.0, 1.0), ("1", "1"), name)


def mul(a: Node | float, b: Node | float, name: str | None = None) -> Node:
    a, b = _node(a), _node(b)
    return Node(a.value * b.value, "mul", (a, b), (b.value, a.value), (b, a), name)


def exp(a: Node | float, name: str | None = None) -> Node:
    a = _node(a)
    value = math.exp(a.value)
    return Node(value, "exp", (a,), (value,), ("e^{a}",), name)


def ln(a: Node | float, name: str | None = None) -> Node:
    a = _node(a)
    if a.value <= 0:
        raise ValueError(f"graph.ln: ln needs a positive input, got {a.value:g}")
    return Node(math.log(a.value), "ln", (a,), (1.0 / a.value,), ("1/{a}",), name)


def sigmoid(a: Node | float, name: str | None = None) -> Node:
    a = _node(a)
    # e^-|v| never overflows: the stable form of 1 / (1 + e^-v)
    e = math.exp(-abs(a.value))
    s = 1.0 / (1.0 + e) if a.value >= 0 else e / (1.0 + e)
    return Node(s, "sigmoid", (a,), (s * (1.0 - s),), ("σ({a})(1 - σ({a}))",), name)


def square(a: Node | float, name: str | None = None) -> Node:
    a = _node(a)
    return Node(a.value * a.value, "square", (a,), (2.0 * a.value,), ("2{a}",), name)


class Graph:
    """The nodes that `output` is computed from, in the order they were made, named, with
    gradients filled in by `backward`. `graph[name]` is a node."""

    def __init__(self, output: Node) -> None:
        # The graph works on its own copies of the nodes: naming them and filling in
        # gradients never changes the nodes the caller built, nor another graph of them.
        copies: dict[int, Node] = {}

        def copy(node: Node) -> Node:
            if id(node) not in copies:
                made = Node(node.value, node.op, tuple(copy(i) for i in node.inputs),
                            node.local, (), node.name)
                made.order = node.order
                copies[id(node)] = made
                made.rule = tuple(copy(r) if isinstance(r, Node) else r for r in node.rule)
            return copies[id(node)]

        output = copy(output)
        self.output = output
        self.nodes = sorted(copies.values(), key=lambda node: node.order)
        taken = {node.name for node in self.nodes if node.name}
        count = itertools.count(1)
        for node in self.nodes:
            if node.name is None and node is not output:
                node.name = next(f"h{k}" for k in count if f"h{k}" not in taken)
        if output.name is None:
            output.name = "f" if "f" not in taken else "f_out"
        self.consumers: dict[int, list[Node]] = {id(node): [] for node in self.nodes}
        for node in self.nodes:
            for i in node.inputs:
                if node not in self.consumers[id(i)]:
                    self.consumers[id(i)].append(node)
        for original, made in copies.items():  # also found by the caller's own nodes
            self.consumers[original] = self.consumers[id(made)]

    def backward(self) -> "Graph":
        """d output / d node for every node, by the chain rule, from the output back."""
        for node in self.nodes:
            node.grad = 0.0
        self.output.grad = 1.0
        for node in reversed(self.nodes):
            for i, local in zip(node.inputs, node.local):
                i.grad += node.grad * local
        return self

    def __getitem__(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"graph: no node named {name!r}; nodes: "
                       f"{', '.join(node.name for node in self.nodes)}")

    def local_rule(self, node: Node, k: int) -> str:
        rule = node.rule[k]
        if isinstance(rule, Node):
            return rule.name
        return rule.format(a=node.inputs[k].name)

    def lines(self) -> list[str]:
        f = self.output.name
        out = ["Forward"]
        for node in self.nodes:
            if node.op == "input":
                out.append(f"  {node.name} = {n.num(node.value)}")
            else:
                out.append(f"  {node.name} = {node.formula()} = {n.num(node.value)}")
        out.append("Local gradients")
        for node in self.nodes:
            for k, i in enumerate(node.inputs):
                rule, value = self.local_rule(node, k), n.num(node.local[k])
                shown = value if rule == value else f"{rule} = {value}"
                out.append(f"  {n.d(node.name, i.name)} = {shown}")
        out.append("Backward (the chain rule, from the output back)")
        out.append(f"  {n.d(f, f)} = 1")
        for node in reversed(self.nodes):
            if node is self.output:
                continue
            users = self.consumers[id(node)]
            terms, nums = [], []
            for user in users:
                local = sum(user.local[m] for m, i in enumerate(user.inputs) if i is node)
                terms.append(f"{n.d(f, user.name)} · {n.d(user.name, node.name)}")
                nums.append(n.product([user.grad, local]))
            out.append(f"  {n.d(f, node.name)} = {' + '.join(terms)} = {' + '.join(nums)} "
                       f"= {n.num(node.grad)}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_markdown(self) -> str:
        return "```text\n" + str(self) + "\n```\n"

    def figure(self) -> Any:
        """The graph drawn: inputs left, output right; value and gradient on each node,
        the local gradient on each edge (a matplotlib Figure)."""
        from nnlite.explain.graph_figure import draw

        return draw(self)


def backward(output: Node) -> Graph:
    """The graph `output` is computed from, with every node's gradient filled in."""
    return Graph(output).backward()
