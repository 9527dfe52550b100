"""`nl.explain(model, x, target, loss)`: one forward and backward pass, with every
intermediate value kept and printed in the notes' notation.

    e = nl.explain(model, x, y, "mse")
    e.loss, e.layers[0].dW     # numbers; one entry per Linear layer l = 1..L
    print(e)                   # the forward pass, then the chain rule with numbers
    e.paths(1, "W^(1)_12")     # every chain-rule path from a weight or input to an output
    e.figure()                 # the computation graph (matplotlib)
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from nnlite.explain import text
from nnlite.explain.paths import Paths, paths
from nnlite.explain.trace import Pass, trace
from nnlite.nn.losses import Loss
from nnlite.nn.module import Module


class Explanation(Pass):
    """What one forward and backward pass computed (the fields of `Pass`: loss, layers,
    x, dx, output, target, loss_name, symbol), and ways to read it."""

    def __str__(self) -> str:
        return text.render(self)

    def __repr__(self) -> str:
        sizes = "-".join(str(s) for s in [self.x.shape[1]] + [la.units for la in self.layers])
        return (f"Explanation({self.symbol} = {self.loss:.6g}, a {sizes} network, "
                f"{self.x.shape[0]} sample(s); print() it for the working)")

    def to_markdown(self, title: str = "Forward and backward pass", level: int = 1) -> str:
        """The same text as `str()`, as Markdown: a heading of `level` and fenced blocks."""
        return text.markdown(self, title, level)

    def paths(self, output: int = 1, weight: str | tuple[int, ...] = "x_1",
              sample: int = 0) -> Paths:
        """Every path from `weight` ('W^(l)_ij', 'x_i', (l, i, j) or (i,), from 1) to
        output unit `output` (from 1), each a product of symbols and numbers; `.total`
        is their sum, d output / d weight at sample `sample`."""
        return paths(self, output, weight, sample)

    def figure(self, sample: int = 0, ax: Any = None) -> Any:
        """The network as a computation graph for one sample (a matplotlib Figure), or
        drawn into the matplotlib axes `ax`."""
        from nnlite.explain.figure import draw

        return draw(self, sample, ax)

    def save_figure(self, path: FilePath | str, sample: int = 0) -> None:
        """`figure()` written to a PNG (atomically: no half-written file is ever seen)."""
        from nnlite.plots.figure import save

        save(self.figure(sample), FilePath(path))


def explain(model: Module, x: Any, target: Any = None,
            loss: Loss | str | None = None) -> Explanation:
    """One forward and backward pass of `model` on x: (N, d) or (d,), kept layer by layer.

    loss: a Loss instance or a registered name ("mse", "bce_with_logits", ...) with its
    target; without both, the quantity differentiated is H, the network's output summed
    (the notes' dH/dW questions). The model is read, never changed: the pass runs on a
    copy in eval mode (dropout off), and the model's gradients, caches and random state
    are untouched.
    """
    return Explanation(**trace(model, x, target, loss))
