"""The conformance kit: checks that a plugin's factory behaves like a built-in.

    from nnlite.testing import check_activation
    check_activation(Swish)                      # what nnlite_activations() registers
    check_activation(Swish, beta=2.0)            # ...with the factory's keyword arguments

Each `check_*` takes exactly what the registration hook gives (a class or function),
builds it with the keyword arguments given, and raises AssertionError with a precise
message at the first thing that is wrong: gradients against central differences in
float64, float32 kept float32, batch-1 and odd shapes, train/eval behaviour, state_dict
round trips, optimizers descending a convex quadratic, initializers' shape, dtype,
seeding and variance. A few keyword arguments belong to the kit, not the factory:
`input_shape` (check_layer), `make_target` (check_loss), `expected_std` and
`expected_mean` (check_initializer).

For pytest, `parametrize_entries` makes one test per registered entry and `check_entry`
runs the right check with the entry's `check_kwargs` (an attribute of the factory, if
it needs arguments) or the built-ins' table below. nnlite's own suite runs it over every
built-in and every example plugin.
"""

from __future__ import annotations

import copy
import inspect
import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from nnlite.gradcheck import gradcheck, numerical_gradient, rel_error
from nnlite.module import Module, Parameter

GRAD_TOL = 1e-6          # relative error of backward vs central differences, float64
WIDTH = 5                # features of the kit's inputs unless the factory says otherwise
BATCHES = (4, 1, 7)      # a usual batch, a single sample, an odd batch
DESCENT_STEPS = 300      # optimizer steps on the quadratic...
DESCENT_FACTOR = 0.1     # ...after which the loss must be below this fraction of the start
DEFAULT_LR = 0.05        # the kit's lr for optimizers when none is given
STD_TOLERANCE = 0.05     # relative error allowed on an initializer's standard deviation
INIT_SHAPE = (300, 200)  # 60,000 draws: the sample std is within ~0.3% of the truth
FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


# -- shared helpers --------------------------------------------------------------------

def _label(kind: str, factory: Any, args: tuple, kwargs: dict) -> str:
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{kind} {getattr(factory, '__name__', repr(factory))}({', '.join(shown)})"


@contextmanager
def _step(label: str, what: str) -> Iterator[None]:
    """Turn an exception raised by the plugin's code into an AssertionError saying where."""
    try:
        yield
    except AssertionError:
        raise
    except Exception as err:
        raise AssertionError(f"{label}: {what} raised {err!r}") from err


def _parameters_of(factory: Any) -> dict[str, inspect.Parameter]:
    try:
        return dict(inspect.signature(factory).parameters)
    except (TypeError, ValueError):
        return {}


def _rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


def _away_from_zero(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """float64 values with 0.1 <= |x| <= 2: clear of the kinks most activations have at 0."""
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shapes and values (NaN equal to NaN), for arrays of any dtype."""
    numeric = a.dtype.kind in "fc" and b.dtype.kind in "fc"
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=numeric))


class _Builder:
    """Builds fresh Modules from a factory: deep-copied arguments (so nothing is shared
    between builds), a fixed rng if it takes one, and parameters in the dtype asked for."""

    def __init__(self, kind: str, factory: Any, args: tuple, kwargs: dict) -> None:
        self.factory, self.args, self.kwargs = factory, args, kwargs
        self.takes = _parameters_of(factory)
        self.label = _label(kind, factory, args, kwargs)

    def __call__(self, dtype: Any, seed: int = 0) -> Module:
        kwargs = copy.deepcopy(self.kwargs)
        if "dtype" in self.takes and "dtype" not in kwargs:
            kwargs["dtype"] = dtype
        if "rng" in self.takes and "rng" not in kwargs:
            kwargs["rng"] = seed
        with _step(self.label, "building it"):
            module = self.factory(*copy.deepcopy(self.args), **kwargs)
        if not isinstance(module, Module):
            raise AssertionError(f"{self.label}: the factory returned {type(module).__name__}, "
                                 "not an nl.Module")
        for name, p in module.named_parameters():
            if p.data.dtype != dtype:  # the factory takes no dtype: cast, as a user would
                p.data = p.data.astype(dtype)
                p.grad = np.zeros_like(p.data)
        return module


def _rng_restorer(module: Module) -> Callable[[], None]:
    """A function resetting every numpy Generator the module holds (e.g. Dropout's) to its
    current state, so that repeated forwards draw the same random numbers."""
    generators = [value for m in module.modules() for value in vars(m).values()
                  if isinstance(value, np.random.Generator)]
    states = [g.bit_generator.state for g in generators]

    def restore() -> None:
        for g, state in zip(generators, states):
            g.bit_generator.state = state

    return restore


def _forward(label: str, module: Module, x: np.ndarray, what: str) -> np.ndarray:
    before = x.copy()
    with _step(label, f"forward on {what}"):
        y = module.forward(x)
    if not _same(x, before):
        raise AssertionError(f"{label}: forward modified its input in place ({what})")
    if not isinstance(y, np.ndarray):
        raise AssertionError(f"{label}: forward returned {type(y).__name__}, not an ndarray ({what})")
    return y


def _backward(label: str, module: Module, dout: np.ndarray, x: np.ndarray, what: str) -> np.ndarray:
    before = dout.copy()
    with _step(label, f"backward on {what}"):
        dx = module.backward(dout)
    if not _same(dout, before):
        raise AssertionError(f"{label}: backward modified its dout in place ({what})")
    if not isinstance(dx, np.ndarray) or dx.shape != x.shape:
        raise AssertionError(f"{label}: backward returned dx of shape {np.shape(dx)} for an "
                             f"input of shape {x.shape} ({what}); they must match")
    return dx


def _check_float32(label: str, module: Module, x: np.ndarray, what: str) -> np.ndarray:
    """forward and backward on float32 data stay float32, parameters and gradients too."""
    x = x.astype(np.float32)
    y = _forward(label, module, x, what)
    if y.dtype != np.float32:
        raise AssertionError(f"{label}: forward turned float32 input into {y.dtype} ({what}); "
                             "keep float32 (python floats, not np.float64 scalars or arrays)")
    dx = _backward(label, module, np.ones_like(y), x, what)
    if dx.dtype != np.float32:
        raise AssertionError(f"{label}: backward returned {dx.dtype} dx for float32 data ({what})")
    for name, p in module.named_parameters():
        if p.data.dtype != np.float32 or p.grad.dtype != np.float32:
            raise AssertionError(f"{label}: parameter {name!r} is {p.data.dtype} with a "
                                 f"{p.grad.dtype} gradient after float32 backward ({what})")
    return y


def _check_gradients(label: str, module: Module, x: np.ndarray, what: str) -> None:
    with _step(label, f"the float64 gradient check ({what})"):
        errors = gradcheck(module, x, before_forward=_rng_restorer(module))
    bad = {name: err for name, err in errors.items() if not err < GRAD_TOL}
    if bad:
        detail = ", ".join(f"d/d{name} {err:.2e}" for name, err in bad.items())
        raise AssertionError(f"{label}: backward disagrees with central differences in float64 "
                             f"({what}): relative error {detail} (tolerance {GRAD_TOL:g})")


def _check_modes(label: str, module: Module) -> None:
    module.eval()
    stuck = [type(m).__name__ for m in module.modules() if m.training]
    module.train()
    stuck += [type(m).__name__ for m in module.modules() if not m.training]
    if stuck:
        raise AssertionError(f"{label}: train()/eval() did not reach {', '.join(stuck)} "
                             "(let Module.train set .training on every sub-module)")


def _check_eval(label: str, build: _Builder, x: np.ndarray) -> None:
    """In eval mode: deterministic, no state changes, and each sample on its own."""
    module = build(np.float64)
    module.eval()
    state = module.state_dict()
    first = _forward(label, module, x, "eval mode")
    again = _forward(label, module, x, "eval mode, again")
    if not _same(first, again):
        raise AssertionError(f"{label}: two eval-mode forwards of the same input differ; "
                             "eval mode must be deterministic")
    changed = [k for k, v in module.state_dict().items() if k not in state or not _same(v, state[k])]
    if changed:
        raise AssertionError(f"{label}: an eval-mode forward changed state {changed}; "
                             "only training may update state")
    for i in (0, len(x) - 1):
        alone = _forward(label, module, x[i:i + 1], "one sample in eval mode")
        if not np.allclose(alone, first[i:i + 1], rtol=1e-9, atol=1e-12):
            raise AssertionError(f"{label}: in eval mode, sample {i}'s output depends on the "
                                 "rest of its batch; eval mode must treat samples independently")


def _check_accumulates(label: str, module: Module, x: np.ndarray) -> None:
    """Two backward passes add up: parameters' .grad is accumulated with +=, not assigned."""
    if not module.parameters():
        return
    restore = _rng_restorer(module)
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


def _check_state_round_trip(label: str, build: _Builder, x: np.ndarray) -> None:
    """A trained module's state_dict, saved with np.savez and loaded into a fresh one,
    gives the same eval-mode outputs."""
    source = build(np.float64, seed=0)
    rng = _rng()
    for p in source.parameters():
        p.data += 0.1 * rng.standard_normal(p.data.shape)
    source.train()
    for _ in range(3):  # lets layers with running statistics update them
        _forward(label, source, x + rng.standard_normal(x.shape), "training data")
    with _step(label, "state_dict() / np.savez"):
        buffer = io.BytesIO()
        np.savez(buffer, **source.state_dict())
        buffer.seek(0)
        with np.load(buffer, allow_pickle=False) as archive:
            saved = {k: archive[k] for k in archive.files}
    target = build(np.float64, seed=1)
    with _step(label, "load_state_dict"):
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


# -- modules ------------------------------------------------------------------------------

def check_activation(factory: Any, *args: Any, **kwargs: Any) -> None:
    """Check an activation class (what `nnlite_activations` registers), built as
    `factory(*args, **kwargs)`: an nl.Module keeping its input's shape; float32 in, float32
    out; float64 gradients; batch-1 and odd shapes; eval mode per sample; no overflow or
    NaN at |x| = 1e4 in float32 and float64."""
    build = _Builder("activation", factory, args, kwargs)
    label, rng = build.label, _rng()
    for shape in ((4, WIDTH), (1, 1), (1, WIDTH), (7, 3)):
        x = _away_from_zero(shape, rng)
        y = _check_float32(label, build(np.float32), x, f"float32 input {shape}")
        if y.shape != shape:
            raise AssertionError(f"{label}: forward mapped shape {shape} to {y.shape}; an "
                                 "activation keeps its input's shape")
        _check_gradients(label, build(np.float64), x, f"input {shape}")
    _check_modes(label, build(np.float64))
    _check_eval(label, build, _away_from_zero((4, WIDTH), rng))
    for dtype in FLOATS:
        x = np.array([[-1e4, -50.0, -1.0, 0.0, 1.0, 50.0, 1e4]], dtype=dtype)
        module = build(dtype)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                y = module.forward(x.copy())
                dx = module.backward(np.ones_like(y))
        except FloatingPointError as err:
            raise AssertionError(f"{label}: {err} at |x| up to 1e4 in {dtype} (compute a "
                                 "stable form, e.g. from exp(-|x|))") from err
        if not (np.all(np.isfinite(y)) and np.all(np.isfinite(dx))):
            raise AssertionError(f"{label}: non-finite output or gradient at |x| up to 1e4 "
                                 f"in {dtype}: f = {y.tolist()}, f' = {dx.tolist()}")


def check_layer(factory: Any, *args: Any, input_shape: tuple[int, ...] | None = None,
                **kwargs: Any) -> None:
    """Check a layer class (what `nnlite_layers` registers), built as
    `factory(*args, **kwargs)` with the width filled in as `model.layers` does: an
    omitted `in_features`/`num_features`/`features`/`normalized_shape` gets the input's
    width (5 unless `input_shape=(N, ...)` says otherwise) and a required `out_features` 3.

    Checks float64 gradients (input and every parameter) in train and eval mode, that
    gradients accumulate, float32 kept, batch-1 and odd batches (training may refuse
    a single sample with ValueError, evaluation may not), train()/eval() reaching every
    sub-module, eval mode deterministic, state-preserving and per-sample, and a
    state_dict round trip through np.savez giving identical eval outputs.
    """
    from nnlite.models import WIDTH_PARAMETERS

    kwargs = dict(kwargs)
    takes = _parameters_of(factory)
    features: tuple[int, ...] = tuple(input_shape[1:]) if input_shape else (WIDTH,)
    for name in WIDTH_PARAMETERS:
        if name in kwargs and input_shape is None:
            given = kwargs[name]
            features = tuple(given) if isinstance(given, (tuple, list)) else (int(given),)
            break
        if name in takes and name not in kwargs:
            kwargs[name] = features[-1]
            break
    out = takes.get("out_features")
    if out is not None and out.default is inspect.Parameter.empty and "out_features" not in kwargs:
        kwargs["out_features"] = 3
    build = _Builder("layer", factory, args, kwargs)
    label, rng = build.label, _rng()
    for batch in BATCHES:
        x = rng.standard_normal((batch, *features))
        what = f"float32 input {x.shape}"
        module = build(np.float32)
        module.eval()
        _check_float32(label, module, x, what + " in eval mode")
        module.train()
        try:
            _check_float32(label, module, x, what + " in training mode")
        except AssertionError as err:
            refused = isinstance(err.__cause__, ValueError) and batch == 1
            if not refused:  # a single sample may be refused in training (batch statistics)
                raise
    x = rng.standard_normal((BATCHES[0], *features))
    for mode in ("training", "eval"):
        module = build(np.float64)
        module.train(mode == "training")
        _check_gradients(label, module, x, f"{mode} mode, input {x.shape}")
    _check_accumulates(label, build(np.float64), x)
    _check_modes(label, build(np.float64))
    _check_eval(label, build, x)
    _check_state_round_trip(label, build, x)


# -- losses -------------------------------------------------------------------------------

def _float_targets(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(0.1, 0.9, size=shape)  # fits regression and binary (BCE) losses


def _label_targets(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, shape[1], size=shape[0])  # class labels for (N, C) logits


def check_loss(factory: Any, *args: Any, make_target: Callable[..., np.ndarray] | None = None,
               **kwargs: Any) -> None:
    """Check a loss class (what `nnlite_losses` registers), built as `factory(*args,
    **kwargs)`: an nl.Loss whose `loss(pred, target)` is a finite float and whose
    `backward()` matches central differences in float64 and keeps float32, for batch-1
    and odd shapes, without modifying pred or target.

    Targets: floats in [0.1, 0.9] of pred's shape, or else integer labels (N,) for (N, C)
    logits; `make_target(shape, rng) -> target` overrides both.
    """
    from nnlite.losses import Loss

    label, rng = _label("loss", factory, args, kwargs), _rng()

    def build() -> Any:
        with _step(label, "building it"):
            loss = factory(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        if not isinstance(loss, Loss):
            raise AssertionError(f"{label}: the factory returned {type(loss).__name__}, not an nl.Loss")
        return loss

    def value(loss: Any, pred: np.ndarray, target: np.ndarray, what: str) -> float:
        before = (pred.copy(), np.array(target, copy=True))
        with _step(label, f"loss(pred, target) on {what}"):
            result = loss(pred, target)
        if not (_same(pred, before[0]) and _same(np.asarray(target), before[1])):
            raise AssertionError(f"{label}: loss(pred, target) modified pred or target ({what})")
        if np.ndim(result) != 0 or not math.isfinite(float(result)):
            shown = (f"an array of shape {result.shape}" if isinstance(result, np.ndarray)
                     else repr(result))
            raise AssertionError(f"{label}: loss(pred, target) returned {shown} ({what}); "
                                 "it must be one finite number")
        return float(result)

    make = make_target
    if make is None:
        pred = rng.standard_normal((4, 3))
        errors = []
        for candidate in (_float_targets, _label_targets):
            try:
                build()(pred, candidate(pred.shape, rng))
                make = candidate
                break
            except (ValueError, TypeError, IndexError, KeyError) as err:
                errors.append(repr(err))
        if make is None:
            raise AssertionError(f"{label}: took neither float targets of pred's shape nor "
                                 f"integer labels (N,): {'; '.join(errors)}; pass make_target=")
    for shape in ((4, 3), (1, 1), (1, 3), (7, 2)):
        pred, target = rng.standard_normal(shape), make(shape, rng)
        what = f"pred {shape}"
        loss = build()
        value(loss, pred, target, what)
        with _step(label, f"backward() on {what}"):
            grad = loss.backward()
        if np.shape(grad) != shape:
            raise AssertionError(f"{label}: backward() returned shape {np.shape(grad)} for pred "
                                 f"{shape}; d loss / d pred has pred's shape")
        numeric = numerical_gradient(
            lambda loss=loss, pred=pred, target=target, what=what: value(loss, pred, target, what),
            pred)
        err = rel_error(grad, numeric)
        if not err < GRAD_TOL:
            raise AssertionError(f"{label}: backward() disagrees with central differences in "
                                 f"float64 ({what}): relative error {err:.2e} (tolerance {GRAD_TOL:g})")
        pred32 = pred.astype(np.float32)
        target32 = target.astype(np.float32) if target.dtype.kind == "f" else target
        value(loss, pred32, target32, what + " in float32")
        with _step(label, f"backward() on {what} in float32"):
            grad32 = loss.backward()
        if getattr(grad32, "dtype", None) != np.float32:
            raise AssertionError(f"{label}: backward() returned {getattr(grad32, 'dtype', grad32)} "
                                 f"for float32 pred ({what}); keep float32")


# -- optimizers ---------------------------------------------------------------------------

def _quadratic(dtype: Any) -> tuple[list[Parameter], Callable[[], float], Callable[[], None]]:
    """Parameters of odd shapes and f(w) = 1/2 sum a (w - c)^2 with a in [0.5, 2] (a
    well-conditioned bowl whose minimum c is not 0), its value and a gradient filler."""
    rng = _rng()
    shapes = [(3, 5), (5,), (1, 1)]
    a = [rng.uniform(0.5, 2.0, s) for s in shapes]
    c = [rng.standard_normal(s) for s in shapes]
    start = [ci + rng.uniform(0.5, 1.5, s) * rng.choice([-1.0, 1.0], s) for ci, s in zip(c, shapes)]
    params = [Parameter(w.astype(dtype), f"w{i}") for i, w in enumerate(start)]

    def value() -> float:
        return float(sum(0.5 * np.sum(ai * (p.data - ci) ** 2) for p, ai, ci in zip(params, a, c)))

    def fill_grads() -> None:
        for p, ai, ci in zip(params, a, c):
            p.grad += (ai * (p.data - ci)).astype(p.grad.dtype)

    return params, value, fill_grads


def check_optimizer(factory: Any, *args: Any, **kwargs: Any) -> None:
    """Check an optimizer class (what `nnlite_optimizers` registers), built as
    `factory(params, *args, **kwargs)` with lr = 0.05 unless given: an nl.Optimizer that
    descends a convex quadratic (below 10% of the start in 300 steps, downhill from the
    first), zeroes gradients and never modifies them, keeps float32 parameters float32,
    honours `opt.lr` changed between steps (schedules do that), and whose state_dict,
    saved with np.savez and loaded into a fresh optimizer, continues identically.
    """
    from nnlite.optim import Optimizer

    kwargs = dict(kwargs)
    takes = _parameters_of(factory)
    if "lr" not in kwargs and ("lr" in takes or any(p.kind == p.VAR_KEYWORD for p in takes.values())):
        kwargs["lr"] = DEFAULT_LR
    label = _label("optimizer", factory, args, kwargs)

    def build(params: list[Parameter]) -> Any:
        with _step(label, "building it"):
            opt = factory(params, *copy.deepcopy(args), **copy.deepcopy(kwargs))
        if not isinstance(opt, Optimizer):
            raise AssertionError(f"{label}: the factory returned {type(opt).__name__}, "
                                 "not an nl.Optimizer")
        return opt

    def step(opt: Any, params: list[Parameter], fill: Callable[[], None], what: str) -> None:
        with _step(label, f"zero_grad() ({what})"):
            opt.zero_grad()
        if any(np.any(p.grad != 0) for p in params):
            raise AssertionError(f"{label}: zero_grad() left non-zero gradients ({what})")
        fill()
        grads = [p.grad.copy() for p in params]
        with _step(label, f"step() ({what})"):
            opt.step()
        if not all(_same(p.grad, g) for p, g in zip(params, grads)):
            raise AssertionError(f"{label}: step() modified p.grad ({what}); read gradients, "
                                 "write only p.data and the optimizer's own state")

    params, f, fill = _quadratic(np.float64)
    opt = build(params)
    start = f()
    step(opt, params, fill, "the first step on the quadratic")
    if not f() < start:
        raise AssertionError(f"{label}: the first step went uphill on a convex quadratic: "
                             f"f = {start:.4g} -> {f():.4g} (is the update's sign right?)")
    for _ in range(DESCENT_STEPS - 1):
        step(opt, params, fill, "descending the quadratic")
    if not f() <= DESCENT_FACTOR * start:
        raise AssertionError(f"{label}: did not descend a convex quadratic: f = {start:.4g} -> "
                             f"{f():.4g} after {DESCENT_STEPS} steps (must fall below "
                             f"{DESCENT_FACTOR:g} x the start)")

    params, f, fill = _quadratic(np.float32)
    opt = build(params)
    for _ in range(20):
        step(opt, params, fill, "float32 parameters")
    wrong = [f"{p.name}: {p.data.dtype}" for p in params if p.data.dtype != np.float32]
    if wrong or not all(np.all(np.isfinite(p.data)) for p in params):
        raise AssertionError(f"{label}: float32 parameters became {', '.join(wrong) or 'non-finite'} "
                             "after steps; keep float32 (python floats, not np.float64 scalars)")

    moved = []
    for scale in (1.0, 0.01):
        params, f, fill = _quadratic(np.float64)
        opt = build(params)
        before = [p.data.copy() for p in params]
        with _step(label, "setting opt.lr"):
            opt.lr = opt.lr * scale
        step(opt, params, fill, "after setting opt.lr")
        moved.append(math.sqrt(sum(float(np.sum((p.data - b) ** 2)) for p, b in zip(params, before))))
    if not moved[1] < 0.5 * moved[0]:
        raise AssertionError(f"{label}: after opt.lr was set 100x smaller the step moved "
                             f"{moved[1]:.3g} (vs {moved[0]:.3g}); step() must use the current "
                             "opt.lr, which schedules change between steps")

    params, f, fill = _quadratic(np.float64)
    opt = build(params)
    for _ in range(3):
        step(opt, params, fill, "before state_dict")
    with _step(label, "state_dict() / np.savez"):
        saved = opt.state_dict()
        snapshot = copy.deepcopy(saved)
        buffer = io.BytesIO()
        np.savez(buffer, **saved)
        buffer.seek(0)
        with np.load(buffer, allow_pickle=False) as archive:
            loaded = {k: archive[k] for k in archive.files}
    twins, _, twin_fill = _quadratic(np.float64)
    for twin, p in zip(twins, params):
        twin.data[...] = p.data
    other = build(twins)
    with _step(label, "load_state_dict"):
        other.load_state_dict(loaded)
    step(opt, params, fill, "after state_dict")
    step(other, twins, twin_fill, "after load_state_dict")
    if not all(np.array_equal(p.data, t.data) for p, t in zip(params, twins)):
        raise AssertionError(f"{label}: an optimizer loaded from state_dict() took a different "
                             "step than the original; state_dict must hold all the state")
    if any(not _same(np.asarray(saved[k]), np.asarray(v)) for k, v in snapshot.items()):
        raise AssertionError(f"{label}: state_dict() shares arrays with the optimizer (they "
                             "changed on the next step); return copies")


# -- initializers ---------------------------------------------------------------------------

def check_initializer(factory: Any, *, expected_std: float | Callable[..., float] | None = None,
                      expected_mean: float | None = None, **kwargs: Any) -> None:
    """Check an initializer (what `nnlite_initializers` registers), called as
    `factory(shape, rng, **kwargs)`: a float32/float64 array of exactly `shape` (2-D of
    odd sizes, 1-D unless refused with ValueError), finite, drawn only from `rng` (same
    seed, same values; numpy's global random state untouched), and - if given - with
    standard deviation `expected_std` (a number, or a function of the shape) within 5%
    and mean `expected_mean`, measured over a 300 x 200 draw.
    """
    label = _label("initializer", factory, (), kwargs)

    def draw(shape: tuple[int, ...], seed: int) -> np.ndarray:
        with _step(label, f"drawing shape {shape}"):
            values = factory(shape, np.random.default_rng(seed), **copy.deepcopy(kwargs))
        array = np.asarray(values)
        if array.shape != shape:
            raise AssertionError(f"{label}: returned shape {array.shape} when asked for {shape}")
        if array.dtype not in FLOATS:
            raise AssertionError(f"{label}: returned {array.dtype} values; return float64 (or float32)")
        if not np.all(np.isfinite(array)):
            raise AssertionError(f"{label}: returned non-finite values for shape {shape}")
        return array

    for shape in ((5, 3), (1, 1), (1, 7), (8, 1), (7,)):
        global_state = np.random.get_state()
        try:
            first = draw(shape, 7)
        except AssertionError as err:
            if len(shape) == 1 and isinstance(err.__cause__, ValueError):
                continue  # an initializer may refuse 1-D shapes it cannot define
            raise
        if not _same(draw(shape, 7), first):
            raise AssertionError(f"{label}: two draws with the same seed differ (shape {shape}); "
                                 "draw only from the rng argument")
        after = np.random.get_state()
        if not (np.array_equal(global_state[1], after[1]) and global_state[2:] == after[2:]):
            raise AssertionError(f"{label}: used numpy's global random state; draw from the "
                                 "rng argument so that seeds reproduce runs")
    if expected_std is None and expected_mean is None:
        return
    values = draw(INIT_SHAPE, 11).astype(np.float64)
    n = values.size
    if expected_std is not None:
        std = float(expected_std(INIT_SHAPE) if callable(expected_std) else expected_std)
        measured = float(values.std())
        if not abs(measured - std) <= STD_TOLERANCE * std + 1e-12:
            raise AssertionError(f"{label}: standard deviation {measured:.4g} for shape "
                                 f"{INIT_SHAPE}, expected {std:.4g} (within {STD_TOLERANCE:.0%})")
    if expected_mean is not None:
        spread = float(values.std())
        mean = float(values.mean())
        if not abs(mean - expected_mean) <= 6 * spread / math.sqrt(n) + 1e-12:
            raise AssertionError(f"{label}: mean {mean:.4g} for shape {INIT_SHAPE}, "
                                 f"expected {expected_mean:.4g}")


# -- datasets and schedules -----------------------------------------------------------------

def check_dataset(factory: Any, **kwargs: Any) -> None:
    """Check a dataset function (what `nnlite_datasets` registers), called as
    `factory(seed=..., **kwargs)` as runs do: it returns an nl.Dataset, the same seed
    gives the same arrays, and `n_samples` (if it takes it) is honoured."""
    from nnlite.data import Dataset

    label = _label("dataset", factory, (), kwargs)
    takes = _parameters_of(factory)
    if "seed" not in takes and not any(p.kind == p.VAR_KEYWORD for p in takes.values()):
        raise AssertionError(f"{label}: takes no `seed`; runs pass their seed to the dataset")

    def make(**extra: Any) -> Any:
        with _step(label, f"calling it with {extra}"):
            ds = factory(**copy.deepcopy(kwargs), **extra)
        if not isinstance(ds, Dataset):
            raise AssertionError(f"{label}: returned {type(ds).__name__}, not an nl.Dataset")
        return ds

    first, again = make(seed=3), make(seed=3)
    if not (_same(first.x, again.x) and _same(first.y, again.y)):
        raise AssertionError(f"{label}: the same seed gave different data; generate from the seed")
    if "n_samples" in takes and "n_samples" not in kwargs and len(first) >= 9 \
            and len(make(seed=3, n_samples=9)) != 9:
        raise AssertionError(f"{label}: n_samples=9 did not give 9 samples")


def check_schedule(factory: Any, **kwargs: Any) -> None:
    """Check a learning-rate schedule (what `nnlite_schedules` registers), called as
    `factory(base_lr=0.1, epochs=20, **kwargs)`: it returns `lr_at(epoch)` giving a
    finite lr > 0 (optimizers refuse 0) for every epoch, the same each time."""
    label = _label("schedule", factory, (), kwargs)
    with _step(label, "building it with base_lr=0.1, epochs=20"):
        lr_at = factory(base_lr=0.1, epochs=20, **copy.deepcopy(kwargs))
    if not callable(lr_at):
        raise AssertionError(f"{label}: returned {type(lr_at).__name__}, not lr_at(epoch)")
    for epoch in range(20):
        with _step(label, f"lr_at({epoch})"):
            lr = lr_at(epoch)
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating, np.integer)) \
                or not (math.isfinite(lr) and lr > 0):
            raise AssertionError(f"{label}: lr_at({epoch}) = {lr!r}; every epoch needs a finite "
                                 "learning rate > 0 (optimizers refuse 0)")
        if lr_at(epoch) != lr:
            raise AssertionError(f"{label}: lr_at({epoch}) changed between calls")


# -- running the kit over registered entries ---------------------------------------------------

CHECKS: dict[str, Callable[..., None]] = {
    "activations": check_activation,
    "layers": check_layer,
    "losses": check_loss,
    "optimizers": check_optimizer,
    "initializers": check_initializer,
    "datasets": check_dataset,
    "schedules": check_schedule,
}


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    from nnlite.init import fans

    return fans(shape)


def builtin_cases() -> dict[tuple[str, str], tuple[tuple, dict[str, Any]]]:
    """(kind, name) -> (args, kwargs) for the built-ins the kit cannot call bare: required
    arguments, and the standard deviation each initializer promises."""
    from nnlite.activations import Tanh
    from nnlite.layers import Linear

    xavier = {"expected_std": lambda s: math.sqrt(2.0 / sum(_fans(s))), "expected_mean": 0.0}
    he = {"expected_std": lambda s: math.sqrt(2.0 / _fans(s)[0]), "expected_mean": 0.0}
    cases: dict[tuple[str, str], tuple[tuple, dict[str, Any]]] = {
        ("initializers", "zeros"): ((), {"expected_std": 0.0, "expected_mean": 0.0}),
        ("initializers", "constant"): ((), {"value": 0.5, "expected_std": 0.0, "expected_mean": 0.5}),
        ("initializers", "normal"): ((), {"std": 0.3, "expected_std": 0.3, "expected_mean": 0.0}),
        ("initializers", "uniform"): ((), {"a": -1.0, "b": 1.0, "expected_std": 1 / math.sqrt(3),
                                           "expected_mean": 0.0}),
        ("initializers", "lecun_normal"): ((), {"expected_std": lambda s: 1 / math.sqrt(_fans(s)[0]),
                                                "expected_mean": 0.0}),
        ("initializers", "orthogonal"): ((), {"expected_std": lambda s: 1 / math.sqrt(max(s)),
                                              "expected_mean": 0.0}),
        ("layers", "residual"): ((), {"module": Linear(WIDTH, WIDTH, rng=0)}),
        ("layers", "sequential"): ((Linear(WIDTH, 4, rng=0), Tanh(), Linear(4, 3, rng=1)), {}),
        ("layers", "flatten"): ((), {"input_shape": (4, 3, 2)}),
        ("layers", "dropout"): ((), {"p": 0.3}),
    }
    for name in ("xavier_uniform", "xavier_normal"):
        cases[("initializers", name)] = ((), xavier)
    for name in ("he_uniform", "he_normal", "kaiming_uniform", "kaiming_normal"):
        cases[("initializers", name)] = ((), he)
    return cases


def check_entry(entry: Any, *args: Any, **kwargs: Any) -> None:
    """Run the kit's check for a registry Entry (`nl.registry.entry(kind, name)`).

    Without arguments, uses the factory's `check_kwargs` attribute (a dict the plugin
    author sets for factories that need arguments or promise a variance), else the
    built-ins' case from `builtin_cases()`, else none.
    """
    if not args and not kwargs:
        own = getattr(entry.factory, "check_kwargs", None)
        if own is not None:
            kwargs = dict(own)
        else:
            args, kwargs = builtin_cases().get((entry.kind, entry.name), ((), {}))
    try:
        CHECKS[entry.kind](entry.factory, *args, **kwargs)
    except AssertionError as err:
        raise AssertionError(f"{entry.kind[:-1] if entry.kind != 'losses' else 'loss'} "
                             f"{entry.name!r} from plugin {entry.plugin!r}: {err}") from err.__cause__


def entries(kinds: Any = tuple(CHECKS), plugins: Any = None) -> list[Any]:
    """Registry entries of the given kinds: every registered one, or only those given by
    `plugins` (modules or objects with hookimpls, registered for the look-up if they are
    not already and unregistered after)."""
    from nnlite.plugins import manager, registry

    if plugins is None:
        return [e for e in registry if e.kind in kinds]
    registry.entries  # noqa: B018  (installed plugins first, under their entry-point names)
    added = [p for p in plugins if not manager.is_registered(p)]
    for plugin in added:
        manager.register(plugin, name=getattr(plugin, "__name__", None))
    try:
        names = {manager.get_name(p) for p in plugins}
        return [e for e in registry if e.kind in kinds and e.plugin in names]
    finally:
        for plugin in added:
            manager.unregister(plugin)


def parametrize_entries(kinds: Any = tuple(CHECKS), plugins: Any = None) -> Any:
    """`@parametrize_entries()`: a pytest parametrization over `entries(kinds, plugins)`,
    one test per entry with the id "kind:name"; the test receives `entry`.

        @parametrize_entries(plugins=[my_plugin])
        def test_conforms(entry):
            check_entry(entry)
    """
    import pytest

    found = entries(kinds, plugins)
    return pytest.mark.parametrize("entry", found, ids=[f"{e.kind}:{e.name}" for e in found])
