"""Adam and AdamW: bias-corrected moment estimates, with L2 or decoupled weight decay.

The update is torch.optim.Adam's: g = grad (negated when maximizing) + weight_decay * p;
m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g**2; with amsgrad v_max = max(v_max, v)
replaces v; p -= lr / (1 - b1**t) * m / (sqrt(v) / sqrt(1 - b2**t) + eps). AdamW
(Loshchilov & Hutter) instead shrinks the weights directly, p *= 1 - lr * weight_decay,
before the Adam step, so the decay is not rescaled by the adaptive denominator.
"""

from __future__ import annotations

import math

import numpy as np

from nnlite.optim.optimizer import Optimizer, ParamsLike


class Adam(Optimizer):
    """Adam: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0 (L2), amsgrad=False."""

    hyperparameters = ("betas", "eps", "weight_decay", "amsgrad", "maximize")

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,  # Kingma & Ba's default
        betas: tuple[float, float] = (0.9, 0.999),  # decay rates of the two moment averages
        eps: float = 1e-8,  # keeps the step finite where the second moment is ~0
        weight_decay: float = 0.0,
        amsgrad: bool = False,  # divide by the running max of v (Reddi et al.)
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        try:
            beta1, beta2 = betas
        except (TypeError, ValueError):
            self._require(False, "betas", betas, "it must be a pair (beta1, beta2)")
        self.betas = (self._float("beta1", beta1), self._float("beta2", beta2))
        self.eps = self._float("eps", eps)
        self.weight_decay = self._float("weight_decay", weight_decay)
        self.amsgrad = self._flag("amsgrad", amsgrad)
        self.maximize = self._flag("maximize", maximize)
        self._validate()
        self._allocate_state()

    def _validate(self) -> None:
        beta1, beta2 = self.betas
        self._require(0 <= beta1 < 1, "beta1", beta1, "betas must be in [0, 1)")
        self._require(0 <= beta2 < 1, "beta2", beta2, "betas must be in [0, 1)")
        self._require(0 <= self.eps < math.inf, "eps", self.eps, "it must be >= 0 and finite")
        self._require(
            0 <= self.weight_decay < math.inf, "weight_decay", self.weight_decay,
            "it must be >= 0 and finite",
        )

    def _state_names(self) -> tuple[str, ...]:
        names = ("exp_avg", "exp_avg_sq")
        return (*names, "max_exp_avg_sq") if self.amsgrad else names

    def _decay_weights(self) -> None:
        """Decoupled weight decay (AdamW only); Adam folds its decay into the gradient."""

    def step(self) -> None:
        """One Adam update of every parameter, in place."""
        self._decay_weights()
        self.step_count += 1
        t = self.step_count
        beta1, beta2 = self.betas
        # Python floats throughout: numpy scalars here would upcast float32 buffers' math.
        correction1 = 1.0 - beta1**t
        sqrt_correction2 = math.sqrt(1.0 - beta2**t)
        # lr/c1 * m / (sqrt(v)/sqrt(c2) + eps) == (lr*sqrt(c2)/c1) * m / (sqrt(v) + eps*sqrt(c2)):
        # the same step with one fewer pass over the array.
        step_size = self.lr * sqrt_correction2 / correction1
        scaled_eps = self.eps * sqrt_correction2
        keep1, keep2 = 1.0 - beta1, 1.0 - beta2
        for p, state, scratch, work in zip(self.params, self.state, self._scratch, self._grad_work):
            grad = self._effective_grad(p, work)
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg *= beta1
            np.multiply(grad, keep1, out=scratch)
            exp_avg += scratch
            exp_avg_sq *= beta2
            np.multiply(grad, keep2, out=scratch)
            scratch *= grad
            exp_avg_sq += scratch
            second_moment = exp_avg_sq
            if self.amsgrad:
                second_moment = state["max_exp_avg_sq"]
                np.maximum(second_moment, exp_avg_sq, out=second_moment)
            np.sqrt(second_moment, out=scratch)
            scratch += scaled_eps
            np.divide(exp_avg, scratch, out=scratch)
            scratch *= step_size
            p.data -= scratch


class AdamW(Adam):
    """AdamW: Adam's arguments, but weight_decay=1e-2 and decoupled from the gradient.

    Same as Adam except that weight decay multiplies the weights by (1 - lr * weight_decay)
    each step instead of adding weight_decay * p to the gradient.
    """

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,  # PyTorch's AdamW default
        amsgrad: bool = False,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize)

    @property
    def _l2_penalty(self) -> float:
        return 0.0  # the decay is applied to the weights, not folded into the gradient

    def _decay_weights(self) -> None:
        if self.weight_decay != 0:
            shrink = 1.0 - self.lr * self.weight_decay
            for p in self.params:
                p.data *= shrink
