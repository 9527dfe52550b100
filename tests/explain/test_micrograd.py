"""micrograd's own engine tests (karpathy/micrograd, test/test_engine.py:
test_sanity_check, test_more_ops and test_unary_tensor_fns), written in `nl.graph`.

micrograd compares each result with PyTorch's. Here PyTorch's numbers are replaced by
values derived by hand from the expressions (the derivations are in the docstrings)
and by central differences in float64 of the same expressions in plain Python, so the
tests need nothing but nnlite.
"""

import math

import pytest

from nnlite import graph as g

EPS = 1e-6


def central(f, *at):
    """∂f/∂ each argument at `at`, by central differences in float64."""
    grads = []
    for k in range(len(at)):
        up = [v + EPS * (i == k) for i, v in enumerate(at)]
        down = [v - EPS * (i == k) for i, v in enumerate(at)]
        grads.append((f(*up) - f(*down)) / (2 * EPS))
    return grads


def relu(v):
    return max(v, 0.0)


def sanity(x):
    """micrograd's test_sanity_check, on a graph node or on a float."""
    r = g.relu if isinstance(x, g.Node) else relu
    z = 2 * x + 2 + x
    q = r(z) + z * x
    h = r(z * z)
    return h + q + q * x


def test_sanity_check():
    """At x = -4: z = 3x + 2 = -10 < 0, so relu(z) = 0 and relu(z²) = z², and
    y = z² + z x + z x² = -20; dy/dx = 6z + (6x + 2) + (9x² + 4x) = -60 - 22 + 128 = 46."""
    (x,) = g.inputs(x=-4.0)
    work = g.backward(sanity(x))
    assert work.output.value == -20.0
    assert work["x"].grad == 46.0
    assert work["x"].grad == pytest.approx(central(sanity, -4.0)[0], rel=1e-8)


def more_ops(a, b):
    """micrograd's test_more_ops, on graph nodes or on floats (`+=` makes new nodes)."""
    r = g.relu if isinstance(a, g.Node) else relu
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + r(b + a)
    d += 3 * d + r(b - a)
    e = c - d
    f = e**2
    out = f / 2.0
    out += 10.0 / f
    return out


def test_more_ops():
    """At a = -4, b = 2 (b + a < 0 < b - a): c = 3a + 4b + 3 = -1,
    d = 12ab + 12b³ + b - a = 6, e = c - d = -7 and g = e²/2 + 10/e² = 24.5 + 10/49.
    dg/de = e - 20/e³ = -7 + 20/343; de/da = 4 - 12b = -20, de/db = 3 - 12a - 36b² = -93."""
    a, b = g.inputs(a=-4.0, b=2.0)
    work = g.backward(more_ops(a, b))
    dg_de = -7 + 20 / 343
    assert abs(work.output.value - (24.5 + 10 / 49)) < 1e-12
    assert abs(work["a"].grad - dg_de * -20) < 1e-10
    assert abs(work["b"].grad - dg_de * -93) < 1e-10
    numeric = central(more_ops, -4.0, 2.0)
    assert work["a"].grad == pytest.approx(numeric[0], rel=1e-8)
    assert work["b"].grad == pytest.approx(numeric[1], rel=1e-8)
    assert work.output.value == pytest.approx(24.7041, abs=1e-4)  # micrograd's README


@pytest.mark.parametrize("name, op, plain, slope", [
    ("tanh", g.tanh, math.tanh, lambda v: 1 - math.tanh(v) ** 2),
    ("exp", g.exp, math.exp, math.exp),
])
@pytest.mark.parametrize("at", [-1.0, 0.123, 2.0])
def test_unary_tensor_fns(name, op, plain, slope, at):
    """d tanh/dx = 1 - tanh², d e^x/dx = e^x, and central differences of each."""
    (x,) = g.inputs(x=at)
    work = g.backward(op(x))
    assert abs(work.output.value - plain(at)) < 1e-15
    assert abs(work["x"].grad - slope(at)) < 1e-15
    assert work["x"].grad == pytest.approx(central(plain, at)[0], rel=1e-8)
