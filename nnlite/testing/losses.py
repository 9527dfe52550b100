"""Conformance check for losses (`nnlite_losses`): values, gradients against central
differences, float32 and odd shapes, with the default target makers it tries.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlite.nn.gradcheck import numerical_gradient, rel_error
from nnlite.testing._common import GRAD_TOL, checking, describe, fixed_rng, identical


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
    from nnlite.nn.losses import Loss

    label, rng = describe("loss", factory, args, kwargs), fixed_rng()

    def build() -> Any:
        with checking(label, "building it"):
            loss = factory(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        if not isinstance(loss, Loss):
            raise AssertionError(f"{label}: the factory returned {type(loss).__name__}, "
                                 "not an nl.Loss")
        return loss

    def value(loss: Any, pred: np.ndarray, target: np.ndarray, what: str) -> float:
        before = (pred.copy(), np.array(target, copy=True))
        with checking(label, f"loss(pred, target) on {what}"):
            result = loss(pred, target)
        if not (identical(pred, before[0]) and identical(np.asarray(target), before[1])):
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
        with checking(label, f"backward() on {what}"):
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
                                 f"float64 ({what}): relative error {err:.2e} "
                                 f"(tolerance {GRAD_TOL:g})")
        pred32 = pred.astype(np.float32)
        target32 = target.astype(np.float32) if target.dtype.kind == "f" else target
        value(loss, pred32, target32, what + " in float32")
        with checking(label, f"backward() on {what} in float32"):
            grad32 = loss.backward()
        if getattr(grad32, "dtype", None) != np.float32:
            raise AssertionError(f"{label}: backward() returned {getattr(grad32, 'dtype', grad32)} "
                                 f"for float32 pred ({what}); keep float32")
