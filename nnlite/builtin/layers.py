"""Built-in layers that configs can name, registered through the `nnlite_layers` hook."""

from nnlite import layers
from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_layers() -> dict[str, type]:
    return {
        "linear": layers.Linear,
        "dropout": layers.Dropout,
        "flatten": layers.Flatten,
        "residual": layers.Residual,
        "sequential": layers.Sequential,
    }
