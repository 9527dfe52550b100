"""What the figure writes, in the explanation's notation, as matplotlib mathtext: a
weight W^(l)_ij becomes $W^{(l)}_{ij}$ (note 004), $A^{(l)}_{ji}$ (note 000) or
$A_{ji}$ (note 003); a unit's z and a, an input and a bias likewise. And `Placer`, which
puts a label only where it covers no label already drawn.
"""

from __future__ import annotations

import re
from typing import Any

from nnlite.explain import notation as n
from nnlite.explain.trace import Pass
from nnlite.explain.walk_symbols import Var, style, variables

_SYMBOL = re.compile(r"^([A-Za-z]\w*?)(?:\^\((\d+)\))?(?:_(\{[\d,]+\}|\d+))?$")


def mathtext(symbol: str) -> str:
    """'W^(1)_21' -> '$W^{(1)}_{21}$', 'z3_1' -> '$z3_{1}$', 'x_{10}' -> '$x_{10}$'."""
    m = _SYMBOL.match(symbol)
    if not m:
        return symbol
    base, sup, sub = m.groups()
    text = base + (f"^{{({sup})}}" if sup else "") + (f"_{{{sub.strip('{}')}}}" if sub else "")
    return f"${text}$"


class Symbols:
    """The figure's symbols for one explanation (units and inputs counted from 1; a
    weight (ell, i, j) goes from unit i of layer ell-1 to unit j of layer ell)."""

    def __init__(self, e: Pass) -> None:
        self.e = e
        self.q = r"\ell" if e.symbol == "ℓ" else "H"  # mathtext, without the $ signs
        if e.notation == "003" and e.symbol == "ℓ":
            self.q = "L"
        if e.notation != "004":
            self.s = style(e)
            self.vars: dict[int, tuple[Var, Var]] = {}
            for v in variables(e, self.s)[1:]:
                if v.layer is not None:
                    first = self.vars.get(v.layer.index, (v, v))[0]
                    self.vars[v.layer.index] = (first, v)

    def d(self, of: str) -> str:
        """∂q/∂of in mathtext, `of` a mathtext symbol without $ signs: ∂ℓ/∂W."""
        return rf"$\partial {self.q}/\partial {of}$"

    def weight(self, ell: int, i: int, j: int) -> str:
        if self.e.notation == "004":
            return mathtext(n.W(ell, i, j))
        return mathtext(self.s.weight(ell, j, i))

    def bias(self, ell: int, j: int) -> str:
        if self.e.notation == "004":
            return mathtext(n.b(ell, j))
        return mathtext(self.s.bias_entry(ell, j))

    def pre(self, ell: int, j: int) -> str:
        if self.e.notation == "004":
            return mathtext(n.z(ell, j))
        return mathtext(self.s.entry(self.vars[ell][0], j))

    def post(self, ell: int, j: int) -> str:
        if self.e.notation == "004":
            return mathtext(n.a(ell, j))
        return mathtext(self.s.entry(self.vars[ell][1], j))

    def input(self, i: int) -> str:
        return mathtext(n.a(0, i))


class Placer:
    """Labels that never cover each other: each new one tries its positions in turn and
    keeps the first whose box (display pixels, padded) meets no box already taken."""

    def __init__(self, ax: Any) -> None:
        self.ax = ax
        fig = ax.figure
        if not hasattr(fig.canvas, "get_renderer"):
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)  # a renderer to measure text with, as saving will draw
        self.renderer = fig.canvas.get_renderer()
        self.taken: list[Any] = []

    def box(self, text: Any) -> Any:
        pad = (text.get_bbox_patch().get_boxstyle().pad if text.get_bbox_patch() else 0.0)
        pixels = (pad * text.get_fontsize() + 1.0) * self.ax.figure.dpi / 72.0
        return text.get_window_extent(self.renderer).padded(pixels)

    def take(self, text: Any) -> Any:
        self.taken.append(self.box(text))
        return text

    def place(self, text: Any, positions: list[tuple[float, float]], keep: bool = False) -> bool:
        """Move `text` to the first free position and keep it there; with none free,
        remove it (or leave it, with `keep`, for the caller to try again)."""
        for xy in positions:
            text.set_position(xy)
            box = self.box(text)
            if not any(box.overlaps(other) for other in self.taken):
                self.taken.append(box)
                return True
        if not keep:
            text.remove()
        return False
