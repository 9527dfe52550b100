"""Stochastic gradient descent with optional momentum, Nesterov and L2 weight decay.

The update is torch.optim.SGD's: g = grad (negated when maximizing) + weight_decay * p;
with momentum the buffer starts as the first step's g (no dampening on that step) and
then b = momentum * b + (1 - dampening) * g; the step uses b, or g + momentum * b with
Nesterov; finally p -= lr * step. Note PyTorch's momentum multiplies the buffer, not the
learning rate (b = mu * b + g, p -= lr * b), unlike Sutskever et al.'s formulation.
"""

from __future__ import annotations

import numpy as np

from nnlite.optim.optimizer import Optimizer, ParamsLike


class SGD(Optimizer):
    """SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False).

    `lr` is required (there is no learning rate that suits every problem).
    """

    hyperparameters = ("momentum", "dampening", "weight_decay", "nesterov", "maximize")

    def __init__(
        self,
        params: ParamsLike,
        lr: float,
        momentum: float = 0.0,  # 0 = plain SGD; 0.9 is the usual choice
        dampening: float = 0.0,  # scales the new gradient's share in the momentum buffer
        weight_decay: float = 0.0,  # L2 penalty coefficient added to the gradient
        nesterov: bool = False,  # look-ahead momentum; needs momentum > 0, dampening = 0
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = self._float("momentum", momentum)
        self.dampening = self._float("dampening", dampening)
        self.weight_decay = self._float("weight_decay", weight_decay)
        self.nesterov = self._flag("nesterov", nesterov)
        self.maximize = self._flag("maximize", maximize)
        self._validate()
        self._allocate_state()

    def _validate(self) -> None:
        self._require(self.momentum >= 0, "momentum", self.momentum, "it must be >= 0")
        self._require(
            0 <= self.dampening <= 1, "dampening", self.dampening, "it must be in [0, 1]"
        )
        self._require(
            self.weight_decay >= 0, "weight_decay", self.weight_decay, "it must be >= 0"
        )
        if self.nesterov:
            self._require(
                self.momentum > 0 and self.dampening == 0, "nesterov", self.nesterov,
                f"Nesterov momentum needs momentum > 0 (got {self.momentum}) "
                f"and dampening = 0 (got {self.dampening})",
            )

    def _state_names(self) -> tuple[str, ...]:
        return ("momentum_buffer",) if self.momentum != 0 else ()

    def step(self) -> None:
        """One SGD update of every parameter, in place."""
        lr = self.lr
        self.step_count += 1
        if self.momentum == 0 and self._grad_work[0] is None:
            # The common case, kept to two ufunc calls and no allocation per parameter.
            for p, scratch in zip(self.params, self._scratch):
                np.multiply(p.grad, lr, out=scratch)
                p.data -= scratch
            return
        momentum, first_step = self.momentum, self.step_count == 1
        kept_share = 1.0 - self.dampening
        for p, state, scratch, work in zip(self.params, self.state, self._scratch, self._grad_work):
            grad = self._effective_grad(p, work)
            direction = grad
            if momentum != 0:
                buffer = state["momentum_buffer"]
                if first_step:
                    buffer[...] = grad  # PyTorch starts the buffer at g, undamped
                else:
                    buffer *= momentum
                    if kept_share == 1.0:
                        buffer += grad
                    else:
                        np.multiply(grad, kept_share, out=scratch)
                        buffer += scratch
                if self.nesterov:
                    np.multiply(buffer, momentum, out=scratch)
                    scratch += grad
                    direction = scratch
                else:
                    direction = buffer
            np.multiply(direction, lr, out=scratch)
            p.data -= scratch
