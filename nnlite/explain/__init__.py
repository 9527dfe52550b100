"""Backpropagation, step by step: the working of a forward and backward pass, printed
and drawn in the course notes' notation.

    explanation.py   nl.explain(model, x, target, loss) -> Explanation
    trace.py         the pass itself, layer by layer, on a copy of the model
    text.py          the pass as text (notation.py: the notes' symbols and numbers)
    paths.py         the chain rule as a sum over paths (note 004's fill-in questions)
    figure.py        the network as a computation graph (matplotlib, imported on use)
    graph.py         scalar computation graphs (add, mul, exp, ln, sigmoid, square):
                     forward values, local gradients, backward values; graph_figure.py

numpy only until a figure is drawn, and nothing but this file until something here is
used: `import nnlite` (and every run of the command line) does not pay for the explainer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nnlite.explain.explanation import Explanation
    from nnlite.nn.losses import Loss
    from nnlite.nn.module import Module

# name -> (module, attribute or None for the module itself), loaded on first use (PEP 562)
_LAZY = {"Explanation": ("nnlite.explain.explanation", "Explanation"),
         "LayerTrace": ("nnlite.explain.trace", "LayerTrace"),
         "Path": ("nnlite.explain.paths", "Path"), "Paths": ("nnlite.explain.paths", "Paths"),
         "graph": ("nnlite.explain.graph", None)}


def explain(model: Module, x: Any, target: Any = None, loss: Loss | str | None = None,
            notation: str = "004", sample: int | None = None) -> Explanation:
    """One forward and backward pass of `model` on x: (N, d) or (d,), kept layer by layer,
    printed in note `notation`'s symbols ("004", "000"/"001" or "003"); `sample` is the
    one the figure draws (see `nnlite.explain.explanation.explain`, loaded on first use)."""
    from nnlite.explain.explanation import explain_pass as explain_pass

    return explain_pass(model, x, target, loss, notation, sample)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'nnlite.explain' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


__all__ = ["Explanation", "LayerTrace", "Path", "Paths", "explain", "graph"]


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
