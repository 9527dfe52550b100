"""nnlite: a small, fast, readable neural-network framework on numpy.

    import nnlite as nl
    model = nl.mlp([2, 8, 1], activation="tanh")
    loss = nl.BCEWithLogitsLoss()
    opt = nl.optimizer("sgd", model.parameters(), lr=0.5)

Every layer has an explicit forward and backward; activations, initializers,
optimizers, losses, layers and datasets come from pluggy plugins (see
`nnlite.hookspecs`). Importing nnlite imports neither Hydra nor matplotlib.
"""

from nnlite.hookspecs import hookimpl, hookspec
from nnlite.module import Module, Parameter
from nnlite.layers import Dropout, Flatten, Linear, Residual, Sequential
from nnlite.activations import Elementwise
from nnlite.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss
from nnlite import init, optim
from nnlite.optim import Optimizer, clip_grad_norm
from nnlite import plugins
from nnlite.plugins import registry
from nnlite.registry import PluginError
from nnlite.factories import activation, dataset, initializer, layer, loss, optimizer, schedule
from nnlite.models import mlp
from nnlite.gradcheck import gradcheck, jacobian
from nnlite.init import gain

# Loaded on first use (PEP 562), so `import nnlite` stays close to `import numpy` alone.
_LAZY = {"data": ("nnlite.data", None), "runs": ("nnlite.runs", None),
         "Dataset": ("nnlite.data", "Dataset"), "load_run": ("nnlite.runs", "load_run")}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'nnlite' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)

__version__ = "0.1.0"

__all__ = [
    "BCEWithLogitsLoss", "CrossEntropyLoss", "Dataset", "Dropout", "Elementwise", "Flatten",
    "Linear",
    "Loss", "MSELoss", "Module", "Optimizer", "Parameter", "PluginError", "Residual",
    "Sequential", "activation", "clip_grad_norm", "dataset", "gain", "gradcheck", "hookimpl",
    "hookspec", "init", "initializer", "jacobian", "layer", "load_run", "loss", "mlp", "optim",
    "optimizer", "plugins", "registry", "runs", "schedule", "data",
]


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
