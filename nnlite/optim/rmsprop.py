"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

The update is torch.optim.RMSprop's: g = grad (negated when maximizing) + weight_decay * p;
v = alpha * v + (1 - alpha) * g**2; centered also tracks a = alpha * a + (1 - alpha) * g and
uses v - a**2 (a variance estimate); d = g / (sqrt(.) + eps); with momentum
b = momentum * b + d and p -= lr * b, otherwise p -= lr * d.
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.optim.optimizer import Optimizer, ParamsLike


class RMSprop(Optimizer):
    """RMSprop: lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False."""

    hyperparameters = ("alpha", "eps", "weight_decay", "momentum", "centered", "maximize")

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,  # PyTorch's default
        alpha: float = 0.99,  # decay of the squared-gradient average
        eps: float = 1e-8,  # keeps the step finite where the average is ~0
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,  # normalise by the gradient's variance, not its raw 2nd moment
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = self._float("alpha", alpha)
        self.eps = self._float("eps", eps)
        self.weight_decay = self._float("weight_decay", weight_decay)
        self.momentum = self._float("momentum", momentum)
        self.centered = self._flag("centered", centered)
        self.maximize = self._flag("maximize", maximize)
        self._validate()
        self._allocate_state()

    def _validate(self) -> None:
        self._require(0 <= self.alpha <= 1, "alpha", self.alpha, "it must be in [0, 1]")
        self._require(0 <= self.eps < math.inf, "eps", self.eps, "it must be >= 0 and finite")
        self._require(
            0 <= self.weight_decay < math.inf, "weight_decay", self.weight_decay,
            "it must be >= 0 and finite",
        )
        self._require(
            0 <= self.momentum < math.inf, "momentum", self.momentum, "it must be >= 0 and finite"
        )

    def _state_names(self) -> tuple[str, ...]:
        names = ("square_avg",)
        if self.momentum > 0:
            names += ("momentum_buffer",)
        if self.centered:
            names += ("grad_avg",)
        return names

    def step(self) -> None:
        """One RMSprop update of every parameter, in place."""
        self.step_count += 1
        lr, alpha, eps, momentum = self.lr, self.alpha, self.eps, self.momentum
        new_share = 1.0 - alpha
        for p, state, scratch, work in zip(self.params, self.state, self._scratch, self._grad_work):
            grad = self._effective_grad(p, work)
            square_avg = state["square_avg"]
            square_avg *= alpha
            np.multiply(grad, new_share, out=scratch)
            scratch *= grad
            square_avg += scratch
            if self.centered:
                grad_avg = state["grad_avg"]
                grad_avg *= alpha
                np.multiply(grad, new_share, out=scratch)
                grad_avg += scratch
                np.multiply(grad_avg, grad_avg, out=scratch)
                np.subtract(square_avg, scratch, out=scratch)
                # v - a**2 >= 0 in exact arithmetic; rounding can dip below 0 (sqrt -> nan).
                np.maximum(scratch, 0.0, out=scratch)
                np.sqrt(scratch, out=scratch)
            else:
                np.sqrt(square_avg, out=scratch)
            scratch += eps
            np.divide(grad, scratch, out=scratch)
            if momentum > 0:
                buffer = state["momentum_buffer"]
                buffer *= momentum
                buffer += scratch
                np.multiply(buffer, lr, out=scratch)
            else:
                scratch *= lr
            p.data -= scratch
