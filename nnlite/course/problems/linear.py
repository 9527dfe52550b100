"""Exercise: the backward pass of a linear layer, z^(l) = a^(l-1) W^(l) + b^(l) for a
batch of rows (y = x W + b), W^(l)_ij from unit i of layer l-1 to unit j of layer l.

    x: (N, D_in) = a^(l-1); W: (D_in, D_out); b: (D_out,); dout: (N, D_out) = ∂L/∂z^(l)
    dx = dout W^T: (N, D_in); dW = x^T dout: (D_in, D_out); db = Σ_n dout_n: (D_out,)

The gradients are summed over the batch: W and b are shared by the N samples. The known
mistakes here are also those of the `linear_layer` exercise (`MISTAKES`).
"""

from __future__ import annotations

import numpy as np

from nnlite.course.exercise import Exercise, stub_text
from nnlite.course.function_check import Mistake, Spec, Trial, checker, numeric

# (N, D_in, D_out), dtype, seed; two trials have a square W, where W and W^T both fit
SETTINGS = [((2, 3, 4), np.float64, 0), ((3, 3, 3), np.float64, 1), ((4, 2, 3), np.float32, 2),
            ((5, 4, 4), np.float32, 3)]
MEANING = {"dx": "∂L/∂a^(l-1) = ∂L/∂z^(l) (W^(l))^T", "dW": "∂L/∂W^(l) = (a^(l-1))^T ∂L/∂z^(l)",
           "db": "∂L/∂b^(l) = Σ_n ∂L/∂z^(l)_n"}
SHAPE_OF = {"dx": "x", "dW": "W", "db": "b"}


def _inputs(n: int, d_in: int, d_out: int, dtype: type, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=s).astype(dtype)
                 for s in ((n, d_in), (d_in, d_out), (d_out,), (n, d_out)))


def _trials() -> list[Trial]:
    out = []
    for (n, d_in, d_out), dtype, seed in SETTINGS:
        x, W, b, dout = _inputs(n, d_in, d_out, dtype, seed)
        x64, W64, b64, d64 = (a.astype(np.float64) for a in (x, W, b, dout))
        dx, dW, db = numeric(lambda x64=x64, W64=W64, b64=b64, d64=d64:
                             float(np.sum(d64 * (x64 @ W64 + b64))), x64, W64, b64)
        out.append(Trial(f"(N, D_in, D_out) = ({n}, {d_in}, {d_out}), {np.dtype(dtype).name}, "
                         f"seed {seed}", (x, W, b, dout), {"dx": dx, "dW": dW, "db": db},
                         np.dtype(dtype), n))
    return out


MISTAKES = (
    Mistake("dx", "W where W^T belongs: ∂L/∂a^(l-1)_ni = Σ_j W^(l)_ij ∂L/∂z^(l)_nj, which "
            "is dout @ W.T; dout @ W only runs when W is square",
            lambda x, W, b, dout: dout @ W),
    Mistake("dx", "divided by N: every sample's ∂L/∂a^(l-1) is its own row, dout @ W.T; "
            "any 1/N of a mean loss is already inside dout",
            lambda x, W, b, dout: dout @ W.T / len(x)),
    Mistake("dW", "divided by N: the gradients are summed over the batch (W is shared by "
            "all N samples); a mean loss's 1/N is already inside dout",
            lambda x, W, b, dout: x.T @ dout / len(x)),
    Mistake("dW", "missing the sum over the batch: it uses sample 1 alone; ∂L/∂W^(l)_ij = "
            "Σ_n a^(l-1)_ni ∂L/∂z^(l)_nj, which is x.T @ dout",
            lambda x, W, b, dout: np.outer(x[0], dout[0])),
    Mistake("dW", "W where W^T belongs: dout.T @ x is (∂L/∂W)^T, indexed W_ji; entry ij "
            "pairs a^(l-1)_i (a column of x) with ∂L/∂z^(l)_j: x.T @ dout",
            lambda x, W, b, dout: dout.T @ x),
    Mistake("db", "summed over the wrong axis: b^(l)_j is shared by the N samples, so "
            "db_j = Σ_n ∂L/∂z^(l)_nj, dout.sum(axis=0); axis=1 sums over the units",
            lambda x, W, b, dout: dout.sum(axis=1)),
    Mistake("db", "missing the sum over the batch: it is dout itself, (N, D_out); b is "
            "shared by the N samples, so db = dout.sum(axis=0), of b's shape (D_out,)",
            lambda x, W, b, dout: dout),
    Mistake("db", "divided by N: summed over the batch, not averaged (dout.sum(axis=0))",
            lambda x, W, b, dout: dout.mean(axis=0)),
    Mistake("db", "has shape (1, D_out): b has shape (D_out,); sum without keepdims",
            lambda x, W, b, dout: dout.sum(axis=0, keepdims=True)),
)
HINT = {"dout": "build new arrays (dout @ W.T, x.T @ dout, dout.sum(axis=0))"}
SPEC = Spec("linear_backward", ("x", "W", "b", "dout"), ("dx", "dW", "db"), MEANING, SHAPE_OF,
            MISTAKES, {"x": HINT["dout"], "W": HINT["dout"], "b": HINT["dout"], **HINT})


def linear_backward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                    dout: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


STUB = '''
def linear_backward(x, W, b, dout):
    """The backward pass of y = x W + b (z^(l) = a^(l-1) W^(l) + b^(l), one row a sample).

    x:    (N, D_in)  the layer's input a^(l-1)
    W:    (D_in, D_out), W[i, j] = W^(l)_ij from unit i of layer l-1 to unit j of layer l
    b:    (D_out,)
    dout: (N, D_out) ∂L/∂z^(l)
    returns (dx, dW, db): ∂L/∂x (N, D_in), ∂L/∂W (D_in, D_out), ∂L/∂b (D_out,),
    each summed over the N samples where a parameter is shared by them.
    """
    raise NotImplementedError("write linear_backward")
'''

EXERCISE = Exercise("linear_backward", "linear_backward",
                    "linear_backward(x, W, b, dout) -> (dx, dW, db)",
                    "the three products of a linear layer's backward pass",
                    "note 004, note 001 2(d)",
                    stub_text(STUB, "linear_backward", "Exercise linear_backward. Check: "
                              "python -m nnlite course check linear_backward THIS_FILE"),
                    linear_backward, checker(SPEC, _trials))
