"""One forward and one backward pass, layer by layer, kept for reading: `explain()`.

A network is read as a chain of Linear layers, each followed by the parameter-free
modules after it (its activation g; the identity if there are none), with the skips of
its Residual blocks (chain.py). The pass runs on a deep copy of the model in eval mode,
so the model, its gradients, its caches and its random state are exactly as they were.
The backward pass is written out here rather than taken from `model.backward`: dW, db
and the gradient handed to the layer below come straight from the chain rule, so
nothing depends on a layer returning (or skipping, as a network's first layer may) the
gradient with respect to its input.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnlite.explain.chain import chain
from nnlite.nn.activations import Elementwise, Softmax
from nnlite.nn.dropout import Dropout
from nnlite.nn.losses import Loss
from nnlite.nn.module import Module
from nnlite.plugins.factories import loss as loss_by_name


@dataclass
class LayerTrace:
    """Layer l (1-based) of the chain, for a batch of N samples.

    W: (units_in, units), W[i, j] from unit i of layer l-1 to unit j of layer l (a copy);
    b: (units,) or None; a_prev: (N, units_in) = a^(l-1) (a^(0) = x);
    z = a_prev @ W + b: (N, units); gz = g(z) and a = gz, or a = gz + a^(skip) at the
    end of a Residual block (skip = s, a^(0) = x): (N, units);
    da = d quantity / d a, dz = d quantity / d z: (N, units);
    dW = a_prev.T @ dz (summed over the batch), W's shape; db = dz summed over the batch,
    or None without a bias; g_prime = g'(z) (N, units) when g acts elementwise, else None
    (softmax: dz = J_g(z)^T da, and `softmax` says g is nnlite's own).
    """

    index: int
    W: np.ndarray
    b: np.ndarray | None
    a_prev: np.ndarray
    z: np.ndarray
    a: np.ndarray
    dz: np.ndarray
    da: np.ndarray
    dW: np.ndarray
    db: np.ndarray | None
    activation: str
    g_prime: np.ndarray | None
    gz: np.ndarray | None = None
    skip: int | None = None
    softmax: bool = False

    @property
    def units(self) -> int:
        return self.W.shape[1]


@dataclass
class Pass:
    """What one forward and backward pass computed.

    loss: the value differentiated (the loss, or H = the sum of the outputs without one);
    layers: one `LayerTrace` per Linear layer, l = 1..L, with z, a, dz, da, dW, db;
    x: (N, d) = a^(0); dx: d loss / d x, (N, d); output: (N, units of L) = a^(L);
    target: as given (None without a loss); loss_name: the loss's repr, or "H";
    symbol: "ℓ" with a loss, "H" without; loss_fn: the loss (a private copy) or None;
    notation: "004", "000" or "003", the note whose symbols the text uses; sample: the
    sample (from 0) the figure, the paths and a Jacobian show.
    """

    loss: float
    layers: list[LayerTrace]
    x: np.ndarray
    dx: np.ndarray
    output: np.ndarray
    target: np.ndarray | None
    loss_name: str
    symbol: str
    loss_fn: Loss | None = None
    notation: str = "004"
    sample: int = 0


def activation_name(modules: list[Module]) -> str:
    named = [type(m).__name__.lower() for m in modules if not isinstance(m, Dropout)]
    return " then ".join(named) or "identity"


def apply(modules: list[Module], x: np.ndarray) -> np.ndarray:
    for m in modules:
        x = m.forward(x)
    return x


def back(modules: list[Module], dout: np.ndarray) -> np.ndarray:
    for m in reversed(modules):
        dout = m.backward(dout)
    return dout


def the_loss(loss: Loss | str | None, target: Any) -> Loss | None:
    """A private copy of the loss (its cache is not the caller's), by instance or name."""
    if loss is None:
        if target is not None:
            raise ValueError("explain: a target was given without a loss; pass loss= "
                             "(a Loss or a registered name such as 'mse')")
        return None
    if target is None:
        raise ValueError("explain: a loss needs a target")
    if isinstance(loss, str):
        return loss_by_name(loss)
    if not isinstance(loss, Loss):
        raise ValueError(f"explain: loss must be a Loss or a registered name, got {loss!r}")
    return copy.deepcopy(loss)


def trace(model: Module, x: Any, target: Any = None,
          loss: Loss | str | None = None) -> dict[str, Any]:
    """The forward and backward pass of `model` on x: (N, d) (or (d,), one sample).

    With a loss, the quantity differentiated is loss(output, target); without one it is
    H, the sum of the outputs (for one sample and one output unit, the network's output
    itself, as in the notes' dH/dW questions). Returns the fields of a `Pass`.
    """
    loss_fn = the_loss(loss, target)
    work = copy.deepcopy(model).eval()
    before, groups = chain(work)
    dtype = groups[0].linear.weight.data.dtype
    x = np.asarray(x, dtype=dtype)
    if x.ndim == 1:
        x = x[None]
    first = groups[0].linear.in_features
    if not before and (x.ndim != 2 or x.shape[1] != first):
        raise ValueError(f"explain: x has shape {x.shape}; the first layer takes (N, "
                         f"{first}) (or one sample of {first} values)")
    acts = [apply(before, x)]  # a^(0) = x, then a^(l) for each layer l
    forward = []
    for index, group in enumerate(groups, start=1):
        z = acts[-1] @ group.linear.weight.data
        if group.linear.bias is not None:
            z = z + group.linear.bias.data
        gz = apply(group.after, z)
        if group.skip is not None and acts[group.skip].shape != gz.shape:
            raise ValueError(f"explain: the Residual block of layers {group.skip + 1}..{index} "
                             f"maps {acts[group.skip].shape[1]} units to {gz.shape[1]}; "
                             "x + f(x) needs them equal")
        acts.append(gz if group.skip is None else gz + acts[group.skip])
        forward.append((z, gz))
    output = acts[-1]
    if loss_fn is None:
        value, dout = float(output.sum()), np.ones_like(output)
    else:
        value = float(loss_fn(output, np.asarray(target)))
        dout = np.asarray(loss_fn.backward(), dtype=dtype)
    layers: list[LayerTrace] = []
    identity: dict[int, np.ndarray] = {}  # ∂/∂a^(s) through a skip, added when s is reached
    da = dout
    for index in range(len(groups), 0, -1):
        group, (z, gz) = groups[index - 1], forward[index - 1]
        after, linear = group.after, group.linear
        dz = np.asarray(back(after, da), dtype=dtype)
        elementwise = all(isinstance(m, (Elementwise, Dropout)) for m in after)
        g_prime = np.asarray(back(after, np.ones_like(z))) if elementwise else None
        W = linear.weight.data.copy()
        layers.insert(0, LayerTrace(
            index=index, W=W, b=None if linear.bias is None else linear.bias.data.copy(),
            a_prev=acts[index - 1], z=z, a=acts[index], dz=dz, da=da, dW=acts[index - 1].T @ dz,
            db=None if linear.bias is None else dz.sum(axis=0), activation=activation_name(after),
            g_prime=g_prime, gz=gz, skip=group.skip,
            softmax=[type(m) for m in after if not isinstance(m, Dropout)] == [Softmax]))
        if group.skip is not None:
            identity[group.skip] = da
        da = dz @ W.T
        if index - 1 in identity:
            da = da + identity.pop(index - 1)
    return {"loss": value, "layers": layers, "x": acts[0], "dx": da, "output": output,
            "target": None if target is None else np.asarray(target),
            "loss_name": "H" if loss_fn is None else repr(loss_fn),
            "symbol": "H" if loss_fn is None else "ℓ", "loss_fn": loss_fn}
