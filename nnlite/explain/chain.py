"""A network read as the notes draw it: a chain of Linear layers, each followed by the
parameter-free modules after it (its activation g; the identity if there are none), and
the skips of its `Residual` blocks.

A Residual block that starts with a Linear layer, a^(l) = a^(s) + f(a^(s)), becomes a
skip on the block's last layer l: that layer's output is g(z^(l)) plus a^(s), the
block's input (a^(0) = x), so backward adds the identity path's term to ∂/∂a^(s).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnlite.nn.container import Residual, Sequential
from nnlite.nn.dropout import Dropout
from nnlite.nn.flatten import Flatten
from nnlite.nn.linear import Linear
from nnlite.nn.module import Module


@dataclass
class Group:
    """Layer l: its Linear, the modules after it, and `skip` = s when a^(s) is added to
    its output (the end of a Residual block that began after layer s)."""

    linear: Linear
    after: list[Module] = field(default_factory=list)
    skip: int | None = None


_BEGIN, _END = object(), object()


def items(module: Module) -> list[object]:
    """The modules a network applies, in order, Sequentials opened and each Residual's
    contents between a begin and an end marker."""
    if isinstance(module, Sequential):
        return [item for layer in module for item in items(layer)]
    if isinstance(module, Residual):
        inner = items(module.module)
        if any(item is _BEGIN for item in inner):
            raise ValueError("explain: a Residual inside a Residual is not walked; each "
                             "block's skip must end before the next one begins")
        return [_BEGIN, *inner, _END]
    return [module]


def leaves(module: Module) -> list[Module]:
    """The modules a network applies, in order (Residuals opened)."""
    return [item for item in items(module) if isinstance(item, Module)]


def chain(model: Module) -> tuple[list[Module], list[Group]]:
    """(modules before the first Linear, one Group per Linear layer in order)."""
    before: list[Module] = []
    groups: list[Group] = []
    begun: int | None = None  # layers done when the open Residual block began
    closed = False  # a Residual just ended: only a Linear, a block or the end may follow
    for item in items(model):
        if item is _BEGIN:
            begun, closed = len(groups), False
        elif item is _END:
            if begun is None or len(groups) == begun:
                raise ValueError("explain: a Residual block must start with a Linear layer "
                                 "(its skip then adds the block's input a^(s) to its output)")
            groups[-1].skip, begun, closed = begun, None, True
        elif isinstance(item, Linear):
            groups.append(Group(item))
            closed = False
        elif item.num_parameters():
            raise ValueError(f"explain follows a chain of Linear layers and parameter-free "
                             f"modules (activations, Dropout, Flatten); {type(item).__name__} "
                             "is neither")
        elif closed and not isinstance(item, Dropout):
            # dropout is the identity in eval mode; anything else would act on a^(s) + f
            raise ValueError(f"explain: {type(item).__name__} after a Residual block acts on "
                             "x + f(x); explain walks a block followed by a Linear layer, "
                             "another block or the network's end")
        elif not groups and not isinstance(item, (Flatten, Dropout)):
            # x = a^(0) is the network's input: a function of it before the first layer
            # would make every number printed for "x" a number of g(x) instead
            raise ValueError(f"explain: {type(item).__name__} comes before the first Linear "
                             "layer; only Flatten or Dropout may (x is written a^(0))")
        elif begun is not None and len(groups) == begun:
            raise ValueError(f"explain: a Residual block must start with a Linear layer, not "
                             f"{type(item).__name__}")
        elif not closed:
            (groups[-1].after if groups else before).append(item)
    if not groups:
        raise ValueError(f"explain: {type(model).__name__} has no Linear layer")
    return before, groups
