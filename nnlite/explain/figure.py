"""An `Explanation` drawn as a computation graph: one column per layer, one node per
unit with its values (x; z, a, the gradient ∂/∂z, and its bias with ∂/∂b) for one
sample, one edge per weight (blue positive, red negative, thicker larger) labelled with
the weight's symbol (W^(l)_ij in note 004's notation), its value and ∂/∂W, a Residual
block's skips as dashed arcs. Symbols are mathtext in the explanation's notation. A
label goes only where it covers no other (figure_labels.Placer), along its edge; a
layer with too many edges to label, or a label with no free place, is left to the text.
matplotlib is imported only here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.explain import notation as n
from nnlite.explain.figure_labels import Placer, Symbols
from nnlite.explain.trace import Pass
from nnlite.plots.figure import DPI, new_figure

EDGE_LABELS_UP_TO = 24  # edges of a layer; more and their labels cannot all be read

SHOWN_UNITS = 12  # a wider layer shows its first 6 and last 5 units and a gap between

# where along its edge a label may sit (0 the layer below, 1 the layer above)
ALONG = np.linspace(0.12, 0.88, 39)


def along(narrow_below: bool, narrow_above: bool) -> list[float]:
    """The places to try, best first: near the wider layer's end, where a layer's edges
    are furthest apart (a fan from 2 inputs to 8 units is crowded at the inputs)."""
    best = 0.72 if narrow_below and not narrow_above else (
        0.28 if narrow_above and not narrow_below else 0.5)
    return sorted(ALONG, key=lambda t: abs(t - best))


# the axes are off, so they need no margins but the title's: the room goes to the labels
MARGINS = {"left": 0.02, "right": 0.98, "bottom": 0.02, "wspace": 0.04}

NODE_BOX = {"boxstyle": "round,pad=0.3", "fc": "#f4f4f4", "ec": "gray"}
EDGE_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}


def _positions(sizes: list[int]) -> list[dict[int | None, float]]:
    """Per column, the y of each unit drawn (centred, top to bottom): every unit of a
    narrow layer; of a wide one the first 6 and the last 5, a slot left for the gap. A
    layer narrower than the widest spreads over the height (up to 4 rows apart), so
    that its edges fan out less and their labels find room."""
    rows = _rows(sizes)
    placed = []
    for width in sizes:
        slots: list[int | None] = list(range(width))
        if width > SHOWN_UNITS:
            slots = [*range(6), None, *range(width - 5, width)]
        gap = min(4.0, (rows - 1) / (len(slots) - 1)) if len(slots) > 1 else 1.0
        ys = gap * np.linspace(0.5 * (len(slots) - 1), -0.5 * (len(slots) - 1), len(slots))
        placed.append(dict(zip(slots, ys)))
    return placed


def _rows(sizes: list[int]) -> int:
    """The height drawn, in rows: the widest layer's units as shown, and at least 5, so
    that a small network's edges spread far enough apart to label."""
    return max(min(max(sizes), SHOWN_UNITS), 5)


def size(e: Pass) -> tuple[float, float]:
    """The figure size (inches) that fits the network's widest layer as drawn, and room
    between the columns for the edges' labels."""
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    return 3.6 * len(sizes), 1.4 * _rows(sizes) + 1.6


def _node_label(e: Pass, s: Symbols, ell: int, u: int, sample: int) -> str:
    if ell == 0:
        return f"{s.input(u + 1)} = {n.num(e.x[sample, u])}"
    layer = e.layers[ell - 1]
    pre = s.pre(ell, u + 1)
    lines = [f"{pre} = {n.num(layer.z[sample, u])}"]
    if layer.activation != "identity" or layer.skip is not None:
        skip = "" if layer.skip is None else " + " + (
            s.input(u + 1) if layer.skip == 0 else s.post(layer.skip, u + 1))
        lines.append(f"{s.post(ell, u + 1)} = {layer.activation}({pre}){skip} = "
                     f"{n.num(layer.a[sample, u])}")
    # the box is the unit's: its own z and b need no subscripts in ∂/∂z and ∂/∂b
    lines.append(f"{s.d(pre.strip('$').split('_')[0])} = {n.num(layer.dz[sample, u])}")
    if layer.b is not None:
        bias = s.bias(ell, u + 1)
        lines.append(f"{bias} = {n.num(layer.b[u])}, {s.d(bias.strip('$').split('_')[0])} = "
                     f"{n.num(layer.db[u])}")
    return "\n".join(lines)


def draw_pass(e: Pass, sample: int = 0, ax: Any = None) -> Any:
    """The figure for sample `sample` (from 0) of the batch (a matplotlib Figure, not
    shown), or drawn into the axes `ax` (then its figure is returned)."""
    batch = e.x.shape[0]
    if isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or not (
            0 <= sample < batch):
        raise ValueError(f"figure: sample={sample!r} is not in the batch; use 0..{batch - 1}")
    s = Symbols(e)
    sizes = [e.x.shape[1]] + [layer.units for layer in e.layers]
    ys, rows = _positions(sizes), _rows(sizes)
    if ax is None:
        ax = side_by_side([e])[1][0]
    # the limits come first: labels are measured where they will be drawn
    ax.set_xlim(-0.35, len(sizes) - 0.65)
    ax.set_ylim(-0.5 * rows - 0.3, 0.5 * rows + 0.6)
    ax.axis("off")
    placer = Placer(ax)
    shown = [[u for u in column if u is not None] for column in ys]
    for ell, layer in enumerate(e.layers, start=1):
        norm = np.abs(layer.W).max() or 1.0
        for i in shown[ell - 1]:
            for j in shown[ell]:
                w = layer.W[i, j]
                ax.plot([ell - 1, ell], [ys[ell - 1][i], ys[ell][j]], zorder=1, alpha=0.6,
                        color="tab:red" if w < 0 else "tab:blue", lw=0.5 + 2.5 * abs(w) / norm)
        if layer.skip is not None:
            for u in set(shown[layer.skip]) & set(shown[ell]):
                ax.annotate("", (ell, ys[ell][u]), (layer.skip, ys[layer.skip][u]), zorder=1,
                            arrowprops={"arrowstyle": "-", "ls": "--", "color": "gray",
                                        "connectionstyle": "arc3,rad=0.35"})
    for ell, width in enumerate(sizes):
        for u, y in ys[ell].items():
            if u is None:
                placer.take(ax.text(ell, y, f"⋮ {width - SHOWN_UNITS + 1} more units",
                                    ha="center", va="center", fontsize=7, color="gray"))
            else:
                placer.take(ax.text(ell, y, _node_label(e, s, ell, u, sample), fontsize=7,
                                    ha="center", va="center", zorder=4, bbox=NODE_BOX))
        skip = next((layer.skip for layer in e.layers if layer.index == ell
                     and layer.skip is not None), None)
        head = "input x" if ell == 0 else f"layer {ell}"
        if skip is not None:
            head += f" (+ skip from {'x' if skip == 0 else f'layer {skip}'}, dashed)"
        placer.take(ax.text(ell, 0.5 * rows + 0.3, head, ha="center", fontsize=9))
    left_out, too_many = [], []
    for ell, layer in enumerate(e.layers, start=1):
        if len(shown[ell - 1]) * len(shown[ell]) > EDGE_LABELS_UP_TO:
            too_many.append(str(ell))
            continue
        order = along(sizes[ell - 1] < sizes[ell], sizes[ell] < sizes[ell - 1])
        # flat edges first: a label can sit anywhere along a steep edge's many heights,
        # along a flat one only at one, which the others must not take first
        edges = sorted(((i, j) for j in shown[ell] for i in shown[ell - 1]),
                       key=lambda ij: abs(ys[ell][ij[1]] - ys[ell - 1][ij[0]]))
        for i, j in edges:
            symbol = s.weight(ell, i + 1, j + 1)
            grad = f"{s.d(symbol.strip('$').split('_')[0].split('^')[0])} = "
            value = f"{symbol} = {n.num(layer.W[i, j])}"
            label = ax.text(0, 0, "", fontsize=6.5, ha="center", va="center", zorder=3,
                            bbox=EDGE_BOX)
            y0, y1 = ys[ell - 1][i], ys[ell][j]
            # on the edge, else nudged up or down by less than half a label's
            # height, so that the edge still runs through the label
            where = [(ell - 1 + t, y0 + t * (y1 - y0) + dy) for dy in (0.0, 0.1, -0.1)
                     for t in order]
            # two lines, narrow, where there is room; else one, flatter
            for sep in ("\n", ", "):
                label.set_text(f"{value}{sep}{grad}{n.num(layer.dW[i, j])}")
                if placer.place(label, where, keep=sep == "\n"):
                    break
            else:
                left_out.append(ell)
    q = "H" if e.symbol == "H" else ("L" if e.notation == "003" else "ℓ")
    over = f"; ∂{q}/∂W, ∂{q}/∂b summed over all {batch} samples" if batch > 1 else ""
    missing = ""
    if too_many:
        missing += f"\nlayer {', '.join(too_many)}: too many weights to label"
    if left_out:
        which = ", ".join(str(ell) for ell in sorted(set(left_out)))
        missing += f"\nlayer {which}: some weights unlabelled (no room)"
    if missing:
        missing += "; the text has every number"
    ax.set_title(f"{q} = {n.num(e.loss)}: values of sample {sample} (from 0) of {batch} on "
                 f"the units, weights and ∂{q}/∂W on the edges{over}{missing}", fontsize=9)
    return ax.figure


def side_by_side(parts: list[Pass]) -> tuple[Any, list[Any]]:
    """A figure with one empty axes per explanation, side by side, sized for the first.
    Its dpi is the one PNGs are saved at: labels are placed by measuring them, and
    matplotlib parses mathtext again for every dpi it is measured at."""
    width, height = size(parts[0])
    fig, axes = new_figure(1, len(parts), figsize=(width * len(parts), height), squeeze=False,
                           gridspec_kw={**MARGINS, "top": 1 - 0.75 / height})
    fig.set_dpi(DPI)
    return fig, list(axes[0])
