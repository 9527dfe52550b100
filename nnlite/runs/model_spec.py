"""A run's model as plain data: `model_spec` writes it from a config, `model_from_spec`
builds the model from it (training, and `load_run` reading model.npz)."""

from __future__ import annotations

import inspect
from typing import Any, Sequence

from nnlite.data import Dataset
from nnlite.nn.container import Sequential
from nnlite.nn.mlp import mlp
from nnlite.nn.module import Module
from nnlite.nn.rng import as_rng
from nnlite.registry import registry
from nnlite.runs.config.schema import Config
from nnlite.runs.metrics import output_size


def model_spec(config: Config, train: Dataset, loss_name: str) -> dict[str, Any]:
    """Everything `nl.mlp` needs to rebuild the model (stored beside the weights)."""
    m = config.model
    return {
        "sizes": [train.n_features, *m.hidden_sizes(), output_size(train, loss_name)],
        "activation": m.activation,
        "output_activation": m.output_activation,
        "dropout": m.dropout,
        "residual": m.residual,
        "dtype": m.dtype,
        "layers": m.layers,
    }


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
    (unless the spec sets them). Like `nl.mlp`, the result skips the gradient with
    respect to the data unless asked (`backward(dout, input_grad=True)`).
    """
    defaults = {"rng": as_rng(rng), "dtype": dtype, "weight_init": weight_init,
                "bias_init": bias_init}
    width, layers = n_inputs, []
    for i, spec in enumerate(specs):
        module = _layer_from_spec(i, spec, width, n_outputs, defaults)
        width = getattr(module, "out_features", width)
        layers.append(module)
    if width != n_outputs:
        raise ValueError(f"model.layers ends with width {width}, but the task needs {n_outputs} "
                         "outputs (end with {type: linear, out_features: out})")
    return Sequential(*layers, input_grad=False)  # its input is the data


def _layer_from_spec(i: int, spec: dict[str, Any], width: int, n_outputs: int,
                     defaults: dict[str, Any]) -> Module:
    """Layer i of model.layers: an activation, or a layer given the running width and
    the defaults its factory takes (unless the spec sets them)."""
    kwargs = dict(spec)
    kind = kwargs.pop("type", None)
    if kind is None:
        raise ValueError(
            f"model.layers[{i}] = {spec!r} has no 'type' (a layer or activation name)")
    kwargs = {k: (n_outputs if v == "out" else v) for k, v in kwargs.items()}
    if kind in registry.names("activations") and kind not in registry.names("layers"):
        return registry.create("activations", kind, expected=Module, **kwargs)
    parameters = inspect.signature(registry.get("layers", kind)).parameters
    for name in WIDTH_PARAMETERS:
        if name in parameters and name not in kwargs:
            kwargs[name] = width
            break
    for name, value in defaults.items():
        if name in parameters and name not in kwargs:
            kwargs[name] = value
    return registry.create("layers", kind, expected=Module, **kwargs)


def model_from_spec(spec: dict[str, Any], rng: Any = None, weight_init: Any = "he_normal",
                    bias_init: Any = "zeros") -> Sequential:
    """The model a spec describes (as `model_spec` makes it and model.npz stores it)."""
    sizes = spec["sizes"]
    if spec.get("layers"):
        return sequential_from_specs(spec["layers"], sizes[0], sizes[-1], rng=rng,
                                     dtype=spec.get("dtype"), weight_init=weight_init,
                                     bias_init=bias_init)
    return mlp(sizes, activation=spec["activation"],
               output_activation=spec.get("output_activation"),
               weight_init=weight_init, bias_init=bias_init, dropout=spec.get("dropout", 0.0),
               residual=spec.get("residual", False), rng=rng, dtype=spec.get("dtype"))
