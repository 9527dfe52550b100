"""The maths: modules and layers with explicit forward and backward, activations,
losses, initializers and gradient checks. numpy only: nothing here imports pluggy,
Hydra or matplotlib, and names ("relu", "he_normal") are looked up in
`nnlite.registry`."""

from nnlite.nn.activations import Elementwise
from nnlite.nn.container import Residual, Sequential
from nnlite.nn.dropout import Dropout
from nnlite.nn.flatten import Flatten
from nnlite.nn.gradcheck import gradcheck, jacobian
from nnlite.nn.initializer_by_name import initializer
from nnlite.nn.linear import Linear
from nnlite.nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss
from nnlite.nn.mlp import mlp
from nnlite.nn.module import Module, Parameter

__all__ = [
    "BCEWithLogitsLoss", "CrossEntropyLoss", "Dropout", "Elementwise", "Flatten", "Linear",
    "Loss", "MSELoss", "Module", "Parameter", "Residual", "Sequential", "gradcheck",
    "initializer", "jacobian", "mlp",
]
