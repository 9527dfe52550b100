"""`mlp`: the multi-layer perceptron, Linear layers with an activation between them."""

from __future__ import annotations

from typing import Any, Sequence

from nnlite.checks import require_int
from nnlite.nn.container import Residual, Sequential
from nnlite.nn.dropout import Dropout
from nnlite.nn.linear import Linear
from nnlite.nn.module import Module
from nnlite.nn.rng import as_rng
from nnlite.registry import registry


def mlp(
    sizes: Sequence[int],
    activation: str = "relu",
    output_activation: str | None = None,
    weight_init: Any = "he_normal",
    bias_init: Any = "zeros",
    dropout: float = 0.0,
    residual: bool = False,
    rng: Any = None,
    dtype: Any = None,
    input_grad: bool = False,
) -> Sequential:
    """Linear layers of the given sizes with `activation` between them.

    sizes = [d_in, h_1, ..., h_k, d_out]. Each hidden block is Linear -> activation
    (-> Dropout(p) if dropout > 0). With residual=True, hidden blocks whose input and
    output widths match are wrapped as x + block(x) (blocks that change width cannot be).
    The last Linear is followed by `output_activation` if given (losses on logits want none).
    The network's input is data, so by default (input_grad=False) `backward(dout)` skips
    the gradient with respect to it and returns None; `backward(dout, input_grad=True)`
    asks for it, and input_grad=True makes that the default.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"mlp: sizes needs at least an input and an output size, got {sizes}")
    for s in sizes:
        require_int("mlp: size", s, where=f" (sizes={sizes})")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"mlp: dropout must be in [0, 1), got {dropout!r}")
    rng = as_rng(rng)
    layers: list[Module] = []
    for d_in, d_out in zip(sizes[:-2], sizes[1:-1]):
        block: list[Module] = [
            Linear(d_in, d_out, weight_init=weight_init, bias_init=bias_init, rng=rng, dtype=dtype),
            registry.create("activations", activation, expected=Module),
        ]
        if dropout > 0:
            block.append(Dropout(dropout, rng=rng))
        if residual and d_in == d_out:
            layers.append(Residual(Sequential(*block)))
        else:
            layers.extend(block)
    layers.append(
        Linear(sizes[-2], sizes[-1], weight_init=weight_init, bias_init=bias_init, rng=rng,
               dtype=dtype)
    )
    if output_activation:
        layers.append(registry.create("activations", output_activation,
                                      expected=Module))
    return Sequential(*layers, input_grad=input_grad)

