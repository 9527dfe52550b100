"""Example optimizer plugin: Lion (Chen et al. 2023, "Symbolic Discovery of
Optimization Algorithms"), the sign of an interpolated momentum.

    c = beta1 m + (1 - beta1) g        the update direction
    p = p - lr (sign(c) + weight_decay p)
    m = beta2 m + (1 - beta2) g        the momentum, with a slower decay

Subclassing `nl.Optimizer` gives `zero_grad`, `state_dict`/`load_state_dict` and the
validated, schedulable `lr`; a subclass names its hyperparameters and state buffers,
allocates them with `_allocate_state()` and writes `step()`, updating `p.data` in place
and never modifying `p.grad`. Every step is the same size (lr), so Lion wants an lr
3-10x smaller than Adam's.

Use it: `python -m nnlite +experiment=moons 'plugins=[plugins/lion.py]'
optimizer.name=lion optimizer.lr=0.001`, or `nl.optimizer("lion", model, lr=1e-3)`.
"""

import math

import numpy as np

import nnlite as nl


class Lion(nl.Optimizer):
    """Lion: lr=1e-4, betas=(0.9, 0.99), weight_decay=0 (decoupled, as AdamW)."""

    hyperparameters = ("betas", "weight_decay")  # saved in state_dict besides lr

    def __init__(self, params, lr: float = 1e-4, betas: tuple[float, float] = (0.9, 0.99),
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        beta1, beta2 = betas
        self.betas = (self._float("beta1", beta1), self._float("beta2", beta2))
        self.weight_decay = self._float("weight_decay", weight_decay)
        self._validate()
        self._allocate_state()

    def _validate(self) -> None:
        for name, beta in zip(("beta1", "beta2"), self.betas):
            self._require(0 <= beta < 1, name, beta, "betas must be in [0, 1)")
        self._require(0 <= self.weight_decay < math.inf, "weight_decay", self.weight_decay,
                      "it must be >= 0 and finite")

    def _state_names(self) -> tuple[str, ...]:
        return ("exp_avg",)  # one buffer per parameter, in the parameter's dtype

    @property
    def _l2_penalty(self) -> float:
        return 0.0  # the decay is applied to the weights in step(), not to the gradient

    def step(self) -> None:
        self.step_count += 1
        beta1, beta2 = self.betas  # python floats keep float32 arrays float32
        for p, state, c in zip(self.params, self.state, self._scratch):
            m, g = state["exp_avg"], p.grad
            if self.weight_decay:
                p.data *= 1.0 - self.lr * self.weight_decay
            np.multiply(m, beta1, out=c)
            c += (1.0 - beta1) * g
            np.sign(c, out=c)
            c *= self.lr
            p.data -= c
            m *= beta2
            m += (1.0 - beta2) * g


@nl.hookimpl
def nnlite_optimizers() -> dict[str, type]:
    return {"lion": Lion}
