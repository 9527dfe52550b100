"""Optimizers (PyTorch's update rules on numpy, in place) and gradient clipping.

    from nnlite.optim import Adam
    opt = Adam(model.parameters(), lr=1e-3)
    opt.zero_grad(); loss.backward(); opt.step()
"""

from nnlite.optim.adagrad import Adagrad
from nnlite.optim.adam import Adam, AdamW
from nnlite.optim.clip import clip_grad_norm
from nnlite.optim.optimizer import Optimizer
from nnlite.optim.rmsprop import RMSprop
from nnlite.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "clip_grad_norm"]
