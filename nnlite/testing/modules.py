"""Conformance checks for modules: activations (`nnlite_activations`) and layers
(`nnlite_layers`), built from their factories and run through the shared module checks.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from nnlite.testing._common import (
    BATCHES,
    FLOATS,
    WIDTH,
    Builder,
    away_from_zero,
    check_accumulates,
    check_eval,
    check_float32,
    check_gradients,
    check_modes,
    check_state_round_trip,
    fixed_rng,
    parameters_of,
)


def check_activation(factory: Any, *args: Any, **kwargs: Any) -> None:
    """Check an activation class (what `nnlite_activations` registers), built as
    `factory(*args, **kwargs)`: an nl.Module keeping its input's shape; float32 in, float32
    out; float64 gradients; batch-1 and odd shapes; eval mode per sample; no overflow or
    NaN at |x| = 1e4 in float32 and float64."""
    build = Builder("activation", factory, args, kwargs)
    label, rng = build.label, fixed_rng()
    for shape in ((4, WIDTH), (1, 1), (1, WIDTH), (7, 3)):
        x = away_from_zero(shape, rng)
        y = check_float32(label, build(np.float32), x, f"float32 input {shape}")
        if y.shape != shape:
            raise AssertionError(f"{label}: forward mapped shape {shape} to {y.shape}; an "
                                 "activation keeps its input's shape")
        check_gradients(label, build(np.float64), x, f"input {shape}")
    check_modes(label, build(np.float64))
    check_eval(label, build, away_from_zero((4, WIDTH), rng))
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
    from nnlite.runs.model_spec import WIDTH_PARAMETERS

    kwargs = dict(kwargs)
    takes = parameters_of(factory)
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
    build = Builder("layer", factory, args, kwargs)
    label, rng = build.label, fixed_rng()
    for batch in BATCHES:
        x = rng.standard_normal((batch, *features))
        what = f"float32 input {x.shape}"
        module = build(np.float32)
        module.eval()
        check_float32(label, module, x, what + " in eval mode")
        module.train()
        try:
            check_float32(label, module, x, what + " in training mode")
        except AssertionError as err:
            refused = isinstance(err.__cause__, ValueError) and batch == 1
            if not refused:  # a single sample may be refused in training (batch statistics)
                raise
    x = rng.standard_normal((BATCHES[0], *features))
    for mode in ("training", "eval"):
        module = build(np.float64)
        module.train(mode == "training")
        check_gradients(label, module, x, f"{mode} mode, input {x.shape}")
    check_accumulates(label, build(np.float64), x)
    check_modes(label, build(np.float64))
    check_eval(label, build, x)
    check_state_round_trip(label, build, x)
