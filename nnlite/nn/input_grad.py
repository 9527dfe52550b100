"""Asking a module for the gradient with respect to its input, or not.

A network's first layer reads the data, whose gradient nobody needs: for `Linear` it is
one of the three matrix products of its backward. As in PyTorch, where an input's
gradient is computed only for a tensor that requires it, nnlite computes it only when
asked. `Linear`, `Sequential` and `Residual` take `backward(dout, input_grad=...)`;
`nl.mlp` builds a `Sequential(..., input_grad=False)`, so `model.backward(dout)` on it
skips that product and returns None, and `model.backward(dout, input_grad=True)` asks
for dx. A layer whose backward takes only `dout` (most plugins) always returns dx.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from inspect import signature
from typing import Any

import numpy as np

from nnlite.nn.module import Module


def takes_input_grad(module: Module) -> bool:
    """Whether `module.backward` accepts the `input_grad=` keyword."""
    return _has_input_grad(type(module).backward)


@lru_cache(maxsize=None)
def _has_input_grad(backward: Callable[..., Any]) -> bool:
    # Cached per function: the signature is read once per class, not once per step.
    try:
        return "input_grad" in signature(backward).parameters
    except (TypeError, ValueError):  # a builtin or C-level callable: dout only
        return False


def backward_with_input_grad(module: Module, dout: np.ndarray, input_grad: bool) -> Any:
    """`module.backward(dout, input_grad=input_grad)` when the module takes the keyword,
    else `module.backward(dout)` (which always returns dx). With input_grad=True the
    result is dx, shape of the module's input; with False it may be None."""
    if takes_input_grad(module):
        return module.backward(dout, input_grad=input_grad)
    return module.backward(dout)
