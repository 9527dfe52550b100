"""Built-in optimizers, registered through the `nnlite_optimizers` hook."""

from nnlite.hookspecs import hookimpl
from nnlite.optim import SGD, Adagrad, Adam, AdamW, RMSprop


@hookimpl
def nnlite_optimizers() -> dict[str, type]:
    return {
        "sgd": SGD,
        "adam": Adam,
        "adamw": AdamW,
        "rmsprop": RMSprop,
        "adagrad": Adagrad,
    }
