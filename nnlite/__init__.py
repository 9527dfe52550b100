"""nnlite: a small, fast, readable neural-network framework on numpy.

    import nnlite as nl
    model = nl.mlp([2, 8, 1], activation="tanh")
    loss = nl.BCEWithLogitsLoss()
    opt = nl.optimizer("sgd", model.parameters(), lr=0.5)

Every layer has an explicit forward and backward; activations, initializers,
optimizers, losses, layers and datasets come from pluggy plugins (see
`nnlite.hookspecs`). The package is in tiers whose imports run one way
(docs/architecture.md): registry -> maths (nn, optim, data) -> plugins (hooks),
explain and plots -> runs -> command line (cli). Importing nnlite imports neither
Hydra nor matplotlib, and registers nothing: the built-ins register on the first lookup.
"""

from nnlite import optim
from nnlite.data import Dataset
from nnlite.explain import explain
from nnlite.hookspecs import hookimpl, hookspec
from nnlite.nn import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Dropout,
    Elementwise,
    Flatten,
    Linear,
    Loss,
    Module,
    MSELoss,
    Parameter,
    Residual,
    Sequential,
    activations,
    gradcheck,
    init,
    jacobian,
    losses,
    mlp,
)
from nnlite.nn.init import gain
from nnlite.optim import Optimizer, clip_grad_norm
from nnlite.plugins import manager as _manager
from nnlite.plugins.factories import (
    activation,
    dataset,
    initializer,
    layer,
    loss,
    optimizer,
    schedule,
)
from nnlite.registry import PluginError, registry
from nnlite.version import __version__ as __version__

registry.use(_manager)  # names come from the plugin manager (nothing is registered yet)


# Loaded on first use (PEP 562), so `import nnlite` stays close to `import numpy` alone.
# The other names are the modules a reader meets in the docs and examples.
_LAZY = {"plugins": ("nnlite.plugins", None), "runs": ("nnlite.runs", None),
         "load_run": ("nnlite.runs", "load_run"), "datasets": ("nnlite.data.datasets", None),
         "module": ("nnlite.nn.module", None), "schedules": ("nnlite.optim.schedules", None),
         "train": ("nnlite.runs.training.lifecycle", "train"),
         # the explainer loads when first used (`nl.explain` itself is a small function)
         "Explanation": ("nnlite.explain.explanation", "Explanation"),
         "graph": ("nnlite.explain.graph", None),
         # exercises, quizzes and worked examples (YAML is read only when one is)
         "course": ("nnlite.course", None),
         # the notebook entry point composes with Hydra, so it lives with the command line
         "run": ("nnlite.cli.notebook", "run")}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'nnlite' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


__all__ = [
    "BCEWithLogitsLoss", "CrossEntropyLoss", "Dataset", "Dropout", "Elementwise", "Explanation",
    "Flatten", "Linear", "Loss", "MSELoss", "Module", "Optimizer", "Parameter", "PluginError",
    "Residual", "Sequential", "activation", "activations", "clip_grad_norm", "course", "data",
    "dataset",
    "datasets", "explain", "gain", "gradcheck", "graph", "hookimpl", "hookspec", "init",
    "initializer", "jacobian", "layer", "load_run", "loss", "losses", "mlp", "optim",
    "optimizer", "plugins", "registry", "run", "runs", "schedule",
]


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
