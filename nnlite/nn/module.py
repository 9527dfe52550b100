"""Parameter and Module: the two abstractions every layer is built from.

A `Parameter` is an array plus the gradient that backward accumulates into it.
A `Module` has an explicit `forward` (which caches what the backward pass needs) and
an explicit `backward` (which returns the gradient w.r.t. the input and ADDS the
gradient w.r.t. each parameter into `param.grad`). There is no autograd tape: the
chain rule is written out, layer by layer, so a reader can check it by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

DEFAULT_DTYPE = np.float32


def resolve_dtype(dtype: object = None) -> np.dtype:
    """`None` -> float32 (the library default); otherwise a float dtype or a clear error."""
    resolved = np.dtype(DEFAULT_DTYPE if dtype is None else dtype)
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype={resolved} is not supported; use float32 or float64")
    return resolved


class Parameter:
    """A trainable array. `.data` keeps the dtype it is given; `.grad` has its shape and dtype.

    `zero_grad()` is lazy: it only marks the gradient as zero, so the next backward can
    write its result straight into `.grad` (`accumulate`) instead of a zeroing pass plus
    an addition. Reading `.grad` while it is marked zero fills it with zeros first, so
    nobody can tell the difference: after `zero_grad()` the gradient IS zero.
    """

    def __init__(self, data: np.ndarray, name: str = "") -> None:
        self.data = np.asarray(data)
        self._grad = np.zeros_like(self.data)
        self._grad_is_zero = False  # True after zero_grad(): _grad's contents are stale
        self.name = name

    @property
    def grad(self) -> np.ndarray:
        """d loss / d data, summed over every backward since the last `zero_grad()`."""
        if self._grad_is_zero:
            self._grad.fill(0)
            self._grad_is_zero = False
        return self._grad

    @grad.setter
    def grad(self, value: np.ndarray) -> None:
        self._grad = value
        self._grad_is_zero = False

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def zero_grad(self) -> None:
        self._grad_is_zero = True

    def accumulate(self, fn: Callable[..., np.ndarray], *args: Any, **kwargs: Any) -> None:
        """`grad += fn(*args, **kwargs)` for a numpy function that takes `out=`.

        Right after `zero_grad()` that is `fn(*args, out=grad, **kwargs)`: the result is
        written into the gradient's own buffer, with no temporary and no zeroing pass.
        """
        if self._grad_is_zero:
            fn(*args, out=self._grad, **kwargs)
            self._grad_is_zero = False
        else:
            self._grad += fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Parameter({self.name or '?'}, shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer, activation and model.

    Subclasses implement `forward(x)` and `backward(dout)`. Parameters are found by
    walking attributes in definition order: `Parameter` attributes first-level, then
    child modules (attributes that are Modules, or lists of Modules).
    """

    training: bool = True

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not implement forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    def _require_forward(self, cached: object) -> None:
        """Raise a clear error when backward is called with nothing cached by forward."""
        if cached is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")

    # -- traversal ---------------------------------------------------------------------
    def children(self) -> Iterator[tuple[str, "Module"]]:
        """Direct sub-modules as (attribute name, module), in definition order."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs: this module's own first, then each child's."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, child in self.children():
            yield from child.named_parameters(prefix + name + ".")

    def parameters(self) -> list[Parameter]:
        """All parameters, in definition order, each once (a weight tied between two
        layers is one parameter). A list: optimizers keep per-parameter state."""
        unique = {id(p): p for _, p in self.named_parameters()}  # dicts keep first order
        return list(unique.values())

    def modules(self) -> Iterator["Module"]:
        """This module and every sub-module, depth first."""
        yield self
        for _, child in self.children():
            yield from child.modules()

    def num_parameters(self) -> int:
        return sum(p.data.size for p in self.parameters())

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    # -- mode ----------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> "Module":
        return self.train(False)

    # -- state ---------------------------------------------------------------------
    def _own_parameters(self) -> dict[str, Parameter]:
        return {name: v for name, v in vars(self).items() if isinstance(v, Parameter)}

    def state_dict(self) -> dict[str, np.ndarray]:
        """name -> copy of each parameter array, children's under "<child>." prefixes.

        Built from each child's own `state_dict()`, so a layer that keeps more than its
        parameters (BatchNorm's running statistics) adds them by overriding it, and they
        are saved wherever the layer sits. Plain arrays: `np.savez` can store it.
        """
        state = {name: p.data.copy() for name, p in self._own_parameters().items()}
        for prefix, child in self.children():
            state.update({f"{prefix}.{k}": v for k, v in child.state_dict().items()})
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy arrays in place; names and shapes must match exactly what this class's
        `state_dict` gives (a subclass that adds entries takes them out before calling
        this, as BatchNorm does with its running statistics)."""
        expected = Module.state_dict(self)
        missing = sorted(set(expected) - set(state))
        unexpected = sorted(set(state) - set(expected))
        if missing or unexpected:
            raise KeyError(f"state_dict mismatch: missing {missing}, unexpected {unexpected}")
        for name, value in state.items():  # every check before the first copy
            if np.shape(value) != expected[name].shape:
                raise ValueError(f"state_dict[{name!r}] has shape {np.shape(value)}, "
                                 f"expected {expected[name].shape}")
            dtype = np.asarray(value).dtype
            if dtype.kind not in "biuf":
                raise ValueError(f"state_dict[{name!r}] holds {dtype}, not numbers")
        for name, p in self._own_parameters().items():
            p.data[...] = state[name]
        for prefix, child in self.children():
            child.load_state_dict({k.removeprefix(f"{prefix}."): v for k, v in state.items()
                                   if k.startswith(f"{prefix}.")})

    # -- description -----------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        kids = list(self.children())
        if not kids:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in kids:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        lines.append(")")
        return "\n".join(lines)

    def summary(self, input_shape: tuple[int, ...], dtype: object = None) -> str:
        """A table of each top-level layer's output shape and parameter count.

        `input_shape` includes the batch dimension, e.g. (1, 784). Runs one forward pass
        in eval mode on zeros (the training flag is restored afterwards).
        """
        layers = list(self) if hasattr(self, "__iter__") else [self]
        x = np.zeros(input_shape, dtype=resolve_dtype(dtype))
        rows = [("layer", "output shape", "params")]
        with eval_mode(self):
            for i, layer in enumerate(layers):
                x = layer.forward(x)
                rows.append((f"{i}: {type(layer).__name__}", str(x.shape),
                             str(layer.num_parameters())))
        rows.append(("total", "", str(self.num_parameters())))
        widths = [max(len(r[c]) for r in rows) for c in range(3)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "-" * len(lines[0]))
        lines.insert(len(lines) - 1, "-" * len(lines[0]))
        return "\n".join(lines)


@contextmanager
def eval_mode(module: Module) -> Iterator[Module]:
    """`with eval_mode(model):` runs the block in eval mode (dropout off), then puts
    every sub-module back in the mode `module` had."""
    was_training = module.training
    module.eval()
    try:
        yield module
    finally:
        module.train(was_training)
