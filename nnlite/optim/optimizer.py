"""The Optimizer base class: parameter bookkeeping, validation and npz-friendly state.

An optimizer walks a fixed list of `Parameter`s and updates each `.data` in place from
its `.grad`. The base class owns what every update rule shares: turning a Module or a
list into that list, the validated learning rate, `zero_grad`, the step counter, the
per-parameter state buffers (allocated once, in each parameter's dtype, so float32
training never silently runs in float64) and a `state_dict` made only of plain arrays,
so `np.savez(f, **opt.state_dict())` and `np.load(f, allow_pickle=False)` round-trip.
Subclasses give `step()` and say which buffers and hyperparameters they keep.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from nnlite.nn.module import Module, Parameter

ParamsLike = Module | Iterable[Parameter]


def as_parameter_list(params: ParamsLike, owner: str) -> list[Parameter]:
    """The distinct Parameters of a Module or an iterable, in order; `owner` names the caller."""
    if isinstance(params, Module):
        params = params.parameters()
    elif isinstance(params, Parameter):
        raise TypeError(f"{owner}: params must be a list of Parameters or a Module; wrap it in [p]")
    distinct: list[Parameter] = []
    seen: set[int] = set()
    for p in params:
        if not isinstance(p, Parameter):
            raise TypeError(f"{owner}: params must hold nnlite Parameters, got {type(p).__name__}")
        # A tied (shared) parameter listed twice must still be updated once per step.
        if id(p) not in seen:
            seen.add(id(p))
            distinct.append(p)
    return distinct


class Optimizer:
    """Base class of every optimizer: `step()` (subclass), `zero_grad()`, `state_dict()`.

    Subclasses set their hyperparameters as attributes, list the saved ones in
    `hyperparameters`, implement `_validate`, `_state_names` and `step`, and end
    `__init__` with `self._allocate_state()`. `lr` may be changed between steps (e.g. by a
    schedule); other options are fixed at construction.
    """

    hyperparameters: tuple[str, ...] = ()  # saved in state_dict besides "lr"
    maximize: bool = False  # ascend the objective instead of descending it
    weight_decay: float = 0.0  # L2 penalty added to the gradient (AdamW overrides the use)

    def __init__(self, params: ParamsLike, lr: float) -> None:
        self.params = as_parameter_list(params, type(self).__name__)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        self.lr = lr
        self.step_count = 0  # completed steps; PyTorch's t is step_count after incrementing
        self.state: list[dict[str, np.ndarray]] = []

    # -- learning rate -----------------------------------------------------------------
    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        # A python float: an np.float64 lr would make every float32 update compute in float64.
        lr = self._float("lr", value)
        # >= 0 as in PyTorch: a decaying schedule may reach 0 (e.g. gamma ** epoch underflows).
        self._require(0.0 <= lr < math.inf, "lr", value, "it must be >= 0 and finite")
        self._lr = lr

    # -- validation helpers ----------------------------------------------------------------
    def _require(self, ok: bool, name: str, value: object, requirement: str) -> None:
        if not ok:
            raise ValueError(f"{type(self).__name__}: invalid {name}={value!r}; {requirement}")

    def _float(self, name: str, value: object) -> float:
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(
                f"{type(self).__name__}: invalid {name}={value!r}; it must be a number"
            ) from None

    def _flag(self, name: str, value: object) -> bool:
        # bool("false") is True, so strings and numbers are refused rather than coerced.
        self._require(isinstance(value, (bool, np.bool_)), name, value, "it must be True or False")
        return bool(value)

    def _validate(self) -> None:
        """Raise ValueError for an invalid hyperparameter (lr is checked by its setter)."""

    # -- state -----------------------------------------------------------------------------
    def _state_names(self) -> tuple[str, ...]:
        """Names of the per-parameter buffers the chosen options need."""
        return ()

    def _initial_value(self, state_name: str) -> float:
        """The value a state buffer starts from (0 for all built-ins but Adagrad's sum)."""
        return 0.0

    @property
    def _l2_penalty(self) -> float:
        """The weight decay folded into the gradient (0 for decoupled decay, as AdamW)."""
        return self.weight_decay

    def _allocate_state(self) -> None:
        """Fresh state buffers and scratch space, each in its parameter's dtype."""
        names = self._state_names()
        self.state = [
            {name: np.full_like(p.data, self._initial_value(name)) for name in names}
            for p in self.params
        ]
        self._scratch = [np.empty_like(p.data) for p in self.params]
        needs_work = self.maximize or self._l2_penalty != 0
        self._grad_work = [np.empty_like(p.data) if needs_work else None for p in self.params]
        self.step_count = 0

    def _effective_grad(self, p: Parameter, work: np.ndarray | None) -> np.ndarray:
        """The gradient the update rule sees: grad, negated if maximizing, plus L2 * p.

        Returns `p.grad` itself when nothing changes it (it is only read), otherwise
        the result written into `work`, so `p.grad` is never modified.
        """
        l2 = self._l2_penalty
        if l2 == 0:
            return np.negative(p.grad, out=work) if self.maximize else p.grad
        np.multiply(p.data, l2, out=work)
        if self.maximize:
            work -= p.grad
        else:
            work += p.grad
        return work

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero (lazily: see `Parameter.zero_grad`)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every parameter in place from its gradient; increments `step_count`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step")

    def state_dict(self) -> dict[str, np.ndarray]:
        """A flat name -> ndarray dict: class name, step, hyperparameters, buffers (copies).

        Buffers are keyed "state.<parameter index>.<buffer>", e.g. "state.0.exp_avg".
        """
        saved: dict[str, np.ndarray] = {
            "optimizer": np.array(type(self).__name__),
            "step": np.array(self.step_count, dtype=np.int64),
            "lr": np.array(self.lr),
        }
        for name in self.hyperparameters:
            saved[name] = np.array(getattr(self, name))
        for i, buffers in enumerate(self.state):
            for name, buffer in buffers.items():
                saved[f"state.{i}.{name}"] = buffer.copy()
        return saved

    def load_state_dict(self, saved: Mapping[str, Any]) -> None:
        """Restore hyperparameters, step and buffers from `state_dict()` output (or its npz).

        Buffers are copied into this optimizer's own arrays, so they keep the parameters'
        dtype. Raises ValueError for another optimizer's state or invalid values, KeyError
        when the buffers do not match the parameters. Everything is checked before anything
        is replaced, so a failed load leaves the optimizer exactly as it was.
        """
        saved = dict(saved)  # an NpzFile reads lazily; read every array once
        kind = str(saved.get("optimizer", ""))
        if kind != type(self).__name__:
            raise ValueError(f"{type(self).__name__}.load_state_dict: got the state of {kind!r}")
        previous = {name: getattr(self, name) for name in ("lr", *self.hyperparameters)}
        try:
            # The saved options decide which buffers exist (e.g. amsgrad's max_exp_avg_sq),
            # so they are set (and validated) first, and undone if anything below fails.
            for name, current in previous.items():
                setattr(self, name, _like(current, np.asarray(saved[name])))
            self._validate()
            buffers = self._saved_buffers(saved)
            step_count = int(saved["step"])
        except Exception:
            for name, value in previous.items():
                setattr(self, name, value)
            raise
        self._allocate_state()
        for state, loaded in zip(self.state, buffers):
            for name, value in loaded.items():
                state[name][...] = value
        self.step_count = step_count

    def _saved_buffers(self, saved: dict[str, Any]) -> list[dict[str, np.ndarray]]:
        """The saved state buffers, checked to fit the parameters' shapes and dtypes."""
        names = self._state_names()
        expected = {f"state.{i}.{n}" for i in range(len(self.params)) for n in names}
        given = {key for key in saved if key.startswith("state.")}
        if expected != given:
            raise KeyError(
                f"{type(self).__name__}.load_state_dict: state mismatch: missing "
                f"{sorted(expected - given)}, unexpected {sorted(given - expected)}"
            )
        buffers = []
        for i, p in enumerate(self.params):
            loaded = {}
            for name in names:
                value = np.asarray(saved[f"state.{i}.{name}"])
                where = f"{type(self).__name__}.load_state_dict: state.{i}.{name}"
                if value.shape != p.data.shape:
                    raise ValueError(
                        f"{where} has shape {value.shape}, parameter {i} has {p.data.shape}"
                    )
                if not np.can_cast(value.dtype, p.data.dtype, casting="same_kind"):
                    raise ValueError(
                        f"{where} has dtype {value.dtype}, parameter {i} has {p.data.dtype}"
                    )
                loaded[name] = value
            buffers.append(loaded)
        return buffers

    def __repr__(self) -> str:
        options = ", ".join(f"{n}={getattr(self, n)!r}" for n in ("lr", *self.hyperparameters))
        return f"{type(self).__name__}({options}; {len(self.params)} parameters)"


def _like(current: object, value: np.ndarray) -> object:
    """`value` converted back to the python type of `current` (bool, tuple or float)."""
    if isinstance(current, bool):
        return bool(value)
    if isinstance(current, tuple):
        return tuple(float(v) for v in value.ravel())
    return float(value)
