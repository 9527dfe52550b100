"""Answers to quiz questions, as a grader compares them: each kind of answer in one
canonical text, and that text's salted digest, so a quiz file can hold the digest and
never the answer.

    number       rounded to 2 decimals: -14, "-14.0", "−14" and "-28/2" are all "-14.00"
    blank        the symbols of a product, in any order: "W^(2)_22 g'(z^(2)_2) W^(3)_21",
                 "W2_22 * g'(z2_2) * W3_21"
    count        an integer
    true_false   true or false (t, f, yes, no)

The digest keeps the answer out of plain sight; it is not a secret from someone who
works the question out, which the network in the file lets anyone do (that is the
point: a grader can recompute every answer from the question's `ask`).
"""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from typing import Any

_LAYER = r"\^?\{?\(?(\d+)\)?\}?"
_TOKENS = [
    ("g'", re.compile(rf"g'\(\s*z{_LAYER}_\{{?(\d+)\}}?\s*\)")),
    ("W", re.compile(rf"W{_LAYER}_\{{?(\d),?(\d)\}}?")),
    ("a", re.compile(rf"a{_LAYER}_\{{?(\d+)\}}?")),
    ("x", re.compile(r"x_?\{?(\d+)\}?")),
]
_SEPARATORS = re.compile(r"^[\s·*×.,]*$")


class AnswerError(ValueError):
    """An answer that cannot be read as its kind asks (one line)."""


def symbol(kind: str, numbers: list[str]) -> str:
    """One factor in the notes' notation: W^(2)_21, g'(z^(1)_2), a^(1)_1, x_1."""
    if kind == "W":
        return f"W^({numbers[0]})_{numbers[1]}{numbers[2]}"
    if kind == "g'":
        return f"g'(z^({numbers[0]})_{numbers[1]})"
    if kind == "a":
        return f"a^({numbers[0]})_{numbers[1]}"
    return f"x_{numbers[0]}"


def canonical_product(text: str) -> str:
    """The factors of a product of symbols, sorted: a product does not care for order."""
    rest, found = str(text).replace("\\cdot", " "), []
    for kind, pattern in _TOKENS:
        found += [symbol(kind, list(m.groups())) for m in pattern.finditer(rest)]
        rest = pattern.sub(" ", rest)
    if not found or not _SEPARATORS.match(rest):
        raise AnswerError(f"{text!r} is not a product of the notes' symbols, such as "
                          "W^(2)_22 g'(z^(2)_2) W^(3)_21")
    return " ".join(sorted(found))


def canonical_number(value: Any) -> str:
    if isinstance(value, bool):
        raise AnswerError(f"{value!r} is not a number")
    try:
        exact = Fraction(str(value).strip().replace("−", "-").replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise AnswerError(f"{value!r} is not a number (write -14, 0.25 or 1/4)") from None
    text = f"{round(float(exact), 2):.2f}"
    return "0.00" if text == "-0.00" else text


def canonical_count(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text):
        raise AnswerError(f"{value!r} is not a count (a whole number, such as 29)")
    return str(int(text))


def true_false(value: Any) -> str:
    text = str(value).strip().lower()
    if text in ("true", "t", "yes", "y", "1"):
        return "true"
    if text in ("false", "f", "no", "n", "0"):
        return "false"
    raise AnswerError(f"{value!r} is neither true nor false")


CANONICAL = {"number": canonical_number, "blank": canonical_product, "count": canonical_count,
             "true_false": true_false}


def canonical(kind: str, value: Any) -> str:
    return CANONICAL[kind](value)


def digest(salt: str, question: str, canonical_answer: str) -> str:
    """The salted digest a quiz file holds in place of the answer."""
    return hashlib.sha256(f"{salt}|{question}|{canonical_answer}".encode()).hexdigest()[:32]
