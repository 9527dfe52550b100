"""An independent pass for the explainer's tests: the forward and backward pass of a
small chain of Linear layers, written from the formulas with plain numpy (not with
nnlite's layers or losses), and a check that every number a printed explanation shows
is one of that pass's values.

A network is a list of layers (W: (in, out), b or None, activation name, skip), skip = s
adding a^(s) to the layer's output (a one-layer Residual block when s = l - 1).
"""

import re

import numpy as np

import nnlite as nl


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function, a different formula


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {"identity": (lambda z: z, lambda z, a: np.ones_like(z)),
               "tanh": (np.tanh, lambda z, a: 1.0 - a * a),
               "sigmoid": (sigmoid, lambda z, a: a * (1.0 - a)),
               "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0) * 1.0)}


def network(layers):
    """The nnlite model of `layers` (float64; a skip becomes a one-layer Residual)."""
    modules = []
    for W, b, g, skip in layers:
        W = np.asarray(W, dtype=np.float64)
        linear = nl.Linear(*W.shape, bias=b is not None, dtype=np.float64)
        linear.weight.data[...] = W
        if b is not None:
            linear.bias.data[...] = b
        block = [linear] + ([] if g == "identity" else [nl.activation(g)])
        modules += [nl.Residual(nl.Sequential(*block))] if skip is not None else block
    return nl.Sequential(*modules)


def mse(y, reduction="mean", half=False):
    def loss(out):
        c = (0.5 if half else 1.0) / (out.size if reduction == "mean" else 1)
        return c * np.sum((out - y) ** 2), 2 * c * (out - y), [out - y, 2 * c]
    return loss


def bce(y):
    def loss(out):
        s = sigmoid(out)
        value = np.mean(np.log1p(np.exp(out)) - y * out)
        return value, (s - y) / out.size, [s]
    return loss


def cross_entropy(labels, eps=0.0):
    def loss(out):
        p = softmax(out)
        q = np.full(out.shape, eps / out.shape[1])
        q[np.arange(len(labels)), labels] += 1.0 - eps
        value = -np.sum(q * np.log(p)) / len(labels)
        return value, (p - q) / len(labels), [p, q, eps]
    return loss


def output_sum(out):
    return out.sum(), np.ones_like(out), []


def reference(layers, x, loss=output_sum):
    """Every value of the pass: lists per layer of z, gz (= g(z)), a, g' (None for a
    softmax), J (the softmax's Jacobian per sample, else None), dz, da, dW, db; loss,
    dout = d loss / d output, dx, `through` (beside a skip's identity term, the term
    through the layer) and `extra`, what the loss step shows besides."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    acts, r = [x], {k: [] for k in ("z", "gz", "gprime", "J", "through")}
    for W, b, g, skip in layers:
        z = acts[-1] @ np.asarray(W, dtype=np.float64) + (0.0 if b is None else b)
        if g == "softmax":
            gz = softmax(z)
            r["J"].append(np.array([np.diag(s) - np.outer(s, s) for s in gz]))
            r["gprime"].append(None)
        else:
            gz = ACTIVATIONS[g][0](z)
            r["gprime"].append(ACTIVATIONS[g][1](z, gz))
            r["J"].append(None)
        acts.append(gz if skip is None else gz + acts[skip])
        r["z"].append(z)
        r["gz"].append(gz)
    r["a"] = acts[1:]
    r["loss"], r["dout"], r["extra"] = loss(acts[-1])
    da, identity = r["dout"], {}
    r.update(dz=[None] * len(layers), da=[None] * len(layers), dW=[None] * len(layers),
             db=[None] * len(layers))
    for ell in range(len(layers), 0, -1):
        W, b, g, skip = layers[ell - 1]
        J = r["J"][ell - 1]
        dz = (np.einsum("nkj,nk->nj", J, da) if J is not None
              else da * r["gprime"][ell - 1])
        r["dz"][ell - 1], r["da"][ell - 1] = dz, da
        r["dW"][ell - 1] = acts[ell - 1].T @ dz
        r["db"][ell - 1] = None if b is None else dz.sum(axis=0)
        if skip is not None:
            identity[skip] = da
        through = dz @ np.asarray(W, dtype=np.float64).T
        if ell - 1 in identity:  # the term through the layer, beside the identity path's
            r["through"].append(through)
        da = through + identity.pop(ell - 1, 0.0)
    r["dx"], r["x"] = da, x
    return r


def values(r, layers, y=None):
    """Every number the pass holds, as one flat array (weights, biases and targets too)."""
    parts = [r["x"], r["dx"], r["dout"], [r["loss"], 0.0, 1.0, 2.0], *r["extra"]]
    for key in ("z", "gz", "a", "gprime", "J", "dz", "da", "dW", "db", "through"):
        parts += [v for v in r[key] if v is not None]
    for W, b, _, _ in layers:
        parts += [W] + ([] if b is None else [b])
    if y is not None:
        parts.append(y)
    return np.concatenate([np.ravel(np.asarray(p, dtype=np.float64)) for p in parts])


# what is a name or a count, not a value: sizes, shapes, labels, then symbols' indices
_NOT_VALUES = [r"\d+(-\d+)+ network", r"\d+ × \d+", r"\d+ -> \d+", r"layers? \d+(\.\.\d+)?",
               r"\d+\.\.\d+", r"sample\(s\)", r"\d+ sample", r"sample \d+", r"[nNC] = \d+",
               r"\(1/[\d.]+\)", r"\(1/\(2n\)\)", r"\^\d", r"\(from 0\)", r"½",
               r"(?<![\d.])[A-Za-zŷσℓ∂∇]+\d*(\^\(\d+\))?(_\{?[\d,]+\}?)?"]
_NUMBER = re.compile(r"(?<![\w./])\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def printed_numbers(text):
    """The numbers of the working (from its "Forward" on: the header states conventions)."""
    text = text[text.index("Forward"):] if "Forward" in text else text
    for pattern in _NOT_VALUES:
        text = re.sub(pattern, " ", text)
    return [float(t) for t in _NUMBER.findall(text)]


def assert_every_number_is_a_value(text, expected):
    """Each number in `text` is, to the 4 digits printed, the size of an expected value
    (signs are left aside: '0.8 - 0.5' prints 0.5 for the value -0.5 of y)."""
    known = np.sort(np.abs(expected))
    found = printed_numbers(text)
    assert found, "no numbers printed"
    for t in found:
        k = np.clip(np.searchsorted(known, t), 1, len(known) - 1)
        nearest = min(abs(known[k - 1] - t), abs(known[k] - t))
        assert nearest <= 5e-5 + 5e-4 * t, f"{t} is not a value of the pass"
    return found
