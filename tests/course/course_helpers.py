"""What the course-notes tests share: float64 layers with given weights, one-sample
batches, XOR and a full-batch training loop.

Layout reminder: an nnlite Linear computes y = x @ W + b with W of shape (in, out), so
W[i, j] connects unit i of layer l-1 to unit j of layer l (note 004's W_ij); a matrix A
of notes 000, 001 and 003, which write z = A x, is stored as weight = A.T.
"""

import numpy as np

import nnlite as nl

F64 = np.float64
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=F64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=F64)


def linear(weight, bias=None):
    """A float64 nn.Linear with the given (in, out) weight and optional bias."""
    weight = np.asarray(weight, dtype=F64)
    layer = nl.Linear(*weight.shape, bias=bias is not None, dtype=F64)
    layer.weight.data[...] = weight
    if bias is not None:
        layer.bias.data[...] = bias
    return layer


def row(*values):
    """A batch of one: shape (1, len(values)), float64."""
    return np.array([values], dtype=F64)


def train_xor(model, steps, lr, x=XOR_X, y=XOR_Y):
    """Full-batch SGD on XOR with BCE-on-logits; returns the final accuracy."""
    loss, opt = nl.BCEWithLogitsLoss(), nl.optimizer("sgd", model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss(model.forward(x), y)
        model.backward(loss.backward())
        opt.step()
    return float(np.mean((model.forward(x) > 0) == y))


def three_layer_relu(W1, W2, W3):
    """x -> Linear(W1) -> ReLU -> Linear(W2) -> ReLU -> Linear(W3), no biases."""
    return nl.Sequential(linear(W1), nl.activation("relu"), linear(W2), nl.activation("relu"),
                         linear(W3))
