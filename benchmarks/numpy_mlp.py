"""A hand-written numpy MLP: the practical speed limit nnlite is measured against.

No abstraction at all: every array (activations, gradients, optimizer moments, loss
scratch) is allocated once in `__init__` and every step writes into it with `out=`
arguments and in-place operators; ReLU is applied in place (against a zeros buffer: numpy's
vectorized maximum wants two arrays) and keeps its mask for the backward pass; each
layer's update is fused into the backward pass right after its gradients are computed;
the first layer's input gradient, which nobody needs, is never computed. This is how a
careful person writes one fixed network by hand, and what a framework's overhead is
measured against.
"""

from __future__ import annotations

import math

import numpy as np


class NumpyMLP:
    """Linear -> act -> ... -> Linear, with cross-entropy or BCE-with-logits on the logits.

    weights: [(W (in, out), b (out,)), ...]; activation "relu" or "tanh"; optimizer
    "sgd" (plain) or "adam" (torch.optim.Adam's defaults).
    """

    def __init__(self, weights, batch: int, activation: str, loss: str, lr: float,
                 optimizer: str = "sgd", betas=(0.9, 0.999), eps: float = 1e-8) -> None:
        self.W = [w.copy() for w, _ in weights]
        self.b = [b.copy() for _, b in weights]
        dtype = self.W[0].dtype
        self.activation, self.loss, self.lr, self.optimizer = activation, loss, lr, optimizer
        widths = [w.shape[1] for w in self.W]
        self.H = [np.empty((batch, d), dtype) for d in widths]  # layer outputs, activated in place
        self.dH = [np.empty((batch, d), dtype) for d in widths[:-1]]  # d loss / d hidden output
        self.mask = [np.empty((batch, d), bool) for d in widths[:-1]]  # relu: h > 0
        self.zeros = [np.zeros((batch, d), dtype) for d in widths[:-1]]  # relu: max(h, 0)
        self.tmp = [np.empty((batch, d), dtype) for d in widths[:-1]]  # tanh: 1 - h^2
        self.dW = [np.empty_like(w) for w in self.W]
        self.db = [np.empty_like(b) for b in self.b]
        self.dz = np.empty((batch, widths[-1]), dtype)  # d loss / d logits
        self.softplus = np.empty((batch, widths[-1]), dtype)
        self.rows = np.arange(batch)
        if optimizer == "adam":
            self.beta1, self.beta2, self.eps, self.t = betas[0], betas[1], eps, 0
            self.m = [np.zeros_like(p) for p in self.W + self.b]
            self.v = [np.zeros_like(p) for p in self.W + self.b]
            self.scratch = [np.empty_like(p) for p in self.W + self.b]

    # -- loss: value and d loss / d logits in one go ---------------------------------------
    def _cross_entropy(self, z: np.ndarray, labels: np.ndarray) -> float:
        p, n = self.dz, z.shape[0]
        np.subtract(z, z.max(axis=1, keepdims=True), out=p)
        picked = p[self.rows, labels].sum()
        np.exp(p, out=p)
        total = p.sum(axis=1, keepdims=True)
        value = (np.log(total).sum() - picked) / n
        p /= total
        p[self.rows, labels] -= 1.0
        p *= 1.0 / n
        return float(value)

    def _bce_with_logits(self, z: np.ndarray, y: np.ndarray) -> float:
        sp, dz, n = self.softplus, self.dz, z.size
        np.logaddexp(0.0, z, out=sp)  # softplus(z) = log(1 + e^z), stable
        np.multiply(z, y, out=dz)
        np.subtract(sp, dz, out=dz)
        value = dz.sum() / n
        np.subtract(z, sp, out=dz)
        np.exp(dz, out=dz)  # sigmoid(z) = e^(z - softplus(z))
        dz -= y
        dz *= 1.0 / n
        return float(value)

    # -- updates ---------------------------------------------------------------------------
    def _sgd(self, p: np.ndarray, g: np.ndarray, _k: int) -> None:
        g *= self.lr
        p -= g

    def _adam(self, p: np.ndarray, g: np.ndarray, k: int) -> None:
        m, v, b1, b2 = self.m[k], self.v[k], self.beta1, self.beta2
        m *= b1
        v *= b2
        scratch = self.scratch[k]
        np.multiply(g, 1.0 - b1, out=scratch)
        m += scratch
        g *= g
        g *= 1.0 - b2
        v += g
        np.sqrt(v, out=g)
        g += self._eps_hat
        np.divide(m, g, out=g)
        g *= self._step_size
        p -= g

    # -- one training step ------------------------------------------------------------------
    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        n_layers = len(self.W)
        a = x
        for i in range(n_layers):
            h = self.H[i]
            np.matmul(a, self.W[i], out=h)
            h += self.b[i]
            if i < n_layers - 1:
                if self.activation == "relu":
                    np.greater(h, 0.0, out=self.mask[i])
                    np.maximum(h, self.zeros[i], out=h)
                else:
                    np.tanh(h, out=h)
            a = h
        if self.loss == "cross_entropy":
            value = self._cross_entropy(a, y)
        else:
            value = self._bce_with_logits(a, y)
        update = self._sgd
        if self.optimizer == "adam":
            update = self._adam
            self.t += 1
            c2 = math.sqrt(1.0 - self.beta2**self.t)
            self._step_size = self.lr * c2 / (1.0 - self.beta1**self.t)
            self._eps_hat = self.eps * c2
        dz = self.dz
        for i in reversed(range(n_layers)):
            a_in = x if i == 0 else self.H[i - 1]
            np.matmul(a_in.T, dz, out=self.dW[i])
            dz.sum(axis=0, out=self.db[i])
            if i > 0:  # the input's gradient is never needed
                dh = self.dH[i - 1]
                np.matmul(dz, self.W[i].T, out=dh)
                if self.activation == "relu":
                    np.multiply(dh, self.mask[i - 1], out=dh)
                else:
                    t = self.tmp[i - 1]
                    np.multiply(a_in, a_in, out=t)
                    np.subtract(1.0, t, out=t)
                    dh *= t
                dz = dh
            update(self.W[i], self.dW[i], i)
            update(self.b[i], self.db[i], n_layers + i)
        return value
