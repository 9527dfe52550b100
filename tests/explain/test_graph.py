"""Scalar computation graphs: every node's local gradient against central differences,
the chain rule summing over a node's uses, the printed working and the figure."""

import math

import numpy as np
import pytest

import nnlite as nl
from nnlite import graph as g

UNARY = {"exp": (g.exp, 0.7), "ln": (g.ln, 1.9), "sigmoid": (g.sigmoid, -0.4),
         "square": (g.square, -1.3)}


def numeric(fn, at, eps=1e-6):
    return (fn(at + eps) - fn(at - eps)) / (2 * eps)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_local_gradient_matches_central_differences(name):
    op, at = UNARY[name]
    (x,) = g.inputs(x=at)
    node = op(x)
    assert node.local[0] == pytest.approx(numeric(lambda v: op(v).value, at), rel=1e-8)
    assert g.backward(node)["x"].grad == pytest.approx(node.local[0], rel=1e-15)


def test_add_and_mul_local_gradients():
    a, b = g.inputs(a=2.5, b=-4.0)
    assert g.add(a, b).local == (1.0, 1.0) and (a + b).value == -1.5
    assert g.mul(a, b).local == (-4.0, 2.5) and (a * b).value == -10.0
    assert (2 * a + 1).value == 6.0


def test_a_node_used_twice_sums_its_paths():
    """x feeds two squares: dl/dx = d(x^4 + x^2)/dx = 4x^3 + 2x."""
    for at in (-2.0, 0.5, 3.0):
        (x,) = g.inputs(x=at)
        work = g.backward(g.add(g.square(g.square(x)), g.square(x)))
        assert work["x"].grad == pytest.approx(4 * at**3 + 2 * at, rel=1e-14)
    assert "∂f/∂x = ∂f/∂h1 · ∂h1/∂x + ∂f/∂h3 · ∂h3/∂x = 18·6 + 1·6 = 114" in str(work)


def test_whole_graph_against_central_differences():
    def f(x, y, z):
        return g.sigmoid(g.mul(g.ln(x), g.exp(y)) + g.square(z))

    at = {"x": 1.7, "y": -0.3, "z": 0.8}
    work = g.backward(f(*g.inputs(**at)))
    for name in at:
        def value(v, name=name):
            return f(*g.inputs(**{**at, name: v})).value
        assert work[name].grad == pytest.approx(numeric(value, at[name]), rel=1e-8)


def test_names_printing_and_errors():
    x, y, z = g.inputs(x=1.0, y=3.0, z=2.0)
    work = g.backward(g.add(g.ln(x), g.mul(g.exp(y), z)))
    assert [node.name for node in work.nodes] == ["x", "y", "z", "h1", "h2", "h3", "f"]
    text = str(work)
    assert text.index("Forward") < text.index("Local gradients") < text.index("Backward")
    assert "h3 = h2 · z = 40.17" in text and "∂h3/∂h2 = z = 2" in text
    assert "∂f/∂y = ∂f/∂h2 · ∂h2/∂y = 2·20.09 = 40.17" in text
    assert work.to_markdown().startswith("```text\n")
    with pytest.raises(KeyError, match="no node named 'h9'"):
        work["h9"]
    with pytest.raises(ValueError, match="ln needs a positive input, got -1"):
        g.ln(-1.0)
    assert g.sigmoid(-800.0).value == 0.0 and g.sigmoid(800.0).value == 1.0
    assert math.isclose(g.backward(g.exp(0.0, name="e")).output.value, 1.0)
    assert nl.graph is g


def test_figure_has_every_node_and_local_gradient():
    x, y, z = g.inputs(x=1.0, y=3.0, z=2.0)
    fig = g.backward(g.add(g.ln(x), g.mul(g.exp(y), z))).figure()
    texts = " | ".join(t.get_text() for t in fig.axes[0].texts)
    for piece in ("h1 = ln x", "h2 = e^y", "h3 = h2 · z", "f = h1 + h3", "∂h3/∂z = 20.09",
                  "∂f/∂y = 40.17"):
        assert piece in texts


def test_a_second_graph_of_the_same_nodes_leaves_the_first_unchanged():
    x, y = nl.graph.inputs(x=2.0, y=3.0)
    first = nl.graph.backward(nl.graph.mul(x, y))
    text = str(first)
    nl.graph.backward(nl.graph.square(x))  # d/dx x^2 = 4 would overwrite a shared gradient
    assert first["x"].grad == 3.0 and str(first) == text
    assert x.grad == 0.0  # the caller's own node is never written to


def test_an_input_named_f_does_not_share_its_name_with_the_output():
    (f,) = nl.graph.inputs(f=1.0)
    work = nl.graph.backward(nl.graph.exp(f))
    assert work["f"].value == 1.0 and work["f_out"].value == pytest.approx(2.718281828)


BINARY = {"add": (g.add, lambda a, b: a + b), "sub": (g.sub, lambda a, b: a - b),
          "mul": (g.mul, lambda a, b: a * b), "div": (g.div, lambda a, b: a / b)}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_local_gradients_match_central_differences(name):
    op, plain = BINARY[name]
    at = (1.3, -0.6)
    a, b = g.inputs(a=at[0], b=at[1])
    node = op(a, b)
    assert node.value == pytest.approx(plain(*at), rel=1e-15)
    assert node.local[0] == pytest.approx(numeric(lambda v: plain(v, at[1]), at[0]), rel=1e-8)
    assert node.local[1] == pytest.approx(numeric(lambda v: plain(at[0], v), at[1]), rel=1e-8)


@pytest.mark.parametrize("name, op, plain, at", [
    ("neg", g.neg, lambda v: -v, 0.8),
    ("tanh", g.tanh, math.tanh, -0.7),
    ("relu+", g.relu, lambda v: max(v, 0.0), 1.4),
    ("relu-", g.relu, lambda v: max(v, 0.0), -1.4),
    ("cube", lambda v: g.power(v, 3), lambda v: v**3, -1.1),
    ("root", lambda v: g.power(v, 0.5), math.sqrt, 2.3),
    ("reciprocal", lambda v: g.power(v, -1), lambda v: 1 / v, 0.9),
])
def test_more_unary_local_gradients_match_central_differences(name, op, plain, at):
    (x,) = g.inputs(x=at)
    node = op(x)
    assert node.value == pytest.approx(plain(at), rel=1e-15)
    assert node.local[0] == pytest.approx(numeric(plain, at), rel=1e-8, abs=1e-12)


def test_python_operators_with_numbers_on_either_side():
    """x - 2, 2 - x, -x, x / 4, 1 / x, x ** 3: each the operation it reads as, a number
    on either side; the number is a constant, not an input."""
    (x,) = g.inputs(x=2.0)
    cases = {"x - 2": (x - 2, 0.0, 1.0), "2 - x": (2 - x, 0.0, -1.0), "-x": (-x, -2.0, -1.0),
             "x / 4": (x / 4, 0.5, 0.25), "1 / x": (1 / x, 0.5, -0.25),
             "x^3": (x**3, 8.0, 12.0), "3 + x": (3 + x, 5.0, 1.0), "x · 5": (x * 5, 10.0, 5.0)}
    for formula, (node, value, slope) in cases.items():
        work = g.backward(node)
        assert work.output.formula() == formula
        assert work.output.value == value and work["x"].grad == slope, formula
        assert work.nodes == [work["x"], work.output]  # no node for the number
        assert len(work.constants) == (0 if formula in ("-x", "x^3") else 1)
    with pytest.raises(ValueError, match="the exponent must be a number"):
        x ** x
    with pytest.raises(ValueError, match="division by zero"):
        x / 0
    with pytest.raises(ValueError, match="must not be negative"):
        g.power(-2.0, 0.5)
    with pytest.raises(ValueError, match="no finite derivative at 0"):
        g.power(0.0, -1)


def test_constants_are_shown_in_formulas_not_as_inputs_with_gradients():
    """f = (3 - x)^2 · -1: the numbers 3 and -1 appear only where they are used."""
    (x,) = g.inputs(x=1.5)
    work = g.backward(g.square(3 - x) * -1)
    text = str(work)
    assert [node.name for node in work.nodes] == ["x", "h1", "h2", "f"]
    assert "h1 = 3 - x = 1.5" in text and "f = h2 · (-1) = -2.25" in text
    assert "∂f/∂3" not in text and "∂f/∂(-1)" not in text and "∂h1/∂3" not in text
    assert "\n  3 = " not in text  # no forward line of its own
    assert work["x"].grad == pytest.approx(2 * (3 - 1.5), rel=1e-15)  # -(3 - x)^2 -> 2(3 - x)
    texts = [t.get_text() for t in work.figure().axes[0].texts if t.get_text()]
    assert len(texts) == 4 + 3  # the nodes and the edges between them, no constant


def test_the_printout_is_not_circular():
    """The output's own inputs get their local gradient, not ∂f/∂f · ∂f/∂h (which would
    name the gradient being defined on its own right-hand side)."""
    x, y, z = g.inputs(x=1.0, y=3.0, z=2.0)
    text = str(g.backward(g.ln(x) + g.exp(y) * z))
    backward = text[text.index("Backward"):].splitlines()[1:]
    for line in backward:
        left, _, right = line.strip().partition(" = ")
        assert left not in right, line
    assert "  ∂f/∂h1 = 1" in backward and "  ∂f/∂h3 = 1" in backward
    (w,) = g.inputs(w=2.0)
    work = g.backward(g.square(w) * w)  # f = h1 · w, w also read by h1 = w^2
    assert "∂f/∂w = ∂f/∂h1 · ∂h1/∂w + (h1) = 2·4 + 4 = 12" in str(work)


def test_vectors_dot_and_sum_against_central_differences():
    """f = (y - Σ_i σ(w_i^T x + b_i))^2 (note 000 §2(b)) with vector nodes w_i and x:
    every gradient against central differences in float64."""
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    b, xv, yv = np.array([0.1, -0.2]), np.array([0.4, -1.2, 0.9]), 1.7

    def f(W, b, xv, yv):
        s = 1 / (1 + np.exp(-(W @ xv + b)))
        return (yv - s.sum()) ** 2

    x, w1, w2, b1, b2, y = g.inputs(x=xv, w1=W[0], w2=W[1], b1=b[0], b2=b[1], y=yv)
    work = g.backward(g.square(y - g.sum(g.sigmoid(g.dot(w1, x) + b1),
                                          g.sigmoid(g.dot(w2, x) + b2))))
    assert work.output.value == pytest.approx(f(W, b, xv, yv), rel=1e-14)
    assert work["x"].grad.shape == (3,) and work["w1"].grad.shape == (3,)
    eps = 1e-6
    for k in range(3):
        step = np.eye(3)[k] * eps
        numeric_x = (f(W, b, xv + step, yv) - f(W, b, xv - step, yv)) / (2 * eps)
        numeric_w1 = (f(W + np.outer([1, 0], step), b, xv, yv)
                      - f(W - np.outer([1, 0], step), b, xv, yv)) / (2 * eps)
        assert work["x"].grad[k] == pytest.approx(numeric_x, rel=1e-7)
        assert work["w1"].grad[k] == pytest.approx(numeric_w1, rel=1e-7)
    numeric_b2 = (f(W, b + [0, eps], xv, yv) - f(W, b - [0, eps], xv, yv)) / (2 * eps)
    assert work["b2"].grad == pytest.approx(numeric_b2, rel=1e-7)
    assert "h1 = w1^T x = 3.2" in str(work) and "∂h1/∂w1 = x^T = (0.4, -1.2, 0.9)" in str(work)


def test_vector_operations_entry_by_entry_and_their_mistakes():
    u, v = g.inputs(u=[1.0, -2.0], v=[3.0, 0.5])
    work = g.backward(g.sum(g.tanh(u * v) + 2 * u))  # Σ_i tanh(u_i v_i) + 2 u_i
    t = np.tanh(np.array([3.0, -1.0]))
    np.testing.assert_allclose(work["u"].grad, (1 - t**2) * [3.0, 0.5] + 2, rtol=1e-14)
    np.testing.assert_allclose(work["v"].grad, (1 - t**2) * [1.0, -2.0], rtol=1e-14)
    (s,) = g.inputs(s=2.0)
    assert g.backward(g.sum(s * u))["s"].grad == pytest.approx(-1.0)  # Σ_i u_i
    with pytest.raises(ValueError, match="the output must be a scalar"):
        g.backward(u + v)
    with pytest.raises(ValueError, match="needs two vectors of one length"):
        g.dot(u, s)
    with pytest.raises(ValueError, match="a number or a nonempty vector"):
        g.inputs(m=[[1.0, 2.0]])
