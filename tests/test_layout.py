"""The package's shape: tiers whose imports run one way, no cycles, small files, and no
work at import time (docs/architecture.md). Imports are read with `ast`, including
those inside functions, so a cycle cannot hide in a function body."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nnlite"

# Lowest first; a module may import from its own tier or a lower one.
TIERS = {
    "nnlite.checks": 0, "nnlite.registry": 0, "nnlite.nested": 0, "nnlite.atomic": 0,
    "nnlite.version": 0,
    "nnlite.nn": 1, "nnlite.optim": 1, "nnlite.data": 1,
    "nnlite.hookspecs": 2, "nnlite.hooks": 2, "nnlite.plots": 2, "nnlite.loggers": 2,
    "nnlite.explain": 2, "nnlite.course": 2,
    "nnlite.runs": 3, "nnlite.testing": 3,
    "nnlite.cli": 4, "nnlite.report": 4, "nnlite.__main__": 4, "nnlite._hydra_plugins": 4,
}
# The package root re-exports the public names of every tier but the command line.
ROOT_TIER = 3.5
MATHS = ("nnlite.nn", "nnlite.optim", "nnlite.data")
NOT_IN_THE_MATHS = ("pluggy", "hydra", "omegaconf", "matplotlib", "yaml", "tqdm")
MAX_LINES = 250


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every module `name` imports, anywhere in its body (absolute names)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            for alias in node.names:  # `from nnlite import optim` imports nnlite.optim
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


def own(name: str) -> bool:
    return name == "nnlite" or name.startswith("nnlite.")


def tier(name: str) -> float:
    if name == "nnlite":
        return ROOT_TIER
    return next(t for prefix, t in TIERS.items() if name == prefix or name.startswith(prefix + "."))


GRAPH = {name: {m for m in imports_of(name) if own(m) and m != name} for name in MODULES}


def test_every_module_has_a_tier():
    untiered = [name for name in MODULES if name != "nnlite" and
                not any(name == p or name.startswith(p + ".") for p in TIERS)]
    assert not untiered, f"give these a tier in TIERS and docs/architecture.md: {untiered}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_down_the_tiers(name):
    upward = sorted(m for m in GRAPH[name] if tier(m) > tier(name))
    assert not upward, f"{name} (tier {tier(name)}) imports a higher tier: {upward}"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a list of nodes, or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = "open", stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node], _ = "done", stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_modules():
    # A package's __init__ re-exports its own modules, which import each other by full
    # name through it: only edges into a package's own __init__ from inside are left out.
    graph = {a: {b for b in deps if not a.startswith(b + ".")} for a, deps in GRAPH.items()}
    assert find_cycle(graph) is None, f"import cycle: {' -> '.join(find_cycle(graph))}"


def test_no_import_cycle_between_folders():
    def folder(name: str) -> str:
        return ".".join(name.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for a, deps in GRAPH.items():
        graph.setdefault(folder(a), set()).update(folder(b) for b in deps
                                                  if folder(b) != folder(a) and b != "nnlite")
    cycle = find_cycle(graph)
    assert cycle is None, f"folders import each other: {' -> '.join(cycle)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(MATHS)))
def test_the_maths_imports_no_framework(name):
    outside = sorted(m for m in imports_of(name) if m.split(".")[0] in NOT_IN_THE_MATHS)
    assert not outside, f"{name} imports {outside}; the maths is numpy only"


def test_no_module_imports_the_package_root():
    # The root is the public face: modules inside import what they use from its home.
    users = sorted(name for name, deps in GRAPH.items() if "nnlite" in deps)
    assert not users, f"these import the package root `nnlite`: {users}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_file_is_small(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines; split it by concept"


def test_importing_nnlite_does_no_work():
    """`import nnlite` imports no Hydra, OmegaConf, matplotlib, YAML or tqdm, and no
    built-in is registered until something is looked up; importing the command line
    registers no resolver."""
    probe = """
import sys
import nnlite as nl
heavy = sorted(m for m in ("hydra", "omegaconf", "matplotlib", "yaml", "tqdm") if m in sys.modules)
print(",".join(heavy) or "-")
import nnlite.cli, nnlite.cli.app
from omegaconf import OmegaConf
print(len(nl.plugins.manager.get_plugins()), "matplotlib" in sys.modules,
      OmegaConf.has_resolver("nnlite_registry"))
nl.registry.names("activations")
print(len(nl.plugins.manager.get_plugins()))
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "-", f"import nnlite imported {out[0]}"  # the maths and the registry only
    assert out[1:4] == ["0", "False", "False"], out
    assert int(out[4]) >= 1, out  # the built-ins (and any installed plugin) on first lookup
