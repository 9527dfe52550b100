"""A scalar computation graph drawn: one column per depth (inputs left, the output
right), each node with its formula, value and gradient, each edge with its local
gradient; constants are not drawn (their values are in the formulas that use them).
matplotlib is imported only here. (`graph` is a `nnlite.explain.graph.Graph`; not
imported, since that module imports this one.)"""

from __future__ import annotations

from typing import Any

from nnlite.explain import notation as n
from nnlite.plots.figure import new_figure


def depths(graph: Any) -> dict[int, int]:
    """Each node's column: one more than its deepest input; an input sits just before
    the first node that reads it, so its edges stay short."""
    depth: dict[int, int] = {}
    for node in graph.nodes:  # made after their inputs, so inputs come first
        depth[id(node)] = 1 + max((depth[id(i)] for i in node.inputs if i.op != "constant"),
                                  default=-1)
    for node in graph.nodes:
        if node.op == "input" and graph.consumers[id(node)]:
            depth[id(node)] = min(depth[id(c)] for c in graph.consumers[id(node)]) - 1
    return depth


def reading_order(graph: Any) -> dict[int, int]:
    """Where each node is first met walking back from the output, inputs in order: rows
    in this order keep a node beside the nodes it feeds."""
    order: dict[int, int] = {}

    def visit(node) -> None:
        if id(node) not in order:
            order[id(node)] = len(order)
            for i in node.inputs:
                if i.op != "constant":
                    visit(i)

    visit(graph.output)
    return order


def draw_graph(graph: Any) -> Any:
    depth, order = depths(graph), reading_order(graph)
    columns: dict[int, list] = {}
    for node in sorted(graph.nodes, key=lambda node: order[id(node)]):
        columns.setdefault(depth[id(node)], []).append(node)
    place = {}
    for col, nodes in columns.items():
        for row, node in enumerate(nodes):
            place[id(node)] = (col, 0.5 * (len(nodes) - 1) - row)
    tallest = max(len(nodes) for nodes in columns.values())
    f = graph.output.name
    labels = {id(node): f"{node.name if node.op == 'input' else f'{node.name} = {node.formula()}'}"
              f"\nvalue {n.value(node.value)}\n{n.d(f, node.name)} = {n.value(node.grad)}"
              for node in graph.nodes}
    # ~0.065 inch per character at font size 8: a column is its widest node and room
    # for the edge labels after it; an arrow starts and ends at the edges of the boxes
    chars = {key: max(len(line) for line in text.splitlines()) for key, text in labels.items()}
    column = max(2.4, 0.065 * max(chars.values()) + 1.4)
    inch = 0.775 * (column * len(columns) + 1.0) / (len(columns) + 0.2)  # per unit of x
    half = {key: (0.0325 * c + 0.1) / inch for key, c in chars.items()}
    fig, ax = new_figure(figsize=(column * len(columns) + 1.0, 1.3 * tallest + 1.4))
    for node in graph.nodes:
        x1, y1 = place[id(node)]
        for i in dict.fromkeys(i for i in node.inputs if i.op != "constant"):
            x0, y0 = place[id(i)]
            ax.annotate("", (x1 - half[id(node)], y1), (x0 + half[id(i)], y0), zorder=1,
                        arrowprops={"arrowstyle": "->", "color": "gray"})
            ax.text(0.5 * (x0 + half[id(i)] + x1 - half[id(node)]), 0.5 * (y0 + y1),
                    f"{n.d(node.name, i.name)} = {n.value(graph.local(node, i)[1])}",
                    fontsize=7, ha="center", va="center", color="tab:blue", zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
        ax.text(x1, y1, labels[id(node)], ha="center", va="center", fontsize=8, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#f4f4f4", "ec": "gray"})
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-0.5 * tallest - 0.2, 0.5 * tallest + 0.2)
    ax.axis("off")
    ax.set_title(f"{f} = {n.num(graph.output.value)}: forward values, local gradients on "
                 "the edges, backward values", fontsize=9)
    return fig
