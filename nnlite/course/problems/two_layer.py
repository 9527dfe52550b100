"""Exercise (note 003): the gradients of L(A, b) = (y − b^T σ(A x))² for one sample, by
the note's forward pass z1 = A x, z2 = σ(z1), z3 = b^T z2, z4 = y − z3, L = z4².

    x: (m,); y: a number; A: (h, m); b: (h,)
    ∂L/∂b = −2 z4 z2: (h,);  ∂L/∂A = −2 z4 (b ⊙ σ'(z1)) x^T: (h, m), σ' = σ(1 − σ)

A is the notes' z = A x matrix: A = (W^(1))^T of note 004's convention, so ∂L/∂A has
A's shape (h, m), not W's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, checker, numeric
from nnlite.nn.activations import stable_sigmoid

SETTINGS = [((4, 3), np.float64, 0), ((2, 2), np.float64, 1), ((3, 5), np.float32, 2),
            ((3, 3), np.float32, 3)]


def _forward(x: np.ndarray, y: float, A: np.ndarray,
            b: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    z1 = A @ x
    z2 = stable_sigmoid(z1)
    return z1, z2, float(y - b @ z2)


def _loss(x: np.ndarray, y: float, A: np.ndarray, b: np.ndarray) -> float:
    return _forward(x, y, A, b)[2] ** 2


def _trials() -> list[Trial]:
    out = []
    for (h, m), dtype, seed in SETTINGS:
        rng = np.random.default_rng(seed)
        x, A, b = (rng.normal(size=s).astype(dtype) for s in ((m,), (h, m), (h,)))
        y = float(rng.normal() * 2)
        x64, A64, b64 = (a.astype(np.float64) for a in (x, A, b))
        dA, db = numeric(lambda x64=x64, y=y, A64=A64, b64=b64: _loss(x64, y, A64, b64), A64, b64)
        out.append(Trial(f"(h, m) = ({h}, {m}), {np.dtype(dtype).name}, seed {seed}",
                         (x, y, A, b), {"dL_dA": dA, "dL_db": db}, np.dtype(dtype), 1))
    return out


def right(x: np.ndarray, y: float, A: np.ndarray,
          b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, z2, z4 = _forward(x, y, A, b)
    return -2 * z4 * np.outer(b * z2 * (1 - z2), x), -2 * z4 * z2


def variant(sign: float = -2.0, slope: str = "σ'",
            dA: bool = True) -> Callable[..., np.ndarray]:
    """The value of ∂L/∂A (dA) or ∂L/∂b with one factor changed."""
    def wrong(x: np.ndarray, y: float, A: np.ndarray, b: np.ndarray) -> np.ndarray:
        _, z2, z4 = _forward(x, y, A, b)
        g = {"σ'": z2 * (1 - z2), "1": np.ones_like(z2), "σ": z2}[slope]
        return sign * z4 * np.outer(b * g, x) if dA else sign * z4 * z2
    return wrong


SIGN = ("has the sign flipped: z4 = y − z3, so ∂z4/∂z3 = −1 and ∂L/∂z3 = −2 z4; "
        "it carries +2 z4")
TWO = "is missing the 2 of ∂L/∂z4 = 2 z4 (L = z4²)"
SPEC = Spec("two_layer_gradients", ("x", "y", "A", "b"), ("dL_dA", "dL_db"),
            {"dL_dA": "∂L/∂A = −2 z4 (b ⊙ σ'(z1)) x^T", "dL_db": "∂L/∂b = −2 z4 z2"},
            {"dL_dA": "A", "dL_db": "b"}, (
    Mistake("dL_dA", "missing g'(z): the step z2 = σ(z1) multiplies by σ'(z1) = z2 (1 − z2), "
            "so ∂L/∂A = −2 z4 (b ⊙ σ'(z1)) x^T", variant(slope="1")),
    Mistake("dL_dA", "used σ(z1) = z2 where σ'(z1) = σ(z1)(1 − σ(z1)) belongs",
            variant(slope="σ")),
    Mistake("dL_dA", "A against W: it has shape (m, h), the shape of note 004's W^(1) = A^T; "
            "∂L/∂A has A's shape (h, m), entry ij = −2 z4 b_i σ'(z1_i) x_j, "
            "np.outer(b * s * (1 - s), x)", lambda x, y, A, b: right(x, y, A, b)[0].T),
    Mistake("dL_dA", SIGN, variant(sign=2.0)),
    Mistake("dL_dA", TWO, variant(sign=-1.0)),
    Mistake("dL_db", "used z1 = A x where z2 = σ(z1) belongs: b multiplies the activations, "
            "so ∂z3/∂b = z2", lambda x, y, A, b: -2 * _forward(x, y, A, b)[2] * (A @ x)),
    Mistake("dL_db", SIGN, variant(sign=2.0, dA=False)),
    Mistake("dL_db", TWO, variant(sign=-1.0, dA=False)),
), {name: "build new arrays" for name in ("x", "A", "b")})


def two_layer_gradients(x: np.ndarray, y: float, A: np.ndarray,
                        b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return right(x, y, A, b)


STUB = '''
def two_layer_gradients(x, y, A, b):
    """Note 003: ∂L/∂A and ∂L/∂b for L = (y − b^T σ(A x))², one sample.

    x: (m,) the input; y: a number, the target
    A: (h, m) the first layer in the notes' z = A x form; b: (h,) the output weights
    Forward (note 003): z1 = A x, z2 = σ(z1), z3 = b^T z2, z4 = y − z3, L = z4².
    returns (dL_dA, dL_db): (h, m) and (h,). σ'(u) = σ(u)(1 − σ(u)).
    """
    raise NotImplementedError("write two_layer_gradients")
'''

EXERCISE = Exercise("two_layer_gradients", "two_layer_gradients",
                    "two_layer_gradients(x, y, A, b) -> (dL_dA, dL_db)",
                    "note 003's two-layer network, b^T σ(Ax), by the chain rule", "note 003",
                    stub_text(STUB, "two_layer_gradients", "Exercise two_layer_gradients "
                              "(note 003). Check: python -m nnlite course check "
                              "two_layer_gradients THIS_FILE"),
                    two_layer_gradients, checker(SPEC, _trials))
