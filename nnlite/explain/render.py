"""An `Explanation` as text or Markdown: a header (the network, what is differentiated,
the notation's conventions), then the forward pass and the backward pass in the notation
asked for: note 004's (text.py) or notes 000 and 003's (walk.py).
"""

from __future__ import annotations

from nnlite.explain import notation as n
from nnlite.explain import text, walk, walk_backward
from nnlite.explain.trace import Pass


def header(e: Pass) -> list[str]:
    sizes = "-".join(str(s) for s in [e.x.shape[1]] + [layer.units for layer in e.layers])
    what = ("H, the network's output (summed over outputs and samples)" if e.symbol == "H"
            else f"ℓ = {e.loss_name}")
    lines = [f"A {sizes} network on {e.x.shape[0]} sample(s); differentiated: {what}."]
    if e.x.shape[0] > 1:
        lines.append(f"The figure draws sample {e.sample} (from 0): x = "
                     f"{n.value(e.x[e.sample])}.")
    return lines + (n.CONVENTION if e.notation == "004" else walk.convention(e)).splitlines()


def sections(e: Pass) -> list[tuple[str, list[str]]]:
    if e.notation != "004":
        return [("Forward", walk.walk_forward(e)),
                ("Backward (the chain rule)", walk_backward.walk_backward_lines(e))]
    return [("Forward", text.forward_lines(e)),
            ("Backward (the chain rule)", text.backward_lines(e))]


def render(e: Pass) -> str:
    parts = header(e)
    for title, lines in sections(e):
        parts += ["", title, *lines]
    return "\n".join(parts)


def markdown(e: Pass, title: str = "Forward and backward pass", level: int = 1) -> str:
    head = header(e)
    parts = [f"{'#' * level} {title}", "", head[0], "", "```text", *head[1:], "```"]
    for section, lines in sections(e):
        parts += ["", f"{'#' * (level + 1)} {section}", "", "```text", *lines, "```"]
    return "\n".join(parts) + "\n"
