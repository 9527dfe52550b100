"""What every check in the conformance kit shares: its tolerances and sizes, the labels and
error wrapping that make its messages precise, the builder of fresh modules, and the checks
that activations and layers have in common (forward/backward contracts, float32, float64
gradients, train/eval modes, eval-mode behaviour, gradient accumulation, state_dict round
trips).
"""

from __future__ import annotations

import copy
import inspect
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from nnlite.nn.gradcheck import gradcheck
from nnlite.nn.input_grad import backward_with_input_grad
from nnlite.nn.module import Module
from nnlite.nn.rng import named_generators

GRAD_TOL = 1e-6          # relative error of backward vs central differences, float64
WIDTH = 5                # features of the kit's inputs unless the factory says otherwise
BATCHES = (4, 1, 7)      # a usual batch, a single sample, an odd batch
DESCENT_STEPS = 300      # optimizer steps on the quadratic...
DESCENT_FACTOR = 0.1     # ...after which the loss must be below this fraction of the start
DEFAULT_LR = 0.05        # the kit's lr for optimizers when none is given
STD_TOLERANCE = 0.05     # relative error allowed on an initializer's standard deviation
INIT_SHAPE = (300, 200)  # 60,000 draws: the sample std is within ~0.3% of the truth
FLOATS = (np.dtype(np.float32), np.dtype(np.float64))

def describe(kind: str, factory: Any, args: tuple, kwargs: dict) -> str:
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{kind} {getattr(factory, '__name__', repr(factory))}({', '.join(shown)})"


@contextmanager
def checking(label: str, what: str) -> Iterator[None]:
    """Turn an exception raised by the plugin's code into an AssertionError saying where."""
    try:
        yield
    except AssertionError:
        raise
    except Exception as err:
        raise AssertionError(f"{label}: {what} raised {err!r}") from err


def parameters_of(factory: Any) -> dict[str, inspect.Parameter]:
    try:
        return dict(inspect.signature(factory).parameters)
    except (TypeError, ValueError):
        return {}


def fixed_rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


def away_from_zero(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """float64 values with 0.1 <= |x| <= 5: clear of the kinks most activations have at 0,
    and out into the tails, where a derivative can be wrong while the middle is right."""
    return rng.uniform(0.1, 5.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def identical(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shapes and values (NaN equal to NaN), for arrays of any dtype."""
    numeric = a.dtype.kind in "fc" and b.dtype.kind in "fc"
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=numeric))


class Builder:
    """Builds fresh Modules from a factory: deep-copied arguments (so nothing is shared
    between builds), a fixed rng if it takes one, and parameters in the dtype asked for."""

    def __init__(self, kind: str, factory: Any, args: tuple, kwargs: dict) -> None:
        self.factory, self.args, self.kwargs = factory, args, kwargs
        self.takes = parameters_of(factory)
        self.label = describe(kind, factory, args, kwargs)

    def __call__(self, dtype: Any, seed: int = 0) -> Module:
        kwargs = copy.deepcopy(self.kwargs)
        if "dtype" in self.takes and "dtype" not in kwargs:
            kwargs["dtype"] = dtype
        if "rng" in self.takes and "rng" not in kwargs:
            kwargs["rng"] = seed
        with checking(self.label, "building it"):
            module = self.factory(*copy.deepcopy(self.args), **kwargs)
        if not isinstance(module, Module):
            raise AssertionError(f"{self.label}: the factory returned {type(module).__name__}, "
                                 "not an nl.Module")
        for name, p in module.named_parameters():
            if p.data.dtype != dtype:  # the factory takes no dtype: cast, as a user would
                p.data = p.data.astype(dtype)
                p.grad = np.zeros_like(p.data)
        return module


def rng_restorer(module: Module) -> Callable[[], None]:
    """A function resetting every numpy Generator the module holds (e.g. Dropout's) to its
    current state, so that repeated forwards draw the same random numbers."""
    generators = [g for _, g in named_generators(module)]
    states = [g.bit_generator.state for g in generators]

    def restore() -> None:
        for g, state in zip(generators, states):
            g.bit_generator.state = state

    return restore


def checked_forward(label: str, module: Module, x: np.ndarray, what: str) -> np.ndarray:
    before = x.copy()
    with checking(label, f"forward on {what}"):
        y = module.forward(x)
    if not identical(x, before):
        raise AssertionError(f"{label}: forward modified its input in place ({what})")
    if not isinstance(y, np.ndarray):
        raise AssertionError(f"{label}: forward returned {type(y).__name__}, "
                             f"not an ndarray ({what})")
    return y


def checked_backward(label: str, module: Module, dout: np.ndarray, x: np.ndarray,
                     what: str) -> np.ndarray:
    before = dout.copy()
    with checking(label, f"backward on {what}"):
        dx = backward_with_input_grad(module, dout, True)  # a layer under test returns dx
    if not identical(dout, before):
        raise AssertionError(f"{label}: backward modified its dout in place ({what})")
    if not isinstance(dx, np.ndarray) or dx.shape != x.shape:
        raise AssertionError(f"{label}: backward returned dx of shape {np.shape(dx)} for an "
                             f"input of shape {x.shape} ({what}); they must match")
    return dx


def check_float32(label: str, module: Module, x: np.ndarray, what: str) -> np.ndarray:
    """forward and backward on float32 data stay float32, parameters and gradients too."""
    x = x.astype(np.float32)
    y = checked_forward(label, module, x, what)
    if y.dtype != np.float32:
        raise AssertionError(f"{label}: forward turned float32 input into {y.dtype} ({what}); "
                             "keep float32 (python floats, not np.float64 scalars or arrays)")
    dx = checked_backward(label, module, np.ones_like(y), x, what)
    if dx.dtype != np.float32:
        raise AssertionError(f"{label}: backward returned {dx.dtype} dx for float32 data ({what})")
    for name, p in module.named_parameters():
        if p.data.dtype != np.float32 or p.grad.dtype != np.float32:
            raise AssertionError(f"{label}: parameter {name!r} is {p.data.dtype} with a "
                                 f"{p.grad.dtype} gradient after float32 backward ({what})")
    return y


def check_gradients(label: str, module: Module, x: np.ndarray, what: str) -> None:
    with checking(label, f"the float64 gradient check ({what})"):
        errors = gradcheck(module, x, before_forward=rng_restorer(module))
    bad = {name: err for name, err in errors.items() if not err < GRAD_TOL}
    if bad:
        detail = ", ".join(f"d/d{name} {err:.2e}" for name, err in bad.items())
        raise AssertionError(f"{label}: backward disagrees with central differences in float64 "
                             f"({what}): relative error {detail} (tolerance {GRAD_TOL:g})")


def check_modes(label: str, module: Module) -> None:
    module.eval()
    stuck = [type(m).__name__ for m in module.modules() if m.training]
    module.train()
    stuck += [type(m).__name__ for m in module.modules() if not m.training]
    if stuck:
        raise AssertionError(f"{label}: train()/eval() did not reach {', '.join(stuck)} "
                             "(let Module.train set .training on every sub-module)")


def check_eval(label: str, build: Builder, x: np.ndarray) -> None:
    """In eval mode: deterministic, no state changes, and each sample on its own."""
    module = build(np.float64)
    module.eval()
    state = module.state_dict()
    first = checked_forward(label, module, x, "eval mode")
    again = checked_forward(label, module, x, "eval mode, again")
    if not identical(first, again):
        raise AssertionError(f"{label}: two eval-mode forwards of the same input differ; "
                             "eval mode must be deterministic")
    changed = [k for k, v in module.state_dict().items()
               if k not in state or not identical(v, state[k])]
    if changed:
        raise AssertionError(f"{label}: an eval-mode forward changed state {changed}; "
                             "only training may update state")
    for i in (0, len(x) - 1):
        alone = checked_forward(label, module, x[i:i + 1], "one sample in eval mode")
        if not np.allclose(alone, first[i:i + 1], rtol=1e-9, atol=1e-12):
            raise AssertionError(f"{label}: in eval mode, sample {i}'s output depends on the "
                                 "rest of its batch; eval mode must treat samples independently")


def check_accumulates(label: str, module: Module, x: np.ndarray) -> None:
    """Two backward passes add up: parameters' .grad is accumulated with +=, not assigned."""
    if not module.parameters():
        return
    restore = rng_restorer(module)
    module.zero_grad()
    grads = []
    for _ in range(2):
        restore()
        y = module.forward(x)
        module.backward(np.ones_like(y))
        grads.append({name: p.grad.copy() for name, p in module.named_parameters()})
    for name, g in grads[1].items():
        if not np.allclose(g, 2 * grads[0][name], rtol=1e-9, atol=1e-12):
            raise AssertionError(f"{label}: a second backward did not add to {name}.grad "
                                 "(accumulate with +=, so shared layers and batches add up)")


def check_state_round_trip(label: str, build: Builder, x: np.ndarray) -> None:
    """A trained module's state_dict, saved with np.savez and loaded into a fresh one,
    gives the same eval-mode outputs."""
    source = build(np.float64, seed=0)
    rng = fixed_rng()
    for p in source.parameters():
        p.data += 0.1 * rng.standard_normal(p.data.shape)
    source.train()
    for _ in range(3):  # lets layers with running statistics update them
        checked_forward(label, source, x + rng.standard_normal(x.shape), "training data")
    with checking(label, "state_dict() / np.savez"):
        buffer = io.BytesIO()
        np.savez(buffer, **source.state_dict())
        buffer.seek(0)
        with np.load(buffer, allow_pickle=False) as archive:
            saved = {k: archive[k] for k in archive.files}
    target = build(np.float64, seed=1)
    with checking(label, "load_state_dict"):
        target.load_state_dict(saved)
    if sorted(target.state_dict()) != sorted(saved):
        raise AssertionError(f"{label}: state_dict keys changed across a round trip: "
                             f"{sorted(saved)} -> {sorted(target.state_dict())}")
    source.eval()
    target.eval()
    if not np.array_equal(source.forward(x), target.forward(x)):
        raise AssertionError(f"{label}: after load_state_dict, a fresh module computes other "
                             "outputs in eval mode; state_dict misses state forward uses "
                             "(e.g. running statistics)")
