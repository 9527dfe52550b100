"""Example activation plugin: Swish, f(x) = x * sigmoid(beta * x) (SiLU when beta = 1).

Copy this file to start your own activation. An elementwise activation subclasses
`nl.Elementwise` and gives the function `f(x)` and its derivative `df(x, y)` (y = f(x)
is passed too, for derivatives that are cheaper from the output); the base class caches
what backward needs and applies the chain rule dx = dout * f'(x).

Use it (see docs/plugins.md):

    python -m nnlite +experiment=moons 'plugins=[plugins/swish.py]' model.activation=swish

    nl.plugins.load("plugins/swish.py"); nl.activation("swish", beta=1.5)

Test it: `nnlite.testing.check_activation(Swish)` (gradients, dtypes, shapes, stability).
"""

import numpy as np

import nnlite as nl
from nnlite.nn.activations import stable_sigmoid


class Swish(nl.Elementwise):
    """f(x) = x s(bx) with s = sigmoid and b = beta;
    f'(x) = s(bx) + b x s(bx) (1 - s(bx)) = s + b f(x) (1 - s)."""

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = float(beta)  # 1.0 is SiLU; large beta approaches ReLU

    def f(self, x: np.ndarray) -> np.ndarray:
        return x * stable_sigmoid(self.beta * x)  # stable_sigmoid never overflows

    def df(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        s = stable_sigmoid(self.beta * x)
        return s + self.beta * y * (1.0 - s)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


@nl.hookimpl
def nnlite_activations() -> dict[str, type]:
    return {"swish": Swish}
