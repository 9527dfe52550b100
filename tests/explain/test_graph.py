"""Scalar computation graphs: every node's local gradient against central differences,
the chain rule summing over a node's uses, the printed working and the figure."""

import math

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
