"""`nl.explain(model, x, target, loss)`: one forward and backward pass, with every
intermediate value kept and printed in the notes' notation.

    e = nl.explain(model, x, y, "mse")
    e.loss, e.layers[0].dW     # numbers; one entry per Linear layer l = 1..L
    print(e)                   # the forward pass, then the chain rule with numbers
    nl.explain(model, x, y, "mse", notation="003")   # ... in note 003's z1..z4
    e.paths(1, "W^(1)_12")     # every chain-rule path from a weight or input to an output
    e.figure()                 # the computation graph (matplotlib)
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

import numpy as np

from nnlite.explain import render
from nnlite.explain.paths import Paths, paths
from nnlite.explain.trace import Pass, trace
from nnlite.nn.losses import Loss
from nnlite.nn.module import Module

NOTATIONS = ("004", "000", "001", "003")


class Explanation(Pass):
    """What one forward and backward pass computed (the fields of `Pass`: loss, layers,
    x, dx, output, target, loss_name, symbol, notation, sample), and ways to read it."""

    def __str__(self) -> str:
        return render.render(self)

    def __repr__(self) -> str:
        sizes = "-".join(str(s) for s in [self.x.shape[1]] + [la.units for la in self.layers])
        return (f"Explanation({self.symbol} = {self.loss:.6g}, a {sizes} network, "
                f"{self.x.shape[0]} sample(s); print() it for the working)")

    def to_markdown(self, title: str = "Forward and backward pass", level: int = 1) -> str:
        """The same text as `str()`, as Markdown: a heading of `level` and fenced blocks."""
        return render.markdown(self, title, level)

    def paths(self, output: int = 1, weight: str | tuple[int, ...] = "x_1",
              sample: int | None = None) -> Paths:
        """Every path from `weight` ('W^(l)_ij', 'x_i', (l, i, j) or (i,), from 1) to
        output unit `output` (from 1), each a product of symbols and numbers (note 004's);
        `.total` is their sum, d output / d weight at sample `sample` (from 0; by default
        the explanation's own `sample`)."""
        return paths(self, output, weight, self.sample if sample is None else sample)

    def figure(self, sample: int | None = None, ax: Any = None) -> Any:
        """The network as a computation graph for one sample (from 0; by default the
        explanation's own `sample`), a matplotlib Figure, or drawn into the axes `ax`."""
        from nnlite.explain.figure import draw_pass

        return draw_pass(self, self.sample if sample is None else sample, ax)

    def save_figure(self, path: FilePath | str, sample: int | None = None) -> None:
        """`figure()` written to a PNG (atomically: no half-written file is ever seen)."""
        from nnlite.plots.figure import save

        save(self.figure(sample), FilePath(path), tight=False)  # the figure has its margins


def first_sample(x: np.ndarray) -> int:
    """The first sample with an input that is not all zeros (0 if there is none): at an
    all-zero input every z is a bias, so before training such a sample shows nothing."""
    nonzero = np.flatnonzero(np.any(x.reshape(len(x), -1) != 0, axis=1))
    return int(nonzero[0]) if nonzero.size else 0


def explain_pass(model: Module, x: Any, target: Any = None, loss: Loss | str | None = None,
            notation: str = "004", sample: int | None = None) -> Explanation:
    """One forward and backward pass of `model` on x: (N, d) or (d,), kept layer by layer.

    loss: a Loss instance or a registered name ("mse", "bce_with_logits", ...) with its
    target; without both, the quantity differentiated is H, the network's output summed
    (the notes' dH/dW questions). notation: the note whose symbols the text uses: "004"
    (W^(l)_ij, z^(l), a^(l)), "000" or "001" (the column vectors x^(1), x^(2), ... with
    A = W^T, derivatives against gradients) or "003" (z1, z2, ..., the error z = y - ŷ,
    A and b). sample: the sample (from 0) the figure, the paths and a softmax's Jacobian
    show; by default the first whose input is not all zeros. The model is read, never
    changed: the pass runs on a copy in eval mode (dropout off), and the model's
    gradients, caches and random state are untouched.
    """
    if notation not in NOTATIONS:
        raise ValueError(f"explain: notation={notation!r} is not one of "
                         f"{', '.join(repr(k) for k in NOTATIONS)} (note 004's W^(l)_ij, notes "
                         "000 and 001's x^(1)..x^(4), note 003's z1..z4)")
    fields = trace(model, x, target, loss)
    count = len(fields["x"])
    if sample is None:
        sample = first_sample(fields["x"])
    elif isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or not (
            0 <= sample < count):
        raise ValueError(f"explain: sample={sample!r} is not in the batch; use 0..{count - 1}")
    return Explanation(**fields, notation="000" if notation == "001" else notation,
                       sample=int(sample))
