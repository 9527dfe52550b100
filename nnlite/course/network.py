"""A network in plain numbers, as a worked example or a quiz writes it, checked and built.

    [{"W": [[1, -2], [3, 1]], "b": None, "activation": "relu"},
     {"W": [[2], [-1]], "b": None, "activation": "identity"}]

W is layer l's W^(l), one row per unit of layer l-1 and one column per unit of layer l
(W^(l)_ij from unit i of layer l-1 to unit j of layer l); b is b^(l) or null; the
activation is a registered name. Every mistake is an `ExampleError` whose one line
names the bad value (network[1].W) and what is allowed.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

import numpy as np

from nnlite.nn.container import Sequential
from nnlite.nn.linear import Linear
from nnlite.plugins.factories import activation
from nnlite.registry import registry

MAX_LAYERS, MAX_UNITS, MAX_ABS = 8, 16, 1e6
LAYER_KEYS = ("W", "b", "activation")


class ExampleError(ValueError):
    """A worked example or quiz file that is not what the format allows (one line)."""


def checked_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ExampleError(f"{where}: {value!r} is not a number")
    if not math.isfinite(value) or abs(value) > MAX_ABS:
        raise ExampleError(f"{where}: {value!r} is not a finite number of at most {MAX_ABS:g} "
                           "in size")
    return float(value)


def vector(value: Any, where: str, length: int | None = None) -> list[float]:
    if not isinstance(value, list) or not value or len(value) > MAX_UNITS:
        raise ExampleError(f"{where}: {value!r} is not a list of 1 to {MAX_UNITS} numbers")
    if length is not None and len(value) != length:
        raise ExampleError(f"{where} has {len(value)} numbers; it needs {length}")
    return [checked_number(v, f"{where}[{k}]") for k, v in enumerate(value)]


def checked_matrix(value: Any, where: str) -> list[list[float]]:
    if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
        raise ExampleError(f"{where}: {value!r} is not a list of rows (one per unit of the "
                           "layer below), e.g. [[1, -2], [3, 1]]")
    rows = [vector(r, f"{where}[{i}]") for i, r in enumerate(value)]
    if len(rows) > MAX_UNITS or len({len(r) for r in rows}) != 1:
        raise ExampleError(f"{where}: its rows must all have the same length, and there may be "
                           f"at most {MAX_UNITS}; got row lengths {[len(r) for r in rows]}")
    return rows


def checked_activation(value: Any, where: str) -> str:
    known = registry.names("activations")
    if not isinstance(value, str) or value not in known:
        close = difflib.get_close_matches(str(value), known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ExampleError(f"{where}: {value!r} is not an activation{hint}; allowed: "
                           f"{', '.join(known)}")
    return value


def layers(value: Any, inputs: int, where: str = "network") -> list[dict[str, Any]]:
    """The checked layers, for an input of `inputs` numbers."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_LAYERS:
        raise ExampleError(f"{where}: must be a list of 1 to {MAX_LAYERS} layers, each "
                           "{W: [[...], ...], b: [...] or null, activation: NAME}")
    out, units = [], inputs
    for k, layer in enumerate(value):
        at = f"{where}[{k}]"
        if not isinstance(layer, dict):
            raise ExampleError(f"{at}: {layer!r} is not a layer; write {{W: [[...]], b: null, "
                               "activation: relu}")
        unknown = sorted(set(layer) - set(LAYER_KEYS))
        if unknown or "W" not in layer:
            raise ExampleError(f"{at}: {'unknown key ' + repr(unknown[0]) if unknown else 'no W'}"
                               f"; a layer has {', '.join(LAYER_KEYS)} (W required)")
        W = checked_matrix(layer["W"], f"{at}.W")
        if len(W) != units:
            below = "the input x" if k == 0 else f"layer {k}"
            raise ExampleError(f"{at}.W has {len(W)} rows but {below} has {units} units: W^(l) "
                               "has one row per unit of layer l-1, one column per unit of l")
        b = layer.get("b")
        out.append({"W": W, "b": None if b is None else vector(b, f"{at}.b", len(W[0])),
                    "activation": checked_activation(layer.get("activation", "identity"),
                                                  f"{at}.activation")})
        units = len(W[0])
    return out


def build_network(checked: list[dict[str, Any]]) -> Sequential:
    """The network as float64 nnlite modules: Linear(W, b), then the activation."""
    modules = []
    for layer in checked:
        W = np.array(layer["W"], dtype=np.float64)
        linear = Linear(*W.shape, bias=layer["b"] is not None, dtype=np.float64)
        linear.weight.data[...] = W
        if layer["b"] is not None:
            linear.bias.data[...] = layer["b"]
        modules.append(linear)
        if layer["activation"] != "identity":
            modules.append(activation(layer["activation"]))
    return Sequential(*modules)


def plain(value: float) -> int | float:
    """A number as JSON or YAML should show it: 3, not 3.0."""
    return int(value) if float(value).is_integer() else float(value)


def as_data(checked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"W": [[plain(v) for v in row] for row in layer["W"]],
             "b": None if layer["b"] is None else [plain(v) for v in layer["b"]],
             "activation": layer["activation"]} for layer in checked]
