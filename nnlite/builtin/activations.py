"""Built-in activations, registered through the `nnlite_activations` hook."""

from nnlite import activations as act
from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_activations() -> dict[str, type]:
    return {
        "identity": act.Identity,
        "sigmoid": act.Sigmoid,
        "tanh": act.Tanh,
        "relu": act.ReLU,
        "leaky_relu": act.LeakyReLU,
        "elu": act.ELU,
        "gelu": act.GELU,
        "softplus": act.Softplus,
        "softmax": act.Softmax,
        "log_softmax": act.LogSoftmax,
    }
