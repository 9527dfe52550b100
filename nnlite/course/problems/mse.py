"""Exercise: the gradient of the mean squared error, L = (1 / (N·D)) Σ_nj (ŷ_nj − y_nj)²,
the mean over all N·D entries (nl.MSELoss()): ∂L/∂ŷ = 2 (ŷ − y) / (N·D).

yhat, y: (N, D); returns dyhat: (N, D). The start of every backward pass: this is the
dout handed to the last layer, and the only place the 1/N of a mean belongs.
"""

from __future__ import annotations

import numpy as np

from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, checker, numeric

SETTINGS = [((4, 1), np.float64, 0), ((3, 2), np.float64, 1), ((5, 3), np.float32, 2),
            ((2, 2), np.float32, 3)]


def _trials() -> list[Trial]:
    out = []
    for (n, d), dtype, seed in SETTINGS:
        rng = np.random.default_rng(seed)
        yhat, y = rng.normal(size=(n, d)).astype(dtype), rng.normal(size=(n, d)).astype(dtype)
        p64, y64 = yhat.astype(np.float64), y.astype(np.float64)
        [dyhat] = numeric(lambda p64=p64, y64=y64: float(np.mean((p64 - y64) ** 2)), p64)
        out.append(Trial(f"yhat of shape ({n}, {d}), {np.dtype(dtype).name}, seed {seed}",
                         (yhat, y), {"dyhat": dyhat}, np.dtype(dtype), n))
    return out


SPEC = Spec("mse_backward", ("yhat", "y"), ("dyhat",),
            {"dyhat": "∂L/∂ŷ = 2(ŷ − y)/(N·D)"}, {"dyhat": "yhat"}, (
    Mistake("dyhat", "missing 1/N: L is the mean over all N·D entries, so each entry's "
            "derivative 2(ŷ − y) is divided by N·D", lambda yhat, y: 2 * (yhat - y)),
    Mistake("dyhat", "divided by N (the rows) only: the mean runs over all N·D entries, "
            "so divide by yhat.size", lambda yhat, y: 2 * (yhat - y) / yhat.shape[0]),
    Mistake("dyhat", "divided by D (the columns) only: the mean runs over all N·D entries, "
            "so divide by yhat.size", lambda yhat, y: 2 * (yhat - y) / yhat.shape[1]),
    Mistake("dyhat", "missing the 2 of d(ŷ − y)²/dŷ = 2(ŷ − y) (that is the gradient of "
            "½(ŷ − y)², note 001's loss, not of this one)",
            lambda yhat, y: (yhat - y) / yhat.size),
    Mistake("dyhat", "has the sign flipped: d(ŷ − y)²/dŷ = +2(ŷ − y); 2(y − ŷ) is the "
            "derivative with respect to y", lambda yhat, y: 2 * (y - yhat) / yhat.size),
), {"yhat": "build a new array: 2 * (yhat - y) / yhat.size",
    "y": "build a new array: 2 * (yhat - y) / yhat.size"})


def mse_backward(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2 * (yhat - y) / yhat.size


STUB = '''
def mse_backward(yhat, y):
    """∂L/∂ŷ for L = mean over all N·D entries of (ŷ − y)².

    yhat: (N, D) the predictions ŷ
    y:    (N, D) the targets
    returns dyhat: (N, D) ∂L/∂ŷ. Do not change yhat or y.
    """
    raise NotImplementedError("write mse_backward")
'''

EXERCISE = Exercise("mse_backward", "mse_backward", "mse_backward(yhat, y) -> dyhat",
                    "∂L/∂ŷ of the mean squared error", "note 001 2(d), nl.MSELoss",
                    stub_text(STUB, "mse_backward", "Exercise mse_backward. Check: "
                              "python -m nnlite course check mse_backward THIS_FILE"),
                    mse_backward, checker(SPEC, _trials))
