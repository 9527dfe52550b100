"""Worked examples as data: a network, an input, an optional loss and target, and claims
in the notes' notation, each checked against one forward and backward pass.

    network:                 # W^(l)_ij from unit i of layer l-1 to unit j of layer l
      - {W: [[1, -2], [3, 1]], b: null, activation: relu}
      - {W: [[2], [-1]], b: null, activation: identity}
    x: [1, 3]
    loss: null               # or mse / bce_with_logits / cross_entropy, with `target`
    claims:
      z^(1)_1: 10            # = W_11 x_1 + W_21 x_2
      dH/dW^(2)_21: 1        # = a^(1)_2

A claim is right when it equals the computed value to the digits it is written with
(20.0855 for e^3 = 20.08553...; an integer exactly). A file may instead hold a scalar
computation graph (`graph:`, see graphs.py). nnlite ships the notes' worked examples
in nnlite/course/examples/, one of them with a note's own typo, which `verify` flags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from nnlite.course import claims
from nnlite.course.graphs import verify_graph
from nnlite.course.network import ExampleError, build_network, layers, vector
from nnlite.course.verification import Claim, Verification, claim_holds, claimed
from nnlite.explain.explanation import explain_pass

EXAMPLES = Path(__file__).parent / "examples"
MAX_BYTES = 64 * 1024
KEYS = ("about", "network", "x", "loss", "target", "claims", "graph")
LOSSES = ("mse", "bce_with_logits", "cross_entropy")


def read_example(path: Path) -> dict[str, Any]:
    """A worked example's YAML: at most MAX_BYTES, a mapping of the format's keys."""
    import yaml

    if not path.is_file():
        raise ExampleError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ExampleError(f"{path}: {size} bytes; a worked example is at most {MAX_BYTES}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        line = f", line {where.line + 1}" if where is not None else ""
        raise ExampleError(f"{path}{line}: not YAML ({getattr(err, 'problem', err)})") from None
    if not isinstance(data, dict):
        raise ExampleError(f"{path}: must be a mapping with network, x and claims (or graph "
                           "and claims)")
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise ExampleError(f"{path}: unknown key {unknown[0]!r}; allowed: {', '.join(KEYS)}")
    return data


def verify_network(data: dict[str, Any], name: str) -> Verification:
    x = vector(data.get("x"), "x")
    checked = layers(data.get("network"), len(x))
    loss, target = data.get("loss"), data.get("target")
    if loss is not None and loss not in LOSSES:
        raise ExampleError(f"loss: {loss!r} is not allowed; use null (differentiate H) or "
                           f"one of {', '.join(LOSSES)}")
    if (loss is None) != (target is None):
        raise ExampleError("loss and target go together: give both, or neither (then the "
                           "quantity differentiated is H, the network's output)")
    units = len(checked[-1]["W"][0])
    if loss == "cross_entropy":
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < units:
            raise ExampleError(f"target: {target!r}; cross_entropy takes the class, an integer "
                               f"0..{units - 1}")
        y = np.array([target])
    elif loss is not None:
        y = np.array([vector(target if isinstance(target, list) else [target], "target",
                             units)])
    e = explain_pass(build_network(checked), np.array([x]), None if loss is None else y, loss)
    differentiated = "H" if loss is None else "L"
    out = []
    for key, value in claimed(data).items():
        symbol = claims.parse_claim(str(key), differentiated)
        number = vector([value], f"claims[{key!r}]")[0]
        reading = claims.read_claim(e, symbol)
        right = reading.value is not None and claim_holds(number, reading.value, value)
        out.append(Claim(str(key), number, reading.value, right, reading.why))
    return Verification(name, str(data.get("about") or ""), tuple(out), str(e))


def verify(source: str | Path | dict[str, Any]) -> Verification:
    """Check every claim of a worked example: a YAML file (or a shipped example's name,
    see `examples()`), or the same mapping in Python. Raises ExampleError (a ValueError,
    one line) for a file the format does not allow."""
    if isinstance(source, dict):
        data, name = source, "example"
    else:
        path = find_example(source)
        data, name = read_example(path), path.name
    if "graph" in data:
        return verify_graph(data, name)
    return verify_network(data, name)


def examples() -> list[Path]:
    """The worked examples that ship with nnlite (the notes' own, with their numbers)."""
    return sorted(EXAMPLES.glob("*.yaml"))


def find_example(source: str | Path) -> Path:
    """A path, or the name of a shipped example (note004_dead_unit)."""
    path = Path(source)
    if path.exists() or path.suffix:
        return path
    shipped = EXAMPLES / f"{path.name}.yaml"
    if shipped.is_file():
        return shipped
    raise ExampleError(f"{source}: no such file, and no shipped example of that name; shipped: "
                       f"{', '.join(p.stem for p in examples())}")
