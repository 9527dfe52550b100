"""A quiz as a file and as text: `dumps` (JSON, the same bytes for the same quiz),
`read` (checked, one-line errors), `render` (the questions as a student reads them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nnlite.course.network import ExampleError, layers, vector
from nnlite.course.quiz import FORMAT

MAX_BYTES = 256 * 1024
KINDS = ("number", "blank", "count", "true_false")


class QuizError(ExampleError):
    """A quiz file that is not one `make_quiz` writes (one line)."""


def dumps(quiz: dict[str, Any]) -> str:
    """JSON with each row of numbers on one line; the same quiz gives the same bytes."""
    text = json.dumps(quiz, indent=2, ensure_ascii=False)
    # a list that holds only numbers (a row of W, x, sizes) on one line
    text = re.sub(r"\[\s+([-\d.,\s]+?)\s+\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m[1].split(",")) + "]", text)
    return text + "\n"


def read_quiz(source: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A quiz from a file (or the dict itself), checked enough to grade it."""
    if isinstance(source, dict):
        quiz = source
    else:
        path = Path(source)
        if not path.is_file():
            raise QuizError(f"{path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise QuizError(f"{path}: larger than {MAX_BYTES} bytes; not a quiz")
        try:
            quiz = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise QuizError(f"{path}: not a quiz file (not JSON: {err})") from None
    if not isinstance(quiz, dict) or quiz.get("format") != FORMAT:
        raise QuizError(f"not a quiz file: it must have \"format\": \"{FORMAT}\" (written by "
                        "python -m nnlite course quiz)")
    for key in ("salt", "x", "network", "questions"):
        if key not in quiz:
            raise QuizError(f"the quiz has no {key!r}")
    layers(quiz["network"], len(vector(quiz["x"], "x")))
    questions = quiz["questions"]
    if not isinstance(questions, list) or not questions:
        raise QuizError("questions: must be a non-empty list")
    for q in questions:
        if not isinstance(q, dict) or not {"id", "kind", "ask", "digest", "text"} <= set(q) \
                or q["kind"] not in KINDS:
            raise QuizError(f"questions: {str(q)[:60]!r} is not a question (id, kind, text, "
                            f"ask, digest; kind one of {', '.join(KINDS)})")
    return quiz


def render_quiz(quiz: dict[str, Any]) -> str:
    """The quiz as text: the network layer by layer, x, then the questions."""
    lines = [f"Quiz {quiz['seed']}, in the style of note 004's quizzes.",
             f"Notation: {quiz['notation']}.", ""]
    for ell, layer in enumerate(quiz["network"], start=1):
        rows = "; ".join(" ".join(f"{v:>2}" for v in row) for row in layer["W"])
        lines.append(f"  W^({ell}) = [{rows}]   then {layer['activation']}")
    lines += [f"  x = ({', '.join(str(v) for v in quiz['x'])})", ""]
    for q in quiz["questions"]:
        kind = {"number": "a number", "blank": "symbols", "count": "a whole number",
                "true_false": "true or false"}[q["kind"]]
        lines.append(f"{q['id']}. {q['text']}  [{kind}]")
    ids = " ".join(f"{q['id']}=..." for q in quiz["questions"][:3])
    lines += ["", (f"Answer with: python -m nnlite course answer QUIZ.json {ids} (a blank "
                   "in quotes, its symbols in any order: Q9=\"W^(l)_ij g'(z^(l)_j) ...\"); "
                   "add --show for the working.")]
    return "\n".join(lines)
