"""Worked examples of a scalar computation graph (note 002 §5), checked as data.

    graph:
      inputs: {x: 1, y: 3, z: 2}
      nodes:               # one operation a node, in order; the last is the output
        h1: ln x
        h2: exp y
        h3: mul h2 z
        f: add h1 h3
    claims:
      h2: 20.0855          # a node's value
      df/dh2: 2            # d output / d node (the backward pass)
      dh3/dz: 20.0855      # a local gradient: d node / d one of its own inputs

Operations: add and mul (two inputs), exp, ln, sigmoid and square (one); an input is
a name defined above it or a number. The graph is `nl.graph`'s, which prints the working.
"""

from __future__ import annotations

import re
from typing import Any

from nnlite.course.network import ExampleError, checked_number
from nnlite.course.verification import Claim, Verification, claim_holds, claimed
from nnlite.explain import graph as g

OPERATIONS = {"add": 2, "mul": 2, "exp": 1, "ln": 1, "sigmoid": 1, "square": 1}
NAME = re.compile(r"^[A-Za-z]\w{0,15}$")
MAX_NODES = 32


def build_graph(spec: Any) -> g.Graph:
    if not isinstance(spec, dict) or set(spec) != {"inputs", "nodes"}:
        raise ExampleError("graph: must be {inputs: {x: 1, ...}, nodes: {h1: ln x, ...}}")
    inputs, nodes = spec["inputs"], spec["nodes"]
    if not isinstance(inputs, dict) or not inputs or not isinstance(nodes, dict) or not nodes \
            or len(inputs) + len(nodes) > MAX_NODES:
        raise ExampleError(f"graph: inputs and nodes must be non-empty mappings, at most "
                           f"{MAX_NODES} names in all")
    made: dict[str, g.Node] = {}
    for name, value in inputs.items():
        if not NAME.match(str(name)):
            raise ExampleError(f"graph.inputs: {name!r} is not a name (a letter, then letters, "
                               "digits or _)")
        made[str(name)] = g.inputs(**{str(name): checked_number(value, f"graph.inputs.{name}")})[0]
    for name, formula in nodes.items():
        at = f"graph.nodes.{name}"
        if not NAME.match(str(name)) or str(name) in made:
            raise ExampleError(f"{at}: {name!r} is not a new name")
        words = str(formula).split()
        if not words or words[0] not in OPERATIONS or len(words) != OPERATIONS[words[0]] + 1:
            raise ExampleError(f"{at}: {formula!r}; write an operation and its inputs: "
                               + ", ".join(f"{op} {' '.join(['a', 'b'][:k])}"
                                           for op, k in OPERATIONS.items()))
        args = [made[w] if w in made else checked_number(_float(w, at), at) for w in words[1:]]
        try:
            made[str(name)] = getattr(g, words[0])(*args, name=str(name))
        except ValueError as err:  # ln of a number that is not positive
            raise ExampleError(f"{at}: {err}") from None
    return g.backward(list(made.values())[-1])


def _float(word: str, where: str) -> float:
    try:
        return float(word)
    except ValueError:
        raise ExampleError(f"{where}: {word!r} is neither a name defined above it nor a "
                           "number") from None


def read_graph_value(work: g.Graph, key: str) -> tuple[float | None, str]:
    out = work.output.name
    nodes = {node.name: node for node in work.nodes}
    if key in nodes:
        return nodes[key].value, ""
    m = re.match(r"^[d∂](\w+)/[d∂](\w+)$", key.replace(" ", ""))
    if not m or m[1] not in nodes or m[2] not in nodes:
        raise ExampleError(f"claims: {key!r} is neither a node ({', '.join(nodes)}) nor "
                           f"d{out}/dNODE nor dNODE/dINPUT")
    top, below = nodes[m[1]], nodes[m[2]]
    if top is work.output:
        return below.grad, ""
    local = [k for k, i in enumerate(top.inputs) if i is below]
    if not local:
        return None, (f"{m[2]} is not an input of {m[1]} = {top.formula()}, so d{m[1]}/d{m[2]} "
                      f"is no local gradient; d{out}/d{m[2]} = {below.grad:.6g} is its "
                      "backward value")
    return sum(top.local[k] for k in local), ""


def verify_graph(data: dict[str, Any], name: str) -> Verification:
    if "network" in data or "x" in data:
        raise ExampleError("graph: a file holds a graph or a network (with x), not both")
    work = build_graph(data["graph"])
    out = []
    for key, value in claimed(data).items():
        claim = checked_number(value, f"claims[{key!r}]")
        actual, why = read_graph_value(work, str(key))
        out.append(Claim(str(key), claim, actual,
                         actual is not None and claim_holds(claim, actual, value), why))
    return Verification(name, str(data.get("about") or ""), tuple(out), str(work))
