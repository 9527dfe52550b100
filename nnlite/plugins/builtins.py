"""nnlite's own plugin: the built-in names, registered through the very hooks a
third-party plugin implements (`nnlite.hookspecs`), when the registry is first used.

A name maps to the class or function that makes it; PyTorch's kaiming_* names are
given too, so recipes written for torch.nn.init carry over unchanged.
"""

from __future__ import annotations

from typing import Any

from nnlite import data, optim
from nnlite.hookspecs import hookimpl
from nnlite.nn import activations as act
from nnlite.nn import init, losses
from nnlite.nn.container import Residual, Sequential
from nnlite.nn.dropout import Dropout
from nnlite.nn.flatten import Flatten
from nnlite.nn.linear import Linear
from nnlite.optim import schedules


@hookimpl
def nnlite_activations() -> dict[str, type]:
    return {"identity": act.Identity, "sigmoid": act.Sigmoid, "tanh": act.Tanh,
            "relu": act.ReLU, "leaky_relu": act.LeakyReLU, "elu": act.ELU, "gelu": act.GELU,
            "softplus": act.Softplus, "softmax": act.Softmax, "log_softmax": act.LogSoftmax}


@hookimpl
def nnlite_initializers() -> dict[str, Any]:
    return {"zeros": init.zeros, "constant": init.constant, "normal": init.normal,
            "uniform": init.uniform, "xavier_uniform": init.xavier_uniform,
            "xavier_normal": init.xavier_normal, "he_uniform": init.he_uniform,
            "he_normal": init.he_normal, "kaiming_uniform": init.he_uniform,
            "kaiming_normal": init.he_normal, "lecun_normal": init.lecun_normal,
            "orthogonal": init.orthogonal}


@hookimpl
def nnlite_optimizers() -> dict[str, type]:
    return {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW,
            "rmsprop": optim.RMSprop, "adagrad": optim.Adagrad}


@hookimpl
def nnlite_losses() -> dict[str, type]:
    return {"mse": losses.MSELoss, "bce_with_logits": losses.BCEWithLogitsLoss,
            "cross_entropy": losses.CrossEntropyLoss}


@hookimpl
def nnlite_layers() -> dict[str, type]:
    return {"linear": Linear, "dropout": Dropout, "flatten": Flatten, "residual": Residual,
            "sequential": Sequential}


@hookimpl
def nnlite_datasets() -> dict[str, Any]:
    return {"xor": data.xor, "moons": data.moons, "circles": data.circles,
            "spirals": data.spirals, "blobs": data.blobs, "regression1d": data.regression1d,
            "sine": data.sine, "digits": data.digits, "file": data.from_file}


@hookimpl
def nnlite_schedules() -> dict[str, Any]:
    return {"constant": schedules.constant_lr, "step": schedules.step,
            "exponential": schedules.exponential, "cosine": schedules.cosine}


# The `logger` config group (tensorboard, mlflow, jsonl): loggers are event plugins too.
# nnlite.loggers.hub starts those a run's config names; runs without any pay nothing.
@hookimpl
def nnlite_run_start(run: Any) -> None:
    from nnlite.loggers import hub

    hub.start_loggers(run)


@hookimpl
def nnlite_epoch_end(run: Any, epoch: int, metrics: dict[str, float]) -> None:
    from nnlite.loggers import hub

    hub.log_epoch(run, epoch, metrics)


@hookimpl
def nnlite_run_end(run: Any, summary: dict[str, Any]) -> None:
    from nnlite.loggers import hub

    hub.end_loggers(run, summary)
