"""One training step (forward + loss + backward + update) per implementation.

Each factory takes a workload, a dtype and an optimizer name ("sgd" or "adam"), builds
its network from the shared initial weights (`workloads.make_weights`) and returns a
zero-argument `step()` that performs one step on the shared batch and returns the loss
as a Python float. PyTorch and scikit-learn are optional: their factories raise
ImportError when the package is missing, and the runner skips them with a note.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from benchmarks.numpy_mlp import NumpyMLP
from benchmarks.workloads import Workload, make_batch, make_weights

Step = Callable[[], float]
ADAM_LR = 1e-3  # Adam's usual default, the same for every implementation
THREADS = os.cpu_count() or 1  # PyTorch gets as many threads as OpenBLAS uses by default


def _lr(w: Workload, optimizer: str) -> float:
    return ADAM_LR if optimizer == "adam" else w.lr


def nnlite_step(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """nnlite exactly as the README's loop runs it: mlp, registry loss and optimizer,
    `model.backward(loss.backward())` (nl.mlp skips the data's gradient unless asked)."""
    import nnlite as nl

    x, y = make_batch(w, dtype)
    model = nl.mlp(list(w.sizes), activation=w.activation, rng=0, dtype=dtype)
    linears = [m for m in model.modules() if isinstance(m, nl.Linear)]
    for layer, (weight, bias) in zip(linears, make_weights(w, dtype)):
        layer.weight.data[...] = weight
        layer.bias.data[...] = bias
    loss = nl.loss(w.loss)
    opt = nl.optimizer(optimizer, model.parameters(), lr=_lr(w, optimizer))

    def step() -> float:
        value = loss(model.forward(x), y)
        opt.zero_grad()
        model.backward(loss.backward())
        opt.step()
        return value

    return step


def numpy_step(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """The hand-written numpy MLP of `numpy_mlp.py`."""
    x, y = make_batch(w, dtype)
    net = NumpyMLP(make_weights(w, dtype), w.batch, w.activation, w.loss, _lr(w, optimizer),
                   optimizer=optimizer)
    return lambda: net.step(x, y)


def torch_step(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """PyTorch CPU, eager mode, torch.optim with its defaults, THREADS threads."""
    import torch

    torch.set_num_threads(THREADS)
    x, y = make_batch(w, dtype)
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers: list = []
    for k, (weight, bias) in enumerate(make_weights(w, dtype)):
        linear = torch.nn.Linear(*weight.shape, dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight.T.copy()))  # torch keeps (out, in)
            linear.bias.copy_(torch.from_numpy(bias))
        layers.append(linear)
        if k < len(w.sizes) - 2:
            layers.append(torch.nn.ReLU() if w.activation == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    if w.loss == "cross_entropy":
        loss_fn = torch.nn.functional.cross_entropy
    else:
        loss_fn = torch.nn.functional.binary_cross_entropy_with_logits
    opt_class = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    opt = opt_class(model.parameters(), lr=_lr(w, optimizer))

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(model(xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def sklearn_step(w: Workload, dtype: np.dtype, optimizer: str = "sgd") -> Step:
    """scikit-learn's MLPClassifier, one `partial_fit` on the whole batch per step.

    No L2 penalty (alpha=0), no momentum, so it computes the same step as the others.
    """
    from sklearn.neural_network import MLPClassifier

    x, y = make_batch(w, dtype)
    labels = y.ravel().astype(np.int64)
    classes = np.arange(2 if w.loss == "bce_with_logits" else w.sizes[-1])
    clf = MLPClassifier(hidden_layer_sizes=w.sizes[1:-1], activation=w.activation,
                        solver=optimizer, learning_rate_init=_lr(w, optimizer), alpha=0.0,
                        momentum=0.0, nesterovs_momentum=False, batch_size=w.batch,
                        shuffle=False, random_state=0)
    clf.partial_fit(x, labels, classes=classes)  # builds the network and its optimizer
    for k, (weight, bias) in enumerate(make_weights(w, dtype)):
        clf.coefs_[k][...] = weight  # in place: the optimizer holds these very arrays
        clf.intercepts_[k][...] = bias
    opt = clf._optimizer
    if optimizer == "adam":
        opt.t = 0
        for buffer in (*opt.ms, *opt.vs):
            buffer[...] = 0

    def step() -> float:
        clf.partial_fit(x, labels)
        return float(clf.loss_)

    return step


IMPLEMENTATIONS: dict[str, Callable[..., Step]] = {
    "nnlite": nnlite_step,
    "numpy": numpy_step,
    "torch": torch_step,
    "sklearn": sklearn_step,
}
