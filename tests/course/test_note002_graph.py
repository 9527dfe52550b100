"""Note 002 §5: f(x, y, z) = ln x + e^y z at (1, 3, 2) as a computation graph (nodes h_i),
its forward values, local gradients and backward values, by `nl.graph`."""

import math

import numpy as np
from numpy.testing import assert_allclose

import nnlite as nl
from nnlite import graph


def worked():
    x, y, z = graph.inputs(x=1.0, y=3.0, z=2.0)
    return graph.backward(graph.add(graph.ln(x), graph.mul(graph.exp(y), z)))


def test_the_graph_has_one_operation_per_node():
    """002 §5.1: h1 = ln x, h2 = exp(y), h3 = h2 · z, f = h1 + h3."""
    work = worked()
    assert [(node.name, node.formula()) for node in work.nodes] == [
        ("x", "input"), ("y", "input"), ("z", "input"), ("h1", "ln x"), ("h2", "e^y"),
        ("h3", "h2 · z"), ("f", "h1 + h3")]


def test_forward_values():
    """002 §5.2: h1 = 0, h2 = e^3 ~ 20.0855, h3 ~ 40.171, f ~ 40.171."""
    work = worked()
    assert_allclose([work[h].value for h in ("h1", "h2", "h3", "f")],
                    [0, 20.0855, 40.171, 40.171], rtol=1e-5)


def test_local_and_upstream_gradients():
    """002 §5.3: df/dh1 = df/dh3 = 1; dh3/dh2 = z = 2, dh3/dz = h2 ~ 20.0855;
    dh1/dx = 1/x = 1; dh2/dy = e^y ~ 20.0855; df/dh2 = df/dh3 · dh3/dh2 = 2. (The note
    lists "df/dh2 = 1" first and "df/dh1 = df/dh1"; the values below are the right ones.)"""
    work = worked()
    assert work["f"].local == (1.0, 1.0)
    assert work["h3"].local == (2.0, math.exp(3))
    assert work["h1"].local == (1.0,) and work["h2"].local == (math.exp(3),)
    assert [work[h].grad for h in ("h1", "h2", "h3")] == [1.0, 2.0, 1.0]
    assert "∂f/∂h2 = ∂f/∂h3 · ∂h3/∂h2 = 1·2 = 2" in str(work)


def test_final_gradients():
    """002 §5.4: df/dx = 1, df/dy = z e^y ~ 40.171, df/dz = e^y ~ 20.0855."""
    work = worked()
    grads = [work[v].grad for v in ("x", "y", "z")]
    assert_allclose(grads, [1.0, 40.171, 20.0855], rtol=1e-5)
    assert_allclose(grads, [1.0, 2 * math.exp(3), math.exp(3)], rtol=1e-14)

    def f(v):
        return np.array(math.log(v[0]) + math.exp(v[1]) * v[2])

    assert_allclose(nl.jacobian(f, [1.0, 3.0, 2.0]), grads, rtol=1e-8)
