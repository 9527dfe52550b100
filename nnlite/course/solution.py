"""Finding a student's solution: in a module, a .py file, or an importable module name.

A file is imported under a name of its own each time, so checking an edited file again
in the same session reads the edit, and nothing of it stays in `sys.modules`.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_loads = itertools.count()


class SolutionError(ValueError):
    """A solution that cannot be loaded: no such file, an import that fails, no entry."""


def module_from_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise SolutionError(f"{path}: no such file")
    name = f"_nnlite_course_attempt_{next(_loads)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SolutionError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look a module up while it runs
    try:
        spec.loader.exec_module(module)
    except SyntaxError as err:
        raise SolutionError(f"{path}, line {err.lineno}: SyntaxError: {err.msg}") from None
    except Exception as err:  # noqa: BLE001 (the student's file: any error is a finding)
        raise SolutionError(f"{path} does not import: {type(err).__name__}: {err}") from None
    finally:
        sys.modules.pop(name, None)
    return module


def load_solution(solution: str | Path | ModuleType, entry: str) -> Any:
    """The function or class called `entry` in `solution`."""
    if isinstance(solution, ModuleType):
        module = solution
    elif isinstance(solution, Path) or str(solution).endswith(".py") or "/" in str(solution):
        module = module_from_file(Path(solution))
    else:
        try:
            module = importlib.import_module(str(solution))
        except ImportError as err:
            raise SolutionError(f"cannot import {solution!r}: {err}") from None
    found = getattr(module, entry, None)
    if not callable(found):
        where = getattr(module, "__file__", None) or module.__name__
        defined = sorted(k for k, v in vars(module).items()
                         if callable(v) and not k.startswith("_") and
                         getattr(v, "__module__", None) == module.__name__)
        raise SolutionError(f"{where} defines no {entry}" +
                            (f" (it defines {', '.join(defined)})" if defined else ""))
    return found
