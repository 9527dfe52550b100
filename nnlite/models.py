"""`mlp`: the multi-layer perceptron builder used by configs, tests and examples."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from nnlite.factories import activation as make_activation
from nnlite.layers import Dropout, Linear, Residual, Sequential, as_rng
from nnlite.module import Module


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
) -> Sequential:
    """Linear layers of the given sizes with `activation` between them.

    sizes = [d_in, h_1, ..., h_k, d_out]. Each hidden block is Linear -> activation
    (-> Dropout(p) if dropout > 0). With residual=True, hidden blocks whose input and
    output widths match are wrapped as x + block(x) (blocks that change width cannot be).
    The last Linear is followed by `output_activation` if given (losses on logits want none).
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"mlp: sizes needs at least an input and an output size, got {sizes}")
    for s in sizes:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s <= 0:
            raise ValueError(f"mlp: every size must be a positive integer, got {s!r} in {sizes}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"mlp: dropout must be in [0, 1), got {dropout!r}")
    rng = as_rng(rng)
    layers: list[Module] = []
    for d_in, d_out in zip(sizes[:-2], sizes[1:-1]):
        block: list[Module] = [
            Linear(d_in, d_out, weight_init=weight_init, bias_init=bias_init, rng=rng, dtype=dtype),
            make_activation(activation),
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
        layers.append(make_activation(output_activation))
    return Sequential(*layers)


WIDTH_PARAMETERS = ("in_features", "num_features", "features", "normalized_shape")


def sequential_from_specs(
    specs: Sequence[dict[str, Any]], n_inputs: int, n_outputs: int, rng: Any = None,
    dtype: Any = None, weight_init: Any = "he_normal", bias_init: Any = "zeros",
) -> Sequential:
    """A Sequential from config-style layer specs, e.g.

        [{"type": "linear", "out_features": 16}, {"type": "layernorm"},
         {"type": "relu"}, {"type": "linear", "out_features": "out"}]

    `type` is a registered layer or activation name; the other keys are its keyword
    arguments. The running width is filled in for an omitted `in_features`,
    `num_features`, `features` or `normalized_shape`; `"out"` stands for n_outputs;
    `rng`, `dtype`, `weight_init` and `bias_init` are passed to factories that take them
    (unless the spec sets them).
    """
    import inspect

    from nnlite.factories import layer as make_layer
    from nnlite.plugins import registry

    rng = as_rng(rng)
    width, layers = n_inputs, []
    for i, spec in enumerate(specs):
        kwargs = dict(spec)
        kind = kwargs.pop("type", None)
        if kind is None:
            raise ValueError(
                f"model.layers[{i}] = {spec!r} has no 'type' (a layer or activation name)")
        kwargs = {k: (n_outputs if v == "out" else v) for k, v in kwargs.items()}
        if kind in registry.names("activations") and kind not in registry.names("layers"):
            layers.append(make_activation(kind, **kwargs))
            continue
        parameters = inspect.signature(registry.get("layers", kind)).parameters
        for name in WIDTH_PARAMETERS:
            if name in parameters and name not in kwargs:
                kwargs[name] = width
                break
        defaults = {"rng": rng, "dtype": dtype, "weight_init": weight_init, "bias_init": bias_init}
        for name, value in defaults.items():
            if name in parameters and name not in kwargs:
                kwargs[name] = value
        module = make_layer(kind, **kwargs)
        width = getattr(module, "out_features", width)
        layers.append(module)
    if width != n_outputs:
        raise ValueError(f"model.layers ends with width {width}, but the task needs {n_outputs} "
                         "outputs (end with {type: linear, out_features: out})")
    return Sequential(*layers)


def build_model(spec: dict[str, Any], rng: Any = None, weight_init: Any = "he_normal",
                bias_init: Any = "zeros") -> Sequential:
    """The model a run describes (`spec` as stored in model.npz's metadata)."""
    sizes = spec["sizes"]
    if spec.get("layers"):
        return sequential_from_specs(spec["layers"], sizes[0], sizes[-1], rng=rng,
                                     dtype=spec.get("dtype"), weight_init=weight_init,
                                     bias_init=bias_init)
    return mlp(sizes, activation=spec["activation"],
               output_activation=spec.get("output_activation"),
               weight_init=weight_init, bias_init=bias_init, dropout=spec.get("dropout", 0.0),
               residual=spec.get("residual", False), rng=rng, dtype=spec.get("dtype"))
