"""Adagrad: per-coordinate steps shrinking with the sum of all past squared gradients.

The update is torch.optim.Adagrad's: g = grad (negated when maximizing) + weight_decay * p;
the step's learning rate is lr / (1 + (t - 1) * lr_decay); s = s + g**2 (s starts at
initial_accumulator_value); p -= lr_t * g / (sqrt(s) + eps).
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.optim.optimizer import Optimizer, ParamsLike


class Adagrad(Optimizer):
    """Adagrad: lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10."""

    hyperparameters = (
        "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize",
    )

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,  # PyTorch's default
        lr_decay: float = 0.0,  # step t uses lr / (1 + (t - 1) * lr_decay)
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,  # > 0 damps the very first steps
        eps: float = 1e-10,  # keeps the step finite where the accumulator is ~0
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = self._float("lr_decay", lr_decay)
        self.weight_decay = self._float("weight_decay", weight_decay)
        self.initial_accumulator_value = self._float(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = self._float("eps", eps)
        self.maximize = self._flag("maximize", maximize)
        self._validate()
        self._allocate_state()

    def _validate(self) -> None:
        for name in ("lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            value = getattr(self, name)
            self._require(0 <= value < math.inf, name, value, "it must be >= 0 and finite")

    def _state_names(self) -> tuple[str, ...]:
        return ("sum",)

    def _initial_value(self, state_name: str) -> float:
        return self.initial_accumulator_value

    def step(self) -> None:
        """One Adagrad update of every parameter, in place."""
        self.step_count += 1
        step_lr = self.lr / (1.0 + (self.step_count - 1) * self.lr_decay)
        eps = self.eps
        for p, state, scratch, work in zip(self.params, self.state, self._scratch, self._grad_work):
            grad = self._effective_grad(p, work)
            accumulator = state["sum"]
            np.multiply(grad, grad, out=scratch)
            accumulator += scratch
            np.sqrt(accumulator, out=scratch)
            scratch += eps
            np.divide(grad, scratch, out=scratch)
            scratch *= step_lr
            p.data -= scratch
