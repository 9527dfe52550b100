"""Grading a quiz offline: each answer's canonical text, salted and hashed, against the
digest in the file; and, on request, the worked solution through `nl.explain`.

    g = nl.course.grade("quiz.json", {"Q1": -14, "Q2": 0})
    g.all_right, g.score, print(g)
    print(g.solution("Q1"))     # the chain-rule step that gives Q1, with numbers
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnlite.course import answers, claims
from nnlite.course.quiz import solve, the_pass
from nnlite.course.quiz_file import QuizError, read_quiz


@dataclass(frozen=True)
class Mark:
    """One question: the answer given (None: not answered), right or not, and why not
    when the answer could not be read."""

    id: str
    given: str | None
    right: bool
    note: str = ""

    def __str__(self) -> str:
        if self.given is None:
            return f"{self.id:<4} not answered"
        return f"{self.id:<4} {self.given:<12} {'right' if self.right else 'wrong'}" + (
            f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Grade:
    """The marks of one quiz, in question order."""

    quiz: dict[str, Any]
    marks: tuple[Mark, ...]

    @property
    def all_right(self) -> bool:
        return all(m.right for m in self.marks)

    @property
    def score(self) -> tuple[int, int]:
        return sum(m.right for m in self.marks), len(self.marks)

    def __str__(self) -> str:
        right, total = self.score
        return "\n".join([*(str(m) for m in self.marks), f"{right} of {total} right"])

    def report(self, show: bool = False) -> str:
        """The marks; with `show`, each question's worked solution under its mark and
        the whole pass at the end."""
        if not show:
            return str(self)
        lines = []
        for m in self.marks:
            lines += [str(m), "    " + self.solution(m.id).replace("\n", "\n    ")]
        right, total = self.score
        return "\n".join([*lines, f"{right} of {total} right", "",
                          "The whole pass (nl.explain):", self.working()])

    def solution(self, question: str) -> str:
        """How question `question` is worked out (numbers through nl.explain)."""
        return worked(self.quiz, question_of(self.quiz, question))

    def working(self) -> str:
        """The whole forward and backward pass of the quiz's network."""
        return str(the_pass(self.quiz))


def question_of(quiz: dict[str, Any], qid: str) -> dict[str, Any]:
    for q in quiz["questions"]:
        if q["id"].lower() == str(qid).strip().lower():
            return q
    raise QuizError(f"{qid!r} is not a question of this quiz; it has "
                    f"{', '.join(q['id'] for q in quiz['questions'])}")


def grade(quiz: str | Path | dict[str, Any], given: dict[str, Any]) -> Grade:
    """Mark each answer in `given` (question id -> answer) right or wrong. Unanswered
    questions are marked not answered; an unknown id, or a quiz whose questions were
    edited after it was made (a digest that no longer fits), raises a one-line error."""
    quiz = read_quiz(quiz)
    by_id = {question_of(quiz, k)["id"]: v for k, v in given.items()}
    marks = []
    for q in quiz["questions"]:
        expected = solve(quiz, q)
        if answers.digest(quiz["salt"], q["id"], expected) != q["digest"]:
            raise QuizError(f"{q['id']}: its digest does not fit its question: the quiz was "
                            "edited after it was made")
        if q["id"] not in by_id:
            marks.append(Mark(q["id"], None, False))
            continue
        value = by_id[q["id"]]
        try:
            mine = answers.canonical(q["kind"], value)
        except answers.AnswerError as err:
            marks.append(Mark(q["id"], str(value), False, str(err)))
            continue
        right = answers.digest(quiz["salt"], q["id"], mine) == q["digest"]
        marks.append(Mark(q["id"], str(value), right))
    return Grade(quiz, tuple(marks))


def worked(quiz: dict[str, Any], q: dict[str, Any]) -> str:
    ask = q["ask"]
    if q["kind"] == "number":
        head = f"∂H/∂{ask['wrt']} ="
        lines = [line.strip() for line in str(the_pass(quiz)).splitlines()
                 if line.strip().startswith(head)]
        return "\n".join(lines)
    if q["kind"] == "blank":
        paths = the_pass(quiz).paths(1, ask["wrt"])
        blank = paths[ask["path"] - 1].symbols[ask["after"]:]
        return f"{paths}\nThe blank: {' '.join(blank)}"
    if q["kind"] == "count":
        sizes, bias = ask["parameters"], ask["bias"]
        parts = [f"layer {n} ({a} → {b}): {a} × {b} weights + {b} bias"
                 f"{'es' if b > 1 else ''} = {(a + 1) * b}"
                 if bias else f"layer {n} ({a} → {b}): {a * b} weights"
                 for n, (a, b) in enumerate(itertools.pairwise(sizes), start=1)]
        return "; ".join(parts) + f". Total: {solve(quiz, q)}."
    return true_false_working(ask, solve(quiz, q))


def true_false_working(ask: dict[str, Any], answer: str) -> str:
    if "output_activation" in ask:
        return (f"{answer.capitalize()}. Every ∂H/∂W^(ℓ)_ij carries the factor g'(z_out) of "
                f"the output node. With {ask['output_activation']} and H ≈ {ask['H']}, "
                f"g'(z_out) is {'≈ 0: the output is saturated' if answer == 'true' else 'not 0'}"
                " (σ' = σ(1 − σ), tanh' = 1 − tanh², ReLU' = 1 where z > 0).")
    if "loss" in ask:
        return (f"{answer.capitalize()}. The point's share of the gradient of R carries the "
                f"factor 2 (H(x^(1); w) − y_1) = 2 ({ask['H']} − ({ask['y']})), which is "
                f"{'0' if answer == 'true' else 'not 0'}.")
    return (f"{answer.capitalize()}. By the chain rule, summing over the paths to H: "
            f"{expansion(ask['lhs'])}; the statement says ∂H/∂{ask['lhs'].split('/d', 1)[1]} = "
            f"{' '.join(ask['rhs'])}.")


def expansion(lhs: str) -> str:
    """What ∂H/∂(a unit or weight of layer 1 or 2) is on the quiz's 2-2-2-1 network."""
    s = claims.parse_claim(lhs, "H")
    if s.kind == "z" and s.layer == 2:
        return f"∂H/∂z^(2)_{s.i} = W^(3)_{s.i}1 g'(z^(2)_{s.i})"
    if s.kind == "W" and s.layer == 2:
        return f"∂H/∂W^(2)_{s.i}{s.j} = a^(1)_{s.i} g'(z^(2)_{s.j}) W^(3)_{s.j}1"
    return (f"∂H/∂a^(1)_{s.i} = W^(2)_{s.i}1 g'(z^(2)_1) W^(3)_11 + "
            f"W^(2)_{s.i}2 g'(z^(2)_2) W^(3)_21, one path through each unit of layer 2")
