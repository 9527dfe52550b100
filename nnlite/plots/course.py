"""Figures for the course notes' concepts that are plots rather than training runs: each
activation with its derivative (note 002 §3.2), and the cost of a numerical gradient
against backpropagation (note 001 2(e))."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from nnlite.plots.figure import new_figure


def activations_figure(activations: dict[str, Any], z: np.ndarray) -> Any:
    """One column per activation: f(z) above, f'(z) below. `activations` maps a name to
    an activation Module; the derivative is its own backward pass (dout = 1), so the
    figure shows what backpropagation multiplies by."""
    fig, axes = new_figure(2, len(activations), figsize=(3.2 * len(activations), 5.2),
                           squeeze=False, sharex=True)
    for k, (name, act) in enumerate(activations.items()):
        value = act.forward(z[None])[0]
        slope = act.backward(np.ones((1, z.size)))[0]
        axes[0][k].plot(z, value, color=f"C{k}")
        axes[0][k].set_title(name)
        axes[1][k].plot(z, slope, color=f"C{k}", linestyle="--")
        axes[1][k].set_title(f"{name}'  (max {slope.max():.3g})")
        axes[1][k].set_xlabel("z")
        for ax in (axes[0][k], axes[1][k]):
            ax.grid(alpha=0.3)
            ax.axhline(0, color="gray", lw=0.5)
    axes[0][0].set_ylabel("g(z)")
    axes[1][0].set_ylabel("g'(z)")
    return fig


def gradient_cost_figure(rows: Sequence[dict[str, float]]) -> Any:
    """Seconds (left) and forward passes (right) per gradient of a d x d weight matrix,
    numerical (central differences) against analytic (one forward and one backward)."""
    from matplotlib.ticker import NullLocator

    d = [r["d"] for r in rows]
    fig, (left, right) = new_figure(1, 2, figsize=(9.0, 3.8))
    left.loglog(d, [r["numerical_s"] for r in rows], "o-", label="numerical")
    left.loglog(d, [r["analytic_s"] for r in rows], "s-", label="backprop")
    left.set_ylabel("seconds per gradient")
    right.loglog(d, [r["numerical_forwards"] for r in rows], "o-", label="numerical: 2 d^2")
    right.loglog(d, [r["analytic_forwards"] for r in rows], "s-", label="backprop: 1")
    right.set_ylabel("forward passes per gradient")
    for ax in (left, right):
        # d doubles: ticks at the sizes measured, written as numbers. Log ticks put minor
        # labels (2 x 10^0, 3 x 10^0, ...) between 10^0 and 10^1 that ran into each other.
        ax.set_xscale("log", base=2)
        ax.set_xticks(d, [str(v) for v in d])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("d (W is d x d)")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    fig.suptitle("dl/dW for l = 1/2 ||W2 tanh(W1 x + b) - y||^2")
    return fig
