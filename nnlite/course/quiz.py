"""Quizzes in note 004's style: `make_quiz(seed)` draws a small ReLU network with small
integer weights and an input, and asks the note's questions about it.

    ∂H/∂z, ∂H/∂a, ∂H/∂W as numbers; two fill-in-the-blank path sums (a weight's, an
    input's); a parameter count; True/False on saturation, on a point that contributes
    nothing, and on a chain-rule statement.

A question holds its `ask` in the notes' notation ({"of": "H", "wrt": "W^(2)_11"}), from
which `solve` recomputes the answer, and the salted digest of that answer, never the
answer itself. The same seed gives the same quiz, byte for byte (`quiz_file.dumps`).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from nnlite.course import answers, claims
from nnlite.course.network import build_network, layers
from nnlite.explain.explanation import Explanation, explain_pass
from nnlite.plugins.factories import activation

FORMAT = "nnlite quiz 1"
NOTATION = ("W^(l)_ij connects unit i of layer l-1 to unit j of layer l; z^(l)_j = "
            "sum_i W^(l)_ij a^(l-1)_i, a^(l)_j = g(z^(l)_j), a^(0) = x; g is the ReLU on the "
            "hidden layers, the output is linear and H = z^(3)_1; there are no biases, and "
            "g'(0) = 0")
BLANK = ("Fill in the blank without making reference to any derivatives (apart from g', "
         "the derivative of the ReLU): ")


def draw_network(rng: np.random.Generator) -> tuple[list[dict[str, Any]], list[int]]:
    """A 2-2-2-1 ReLU network and x, redrawn until no hidden z is 0, each hidden layer
    has a live unit and at least one hidden unit is dead (g' = 0 matters somewhere)."""
    while True:
        Ws = [rng.integers(-3, 4, size=s).tolist() for s in ((2, 2), (2, 2), (2, 1))]
        x = [int(v) for v in rng.choice([-3, -2, -1, 1, 2, 3], size=2)]
        net = [{"W": W, "b": None, "activation": a} for W, a in zip(Ws, ("relu", "relu",
                                                                         "identity"))]
        e = explain_pass(build_network(layers(net, 2)), np.array([x], dtype=np.float64))
        z = [e.layers[0].z[0], e.layers[1].z[0]]
        if all(np.all(v != 0) and np.any(v > 0) for v in z) and any(np.any(v < 0) for v in z):
            return net, x


def number_question(k: int, wrt: str) -> dict[str, Any]:
    return {"id": f"Q{k}", "kind": "number", "text": f"What is ∂H/∂{wrt}, as a number?",
            "ask": {"of": "H", "wrt": wrt}}


def weight_blank(k: int, e: Explanation, i: int, j: int, blank: int) -> dict[str, Any]:
    paths = e.paths(1, f"W^(1)_{i}{j}")
    head = paths[0].symbols[:2]  # x_i · g'(z^(1)_j): every path from W^(1)_ij starts so
    terms = [" ".join(p.symbols[2:]) if n != blank else "____" for n, p in enumerate(paths)]
    text = f"∂H/∂W^(1)_{i}{j} = {' '.join(head)} [{' + '.join(terms)}]"
    return {"id": f"Q{k}", "kind": "blank", "text": BLANK + text,
            "ask": {"of": "H", "wrt": f"W^(1)_{i}{j}", "path": blank + 1, "after": 2}}


def input_blank(k: int, e: Explanation, i: int, blank: int) -> dict[str, Any]:
    paths = e.paths(1, f"x_{i}")
    terms = [" ".join(p.symbols) if n != blank else "____" for n, p in enumerate(paths)]
    return {"id": f"Q{k}", "kind": "blank", "text": BLANK + f"∂H/∂x_{i} = {' + '.join(terms)}",
            "ask": {"of": "H", "wrt": f"x_{i}", "path": blank + 1, "after": 0}}


def count_question(k: int, rng: np.random.Generator) -> dict[str, Any]:
    hidden = [int(h) for h in rng.integers(2, 7, size=int(rng.integers(1, 3)))]
    sizes = [int(rng.integers(2, 6)), *hidden, int(rng.integers(1, 4))]
    names = ["first", "second"]
    layers_text = ", ".join(f"{h} nodes in the {names[n]} hidden layer" for n, h in
                            enumerate(hidden))
    out = "a single output node" if sizes[-1] == 1 else f"{sizes[-1]} output nodes"
    return {"id": f"Q{k}", "kind": "count",
            "text": f"Suppose H is a fully-connected neural network with {sizes[0]} input "
                    f"features, {layers_text}, and {out}. Assume that all hidden and output "
                    "nodes have a bias. The gradient of H with respect to the parameters is "
                    "a vector. What is this vector's dimensionality?",
            "ask": {"parameters": sizes, "bias": True}}


SATURATION = [("sigmoid", 1), ("sigmoid", 0.5), ("relu", 1), ("tanh", -1)]


def saturation(k: int, rng: np.random.Generator) -> dict[str, Any]:
    act, h = SATURATION[int(rng.integers(len(SATURATION)))]
    return {"id": f"Q{k}", "kind": "true_false",
            "text": f"Suppose a deep network H(x) uses a {act} activation in its output "
                    f"layer, and that for a given input x, H(x) ≈ {h}. True or False: "
                    "evaluated at this x, ∂H/∂W^(ℓ)_ij ≈ 0 for all i, j, ℓ.",
            "ask": {"output_activation": act, "H": h}}


def contribution(k: int, rng: np.random.Generator) -> dict[str, Any]:
    h = int(rng.integers(-2, 3))
    y = h if rng.random() < 0.5 else h + int(rng.choice([-1, 1]))
    return {"id": f"Q{k}", "kind": "true_false",
            "text": "The square loss is used to train a network H: the empirical risk is "
                    "R(w) = (1/n) Σ_i (H(x^(i); w) − y_i)². True or False: the point "
                    f"(x^(1), y_1) with H(x^(1); w) = {h} and y_1 = {y} contributes nothing "
                    "to the gradient of R.",
            "ask": {"loss": "square", "H": h, "y": y}}


def statement(k: int, rng: np.random.Generator) -> dict[str, Any]:
    """One of note 004's True/False chain-rule statements on the 2-2-2-1 network."""
    i, kk = (int(v) for v in rng.integers(1, 3, size=2))
    other = 3 - i
    lhs, rhs = [(f"z^(2)_{kk}", [f"W^(3)_{kk}1", f"g'(z^(2)_{kk})"]),
                (f"W^(2)_{i}{kk}", [f"W^(3)_{kk}1", f"g'(z^(2)_{kk})", f"a^(1)_{i}"]),
                (f"a^(1)_{i}", [f"W^(3)_{kk}1", f"g'(z^(2)_{kk})", f"W^(2)_{i}{kk}"]),
                (f"W^(2)_{i}{kk}", [f"W^(3)_{kk}1", f"g'(z^(2)_{kk})", f"a^(1)_{other}"]),
                ][int(rng.integers(4))]
    return {"id": f"Q{k}", "kind": "true_false",
            "text": f"True or False (for every network of this shape): ∂H/∂{lhs} = "
                    f"{' '.join(rhs)}.", "ask": {"lhs": f"dH/d{lhs}", "rhs": rhs}}


def make_quiz(seed: int) -> dict[str, Any]:
    """Quiz number `seed`: the network, x, and the questions with salted digests."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"quiz: the seed must be a whole number >= 0, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    net, x = draw_network(rng)
    e = explain_pass(build_network(layers(net, 2)), np.array([x], dtype=np.float64))
    kk, i, j = (int(v) for v in rng.integers(1, 3, size=3))
    asked = [f"z^(2)_{kk}", "a^(1)_1", "a^(1)_2", "z^(1)_1", "z^(1)_2", "W^(2)_11", "W^(2)_21",
             f"W^(1)_{i}{j}"]
    questions = [*(number_question(k, wrt) for k, wrt in enumerate(asked, start=1)),
                 weight_blank(9, e, i, 3 - j, int(rng.integers(2))),
                 input_blank(10, e, int(rng.integers(1, 3)), int(rng.integers(4))),
                 count_question(11, rng), saturation(12, rng), contribution(13, rng),
                 statement(14, rng)]
    salt = rng.bytes(8).hex()
    quiz = {"format": FORMAT, "seed": int(seed), "notation": NOTATION, "network": net, "x": x,
            "salt": salt, "questions": questions}
    for q in questions:
        q["digest"] = answers.digest(salt, q["id"], solve(quiz, q))
    return quiz


def the_pass(quiz: dict[str, Any], network: list[dict[str, Any]] | None = None) -> Explanation:
    net = layers(network or quiz["network"], len(quiz["x"]))
    return explain_pass(build_network(net), np.array([quiz["x"]], dtype=np.float64))


def solve(quiz: dict[str, Any], q: dict[str, Any]) -> str:
    """The canonical answer to question `q`, recomputed from its `ask`."""
    ask = q["ask"]
    if q["kind"] == "number":
        e = the_pass(quiz)
        claim = claims.parse_claim(f"dH/d{ask['wrt']}", "H")
        return answers.canonical_number(claims.read_claim(e, claim).value)
    if q["kind"] == "blank":
        path = the_pass(quiz).paths(1, ask["wrt"])[ask["path"] - 1]
        return answers.canonical_product(" ".join(path.symbols[ask["after"]:]))
    if q["kind"] == "count":
        sizes, bias = ask["parameters"], ask["bias"]
        return str(sum((a + int(bias)) * b for a, b in itertools.pairwise(sizes)))
    return answers.true_false(str(truth(quiz, ask)))


def truth(quiz: dict[str, Any], ask: dict[str, Any]) -> bool:
    if "output_activation" in ask:  # is g'(z_out) ≈ 0 where g(z_out) = H?
        g, h = activation(ask["output_activation"]), float(ask["H"])
        z = {("sigmoid", 1.0): 30.0, ("tanh", -1.0): -30.0, ("sigmoid", 0.5): 0.0}.get(
            (ask["output_activation"], h), h)
        g.forward(np.array([[z]]))
        return bool(abs(g.backward(np.ones((1, 1)))[0, 0]) < 1e-6)
    if "loss" in ask:  # the point's share of the gradient carries the factor H - y
        return ask["H"] == ask["y"]
    rng = np.random.default_rng(0)  # an identity holds on every network of this shape
    for _ in range(3):
        net = [{**layer, "W": rng.normal(size=np.shape(layer["W"])).tolist(),
                "activation": "tanh" if layer["activation"] == "relu" else "identity"}
               for layer in quiz["network"]]
        e = the_pass(quiz, net)
        lhs = claims.read_claim(e, claims.parse_claim(ask["lhs"], "H")).value
        rhs = float(np.prod([claimed_value(e, s) for s in ask["rhs"]]))
        if abs(lhs - rhs) > 1e-9 * max(1.0, abs(lhs)):
            return False
    return True


def claimed_value(e: Explanation, text: str) -> float:
    return claims.read_claim(e, claims.parse_claim(text, "H")).value
