"""Backpropagation, step by step: the working of a forward and backward pass, printed
and drawn in the course notes' notation.

    explanation.py   nl.explain(model, x, target, loss) -> Explanation
    trace.py         the pass itself, layer by layer, on a copy of the model
    text.py          the pass as text (notation.py: the notes' symbols and numbers)
    paths.py         the chain rule as a sum over paths (note 004's fill-in questions)
    figure.py        the network as a computation graph (matplotlib, imported on use)
    graph.py         scalar computation graphs (add, mul, exp, ln, sigmoid, square):
                     forward values, local gradients, backward values; graph_figure.py

numpy only until a figure is drawn.
"""

from nnlite.explain import graph
from nnlite.explain.explanation import Explanation, explain
from nnlite.explain.paths import Path, Paths
from nnlite.explain.trace import LayerTrace

__all__ = ["Explanation", "LayerTrace", "Path", "Paths", "explain", "graph"]
