"""`python -m nnlite course activations | gradient-cost [-o OUT.png]`: the course notes'
concepts that are plots rather than training runs.

    activations     each activation and its derivative, from its own backward pass
                    (note 002 §3.2: sigmoid, tanh, ReLU; more names may follow)
    gradient-cost   seconds and forward passes for dl/dW1 of 1/2 ||W2 tanh(W1 x + b) - y||^2,
                    numerical (central differences) against backpropagation (note 001 2(e))
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from nnlite.hooks.factories import activation
from nnlite.nn.activations import Elementwise
from nnlite.nn.gradcheck import jacobian
from nnlite.nn.losses import MSELoss
from nnlite.nn.mlp import mlp
from nnlite.registry import PluginError

USAGE = """usage: nnlite course activations [NAME ...] [-o OUT.png]
       nnlite course gradient-cost [-o OUT.png]

activations: each activation (default sigmoid tanh relu) and its derivative on
[-6, 6] -> activations.png. gradient-cost: the time and forward passes of a numerical
gradient against backpropagation, for d x d weights, d = 2..64 -> gradient_cost.png.
Both print what they plot."""


def gradient_cost(sizes: tuple[int, ...] = (2, 4, 8, 16, 32, 64)) -> list[dict[str, float]]:
    """Per d: the seconds and forward passes of dl/dW1 both ways, and their difference."""
    rows = []
    for d in sizes:
        model = mlp([d, d, d], activation="tanh", rng=d, dtype=np.float64)
        x, y = np.ones((1, d)), np.zeros((1, d))
        loss, W = MSELoss(reduction="sum", half=True), model[0].weight
        analytic_s = float("inf")
        for _ in range(3):  # the best of three: the first call also warms numpy up
            start = time.perf_counter()
            loss(model.forward(x), y)
            model.zero_grad()
            model.backward(loss.backward())
            analytic_s = min(analytic_s, time.perf_counter() - start)
        calls = [0]

        def l_at(values: np.ndarray) -> np.ndarray:
            calls[0] += 1
            W.data[...] = values
            return np.array(loss(model.forward(x), y))

        original = W.data.copy()
        start = time.perf_counter()
        numeric = jacobian(l_at, original)
        numerical_s = time.perf_counter() - start
        W.data[...] = original
        rows.append({"d": d, "analytic_s": analytic_s, "numerical_s": numerical_s,
                     "analytic_forwards": 1, "numerical_forwards": calls[0] - 1,
                     "max_difference": float(np.abs(numeric - W.grad).max())})
    return rows


def command(argv: list[str]) -> int:
    args = list(argv)
    out = None
    if "-o" in args:
        at = args.index("-o")
        if at + 1 >= len(args):
            print(f"nnlite: -o needs a file name\n{USAGE}", file=sys.stderr)
            return 2
        out = Path(args[at + 1])
        del args[at:at + 2]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    from nnlite.plots.course import activations_figure, gradient_cost_figure
    from nnlite.plots.figure import save

    what, names = args[0], args[1:]
    if what == "activations":
        try:
            acts = {name: activation(name) for name in names or ["sigmoid", "tanh", "relu"]}
        except (PluginError, ValueError) as err:  # an unknown name lists the known ones
            print(f"nnlite: {err}", file=sys.stderr)
            return 1
        vector = sorted(name for name, act in acts.items() if not isinstance(act, Elementwise))
        if vector:  # softmax and friends act on a whole row: no g(z) curve to draw
            print(f"nnlite: course activations draws elementwise activations g(z); "
                  f"{', '.join(vector)} act on a whole row. Elementwise ones: "
                  f"{', '.join(elementwise_names())}", file=sys.stderr)
            return 1
        z = np.linspace(-6.0, 6.0, 601)
        for name, act in acts.items():
            act.forward(z[None])
            slope = act.backward(np.ones((1, z.size)))[0]
            print(f"{name}: max g'(z) = {slope.max():.4g} at z = {z[slope.argmax()]:.3g}; "
                  f"g'(±6) = {slope[0]:.3g}, {slope[-1]:.3g}")
        fig, out = activations_figure(acts, z), out or Path("activations.png")
    elif what == "gradient-cost" and not names:
        rows = gradient_cost()
        print("d   forwards (numerical / backprop)   seconds (numerical / backprop)   max diff")
        for r in rows:
            print(f"{r['d']:<3} {r['numerical_forwards']:>8} / 1{'':22}{r['numerical_s']:.2e} / "
                  f"{r['analytic_s']:.2e}{'':13}{r['max_difference']:.1e}")
        fig, out = gradient_cost_figure(rows), out or Path("gradient_cost.png")
    else:
        print(f"nnlite: unknown course plot {' '.join(args)!r}\n{USAGE}", file=sys.stderr)
        return 2
    save(fig, out)
    print(f"nnlite: wrote {out}")
    return 0


def elementwise_names() -> list[str]:
    """Registered activations that act on each number alone (what a g(z) plot shows)."""
    from nnlite.registry import registry

    return [name for name in registry.names("activations")
            if isinstance(activation(name), Elementwise)]
