"""Exercise: the backward pass of a row-wise softmax, a = σ(z) with σ(z)_i = e^z_i / Σ_k e^z_k
(note 002 §3.5-3.6). Every output of a row depends on every input of that row: the
Jacobian is J = diag(σ) − σσ^T, so dz = J^T dout = σ ⊙ (dout − Σ_i dout_i σ_i), the sum
over the K units of each row.

z, dout: (N, K); dz: (N, K). One trial's logits reach 800, where e^z overflows unless
each row's maximum is subtracted first.
"""

from __future__ import annotations

import numpy as np

from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, checker, numeric
from nnlite.nn.activations import softmax

SETTINGS = [((2, 3), np.float64, 0, 0.0), ((3, 3), np.float64, 1, 0.0),
            ((4, 5), np.float32, 2, 0.0), ((2, 4), np.float64, 3, 800.0)]


def _trials() -> list[Trial]:
    out = []
    for (n, k), dtype, seed, shift in SETTINGS:
        rng = np.random.default_rng(seed)
        z = (rng.normal(0.0, 1.5, (n, k)) + shift).astype(dtype)
        dout = rng.normal(size=(n, k)).astype(dtype)
        z64, d64 = z.astype(np.float64), dout.astype(np.float64)
        [dz] = numeric(lambda z64=z64, d64=d64: float(np.sum(d64 * softmax(z64, axis=1))),
                       z64)
        big = f", logits near {shift:g}" if shift else ""
        out.append(Trial(f"z of shape ({n}, {k}), {np.dtype(dtype).name}, seed {seed}{big}",
                         (z, dout), {"dz": dz}, np.dtype(dtype), n))
    return out


def _s(z: np.ndarray) -> np.ndarray:
    return softmax(z, axis=1)


SPEC = Spec("softmax_backward", ("z", "dout"), ("dz",),
            {"dz": "∂L/∂z = J_σ(z)^T ∂L/∂a, row by row"}, {"dz": "z"}, (
    Mistake("dz", "used only the diagonal σ_i(1 − σ_i) of the Jacobian J = diag(σ) − σσ^T: "
            "every σ_i depends on every z_j of its row, so dz_j = σ_j (dout_j − "
            "Σ_i dout_i σ_i)", lambda z, dout: dout * _s(z) * (1 - _s(z))),
    Mistake("dz", "summed over the wrong axis: Σ_i dout_i σ_i runs over the K units of each "
            "row (axis=1), not over the batch (axis=0)",
            lambda z, dout: _s(z) * (dout - (dout * _s(z)).sum(axis=0, keepdims=True))),
    Mistake("dz", "lost the row sums' axis: (dout * s).sum(axis=1) has shape (N,), which "
            "broadcasts along the units instead of the rows; keep it as a column with "
            "keepdims=True", lambda z, dout: _s(z) * (dout - (dout * _s(z)).sum(axis=1))),
    Mistake("dz", "multiplied ∂L/∂a by σ(z) alone: the softmax's Jacobian is "
            "diag(σ) − σσ^T, so dz = σ ⊙ (dout − Σ_i dout_i σ_i)",
            lambda z, dout: dout * _s(z)),
), {"dout": "build a new array: dz = s * (dout - (dout * s).sum(axis=1, keepdims=True))"},
    nonfinite="is nan or inf where the logits are large: e^z overflowed; subtract each "
    "row's maximum first, σ(z) = σ(z − max_k z_k), which changes nothing else")


def softmax_backward(z: np.ndarray, dout: np.ndarray) -> np.ndarray:
    s = softmax(z, axis=1)
    return s * (dout - (dout * s).sum(axis=1, keepdims=True))


STUB = '''
def softmax_backward(z, dout):
    """∂L/∂z for a = softmax(z), each row on its own.

    z:    (N, K) the logits, one row per sample
    dout: (N, K) ∂L/∂a
    returns dz: (N, K) = J^T dout for each row, J = diag(σ) − σσ^T, σ = softmax(row).
    Large logits (800) must not overflow. Do not change z or dout.
    """
    raise NotImplementedError("write softmax_backward")
'''

EXERCISE = Exercise("softmax_backward", "softmax_backward", "softmax_backward(z, dout) -> dz",
                    "∂L/∂z through a row-wise softmax (a Jacobian-vector product)",
                    "note 002 §3.5-3.6",
                    stub_text(STUB, "softmax_backward", "Exercise softmax_backward. Check: "
                              "python -m nnlite course check softmax_backward THIS_FILE"),
                    softmax_backward, checker(SPEC, _trials))
