"""The package's shape: tiers whose imports run one way, no cycles, small files, and no
work at import time (docs/architecture.md). Imports are read with `ast`, including
those inside functions, so a cycle cannot hide in a function body."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nnlite"
PICTURE = PACKAGE.parent / "docs" / "architecture.md"

MATHS = ("nnlite.nn", "nnlite.optim", "nnlite.data")
NOT_IN_THE_MATHS = ("pluggy", "hydra", "omegaconf", "matplotlib", "yaml", "tqdm")
MAX_LINES = 250


def picture_rooms() -> tuple[dict[str, float], dict[str, float]]:
    """(exact module -> tier, module prefix -> tier) from the picture in
    docs/architecture.md: its `tier N  path` lines, a path's tier carried down to the
    lines below it until the next `tier`. `x/` is a folder (a prefix), `x.py` a module,
    `runs/*.py` each file directly in runs/."""
    block = PICTURE.read_text().split("```")[1]
    exact: dict[str, float] = {}
    prefixes: dict[str, float] = {}
    current = None
    for line in block.splitlines():
        found = re.match(r"^\s*(?:tier\s+([\d.]+)\s+)?([\w./*]+(?:/|\.py))\s", line + " ")
        if not found:
            continue
        if found.group(1):
            current = float(found.group(1))
        path = found.group(2)
        dotted = "nnlite" + "".join("." + part for part in path.strip("/").split("/"))
        if path.endswith("/*.py"):
            folder = PACKAGE / path[: -len("/*.py")]
            for file in folder.glob("*.py"):
                if file.name != "__init__.py":
                    exact.setdefault(module_name(file), current)  # a line of its own wins
        elif path.endswith("/"):
            prefixes[dotted] = current
        else:
            exact[dotted.removesuffix(".py").removesuffix(".__init__") or "nnlite"] = current
    return exact, prefixes


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
EXACT, PREFIXES = picture_rooms()


def type_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:`: names for type hints, never run,
    so they neither make a cycle nor tie a tier to a higher one."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return hidden


def imports_of(name: str) -> set[str]:
    """Every module `name` imports, anywhere in its body (absolute names), but for the
    names imported for type hints only (`if TYPE_CHECKING:`)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text())
    hidden = type_only(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
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


def tier(name: str) -> float | None:
    """The tier the picture gives a module: its own line, else its longest folder."""
    if name in EXACT:
        return EXACT[name]
    folders = [p for p in PREFIXES if name == p or name.startswith(p + ".")]
    return PREFIXES[max(folders, key=len)] if folders else None


GRAPH = {name: {m for m in imports_of(name) if own(m) and m != name} for name in MODULES}


def test_every_module_has_a_tier_in_the_picture():
    untiered = [name for name in MODULES if tier(name) is None]
    assert not untiered, f"place these in docs/architecture.md's picture: {untiered}"


def test_every_room_of_the_picture_exists():
    missing = [room for room in [*EXACT, *PREFIXES]
               if room not in MODULES and not any(m.startswith(room + ".") for m in MODULES)]
    assert not missing, f"docs/architecture.md draws rooms that do not exist: {missing}"


def test_the_runs_tier_is_drawn_as_sub_tiers():
    """runs/ is drawn as sub-packages of one concern each, one above the other."""
    subs = {p: t for p, t in PREFIXES.items() if p.startswith("nnlite.runs.")}
    assert set(subs) == {f"nnlite.runs.{s}" for s in ("config", "folder", "training",
                                                      "results")}, subs
    assert len(set(subs.values())) == len(subs), "two sub-packages of runs/ share a tier"
    on_disk = {p.parent.name for p in (PACKAGE / "runs").glob("*/__init__.py")}
    assert on_disk == {s.rsplit(".", 1)[1] for s in subs}, on_disk


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


def public_definitions() -> dict[str, list[str]]:
    """Top-level public function and class name -> the modules defining it."""
    found: dict[str, list[str]] = {}
    for name, path in MODULES.items():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                found.setdefault(node.name, []).append(name)
    return found


def test_no_two_public_functions_or_classes_share_a_name():
    # A hook implementation carries its spec's name: that is how pluggy pairs them.
    shared = {n: where for n, where in public_definitions().items()
              if len(where) > 1 and not (n.startswith("nnlite_") and set(where) == {
                  "nnlite.hookspecs", "nnlite.plugins.builtins"})}
    assert not shared, f"one name, several meanings: {shared}"


MAX_RUNS_FUNCTION = 40  # a run's life reads as small states, none over a screen's third


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("nnlite.runs")))
def test_no_function_in_runs_is_long(name):
    long = [(node.name, node.end_lineno - node.lineno + 1)
            for node in ast.walk(ast.parse(MODULES[name].read_text()))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_RUNS_FUNCTION]
    assert not long, f"{name}: split these by what they do: {long}"
