"""Learning by doing: exercises checked offline that say which step of the chain rule is
wrong, quizzes in note 004's style with hidden answers, and worked examples as data.

    import nnlite as nl
    nl.course.exercises()                        # what there is to do
    print(nl.course.stub("relu_backward"))       # a file to fill in
    r = nl.course.check("relu_backward", "attempt.py")   # or the function itself
    r.passed, print(r.diagnosis)                 # which chain-rule step, in the notes' notation
    print(nl.course.verify("note004_dead_unit"))  # every claim of a worked example checked
    quiz = nl.course.make_quiz(17)               # note 004's questions on a drawn network
    nl.course.grade(quiz, {"Q1": -14, "Q2": 0})  # right or wrong, per question

    syllabus.py    exercises(), stub(), check(); problems/ holds one exercise a file
    function_check.py, layer_check.py, compare.py   how an attempt is checked and diagnosed
    worked.py, graphs.py, network.py, claims.py, verification.py   worked examples as
                   YAML: verify(path), examples() (the notes' own, in examples/)
    quiz.py, quiz_file.py, answers.py, grading.py   make_quiz(seed), grade(quiz, answers)

numpy and the explainer only; YAML is read only when a worked example is.
"""

from __future__ import annotations

from typing import Any

# name -> (module, attribute), loaded on first use (PEP 562): `nl.course` costs nothing
# until something in it is used
_LAZY = {"exercises": ("nnlite.course.syllabus", "exercises"),
         "stub": ("nnlite.course.syllabus", "stub"),
         "check": ("nnlite.course.syllabus", "check"),
         "CheckResult": ("nnlite.course.result", "CheckResult"),
         "verify": ("nnlite.course.worked", "verify"),
         "examples": ("nnlite.course.worked", "examples"),
         "ExampleError": ("nnlite.course.network", "ExampleError"),
         "make_quiz": ("nnlite.course.quiz", "make_quiz"),
         "grade": ("nnlite.course.grading", "grade")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'nnlite.course' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    return getattr(importlib.import_module(module_name), attribute)


__all__ = ["CheckResult", "ExampleError", "check", "examples", "exercises", "grade", "make_quiz",
           "stub", "verify"]


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
