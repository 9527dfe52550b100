"""An `Explanation` drawn as a computation graph: one column per layer, one node per
unit with its values (x; z, a and the gradient ∂/∂z) for one sample, one edge per
weight (blue positive, red negative, thicker larger) labelled with W and ∂/∂W where a
layer has few enough edges to read. matplotlib is imported only here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.explain import notation as n
from nnlite.explain.trace import Pass
from nnlite.plots.figure import new_figure

EDGE_LABELS_UP_TO = 10  # edges of a layer; more and their labels would cover each other


SHOWN_UNITS = 12  # a wider layer shows its first 6 and last 5 units and a gap between


def _positions(sizes: list[int]) -> list[dict[int, float]]:
    """Per column, the y of each unit drawn (centred, top to bottom): every unit of a
    narrow layer; of a wide one the first 6 and the last 5, a slot left for the gap."""
    placed = []
    for width in sizes:
        slots: list[int | None] = list(range(width))
        if width > SHOWN_UNITS:
            slots = [*range(6), None, *range(width - 5, width)]
        ys = np.linspace(0.5 * (len(slots) - 1), -0.5 * (len(slots) - 1), len(slots))
        placed.append({unit: y for unit, y in zip(slots, ys)})
    return placed


def _rows(sizes: list[int]) -> int:
    return min(max(sizes), SHOWN_UNITS)


def size(e: Pass) -> tuple[float, float]:
    """The figure size (inches) that fits the network's widest layer as drawn."""
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    return 2.6 * len(sizes) + 1.0, 1.2 * _rows(sizes) + 1.6


def draw(e: Pass, sample: int = 0, ax: Any = None) -> Any:
    """The figure for sample `sample` of the batch (a matplotlib Figure, not shown), or
    drawn into the axes `ax` (then its figure is returned)."""
    q = e.symbol
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    ys = _positions(sizes)
    if ax is None:
        fig, ax = new_figure(figsize=size(e))
    for ell, layer in enumerate(e.layers, start=1):
        norm = np.abs(layer.W).max() or 1.0
        for i in (u for u in ys[ell - 1] if u is not None):
            for j in (u for u in ys[ell] if u is not None):
                x0, y0, x1, y1 = ell - 1, ys[ell - 1][i], ell, ys[ell][j]
                w = layer.W[i, j]
                ax.plot([x0, x1], [y0, y1], color="tab:red" if w < 0 else "tab:blue",
                        lw=0.5 + 2.5 * abs(w) / norm, alpha=0.6, zorder=1)
                if sizes[ell - 1] * sizes[ell] <= EDGE_LABELS_UP_TO:
                    t = 0.3 + 0.4 * (j + 0.5) / sizes[ell]  # stagger labels along the edge
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0),
                            f"W={n.num(w)}\n∂{q}/∂W={n.num(layer.dW[i, j])}", fontsize=6,
                            ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                  "alpha": 0.8})
    for ell, width in enumerate(sizes):
        for u, y in ys[ell].items():
            if u is None:
                ax.text(ell, y, f"⋮ {width - SHOWN_UNITS + 1} more units", ha="center",
                        va="center", fontsize=7, color="gray")
                continue
            if ell == 0:
                label = f"{n.a(0, u + 1)} = {n.num(e.x[sample, u])}"
            else:
                layer = e.layers[ell - 1]
                label = (f"{n.z(ell, u + 1)} = {n.num(layer.z[sample, u])}\n"
                         f"a = {layer.activation}(z) = {n.num(layer.a[sample, u])}\n"
                         f"∂{q}/∂z = {n.num(layer.dz[sample, u])}")
            ax.text(ell, y, label, fontsize=7, ha="center", va="center", zorder=4,
                    bbox={"boxstyle": "round,pad=0.3", "fc": "#f4f4f4", "ec": "gray"})
    for ell in range(len(sizes)):
        ax.text(ell, 0.5 * _rows(sizes) + 0.3,
                "input x" if ell == 0 else f"layer {ell}", ha="center", fontsize=9)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(-0.5 * _rows(sizes) - 0.3, 0.5 * _rows(sizes) + 0.6)
    ax.axis("off")
    batch = e.x.shape[0]
    over = f"; ∂{q}/∂W summed over all {batch} samples" if batch > 1 else ""
    ax.set_title(f"{q} = {n.num(e.loss)}: values of sample {sample + 1} of {batch} on the "
                 f"units, W and ∂{q}/∂W on the edges{over}", fontsize=9)
    return ax.figure
