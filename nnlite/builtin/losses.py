"""Built-in losses, registered through the `nnlite_losses` hook."""

from nnlite import losses
from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_losses() -> dict[str, type]:
    return {
        "mse": losses.MSELoss,
        "bce_with_logits": losses.BCEWithLogitsLoss,
        "cross_entropy": losses.CrossEntropyLoss,
    }
