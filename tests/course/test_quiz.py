"""Quizzes in note 004's style: a drawn network with small integer weights, the note's
questions, answers kept only as salted digests, grading offline, and the same quiz for
the same seed, byte for byte."""

import json

import numpy as np
import pytest

import nnlite as nl
from nnlite.course.answers import digest
from nnlite.course.network import build_network, layers
from nnlite.course.quiz import solve
from nnlite.course.quiz_file import QuizError, dumps, render_quiz

course = nl.course
SEEDS = range(8)


def answers_of(quiz):
    return {q["id"]: solve(quiz, q) for q in quiz["questions"]}


def test_the_same_seed_gives_the_same_quiz_byte_for_byte():
    assert dumps(course.make_quiz(17)) == dumps(course.make_quiz(17))
    assert dumps(course.make_quiz(17)) != dumps(course.make_quiz(18))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_network_is_note_004_s_kind(seed):
    quiz = course.make_quiz(seed)
    assert [np.shape(layer["W"]) for layer in quiz["network"]] == [(2, 2), (2, 2), (2, 1)]
    assert [layer["activation"] for layer in quiz["network"]] == ["relu", "relu", "identity"]
    assert all(layer["b"] is None for layer in quiz["network"])
    values = [v for layer in quiz["network"] for row in layer["W"] for v in row] + quiz["x"]
    assert all(isinstance(v, int) and -3 <= v <= 3 for v in values)
    kinds = [q["kind"] for q in quiz["questions"]]
    assert kinds.count("number") == 8 and kinds.count("blank") == 2
    assert kinds.count("count") == 1 and kinds.count("true_false") == 3


@pytest.mark.parametrize("seed", SEEDS)
def test_the_numbers_are_the_chain_rule_by_hand(seed):
    """Q1..Q8 against the chain rule written out in numpy, independent of nl.explain."""
    quiz = course.make_quiz(seed)
    W1, W2, W3 = (np.array(layer["W"], dtype=float) for layer in quiz["network"])
    x = np.array(quiz["x"], dtype=float)
    z1 = x @ W1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2
    dz2 = W3[:, 0] * (z2 > 0)
    da1 = W2 @ dz2
    dz1 = da1 * (z1 > 0)
    known = {"z^(2)_1": dz2[0], "z^(2)_2": dz2[1], "a^(1)_1": da1[0], "a^(1)_2": da1[1],
             "z^(1)_1": dz1[0], "z^(1)_2": dz1[1], "W^(2)_11": a1[0] * dz2[0],
             "W^(2)_21": a1[1] * dz2[0]}
    known.update({f"W^(1)_{i + 1}{j + 1}": x[i] * dz1[j] for i in range(2) for j in range(2)})
    got = answers_of(quiz)
    for q in quiz["questions"]:
        if q["kind"] == "number":
            assert float(got[q["id"]]) == known[q["ask"]["wrt"]], q
    assert np.any(np.concatenate([z1, z2]) < 0)  # a dead unit: g' = 0 somewhere


@pytest.mark.parametrize("seed", SEEDS)
def test_counts_and_true_false_are_right(seed):
    quiz = course.make_quiz(seed)
    got = answers_of(quiz)
    by_kind = {}
    for q in quiz["questions"]:
        by_kind.setdefault(q["kind"], []).append(q)
    [count] = by_kind["count"]
    sizes = count["ask"]["parameters"]
    assert int(got[count["id"]]) == nl.mlp(sizes).num_parameters()
    saturation, contribution, statement = by_kind["true_false"]
    ask = saturation["ask"]
    assert got[saturation["id"]] == ("true" if (ask["output_activation"], ask["H"]) in (
        ("sigmoid", 1), ("tanh", -1)) else "false")
    ask = contribution["ask"]
    assert got[contribution["id"]] == ("true" if ask["H"] == ask["y"] else "false")
    lhs, rhs = statement["ask"]["lhs"], statement["ask"]["rhs"]
    one_term = lhs.startswith("dH/da^(1)")
    wrong_index = lhs.startswith("dH/dW^(2)") and rhs[-1] != f"a^(1)_{lhs[-2]}"
    assert got[statement["id"]] == ("false" if one_term or wrong_index else "true")


def test_the_file_never_holds_an_answer():
    quiz = course.make_quiz(17)
    for q in quiz["questions"]:
        assert set(q) == {"id", "kind", "text", "ask", "digest"}
    blanks = [q for q in quiz["questions"] if q["kind"] == "blank"]
    for q in blanks:  # the blank's symbols are nowhere in its own text
        e = nl.explain(build_network(layers(quiz["network"], 2)), [quiz["x"]])
        path = e.paths(1, q["ask"]["wrt"])[q["ask"]["path"] - 1]
        assert " ".join(path.symbols[q["ask"]["after"]:]) not in q["text"]
    first = quiz["questions"][0]  # salted: the same answer has another digest elsewhere
    assert first["digest"] == digest(quiz["salt"], "Q1", solve(quiz, first))
    assert first["digest"] != digest("0" * 16, "Q1", solve(quiz, first))
    assert json.loads(dumps(quiz)) == quiz


def test_grading_marks_each_answer_and_reads_equivalent_forms():
    quiz = course.make_quiz(17)
    right = answers_of(quiz)
    assert course.grade(quiz, right).all_right
    assert course.grade(quiz, right).score == (14, 14)
    q9 = next(q for q in quiz["questions"] if q["id"] == "Q9")
    symbols = right["Q9"].split()
    short = " * ".join(s.replace("^(", "").replace(")_", "_") for s in reversed(symbols))
    variants = {"Q1": right["Q1"].replace("-", "−").removesuffix(".00"),
                "Q2": f"{float(right['Q2']) * 2:g}/2", "Q9": short, "Q12": right["Q12"][0].upper()}
    g = course.grade(quiz, variants)
    assert [m.right for m in g.marks if m.id in variants] == [True] * 4, (q9, short, str(g))
    wrong = course.grade(quiz, {"Q1": float(right["Q1"]) + 1, "Q11": "many"})
    assert [m.right for m in wrong.marks[:1]] == [False]
    assert "'many' is not a count" in str(wrong) and "Q2   not answered" in str(wrong)
    assert not wrong.all_right


def test_the_worked_solution_comes_from_nl_explain():
    quiz = course.make_quiz(17)
    g = course.grade(quiz, {})
    wrt = quiz["questions"][1]["ask"]["wrt"]
    assert g.solution("Q2").startswith(f"∂H/∂{wrt} = W^(2)_11 ∂H/∂z^(2)_1 + W^(2)_12")
    assert g.solution("Q2") in g.working()
    assert "sum over 2 path(s)" in g.solution("Q9") and "The blank: " in g.solution("Q9")
    assert "Total: " in g.solution("Q11")


def test_an_edited_quiz_or_an_unknown_question_is_one_clear_error(tmp_path):
    quiz = course.make_quiz(3)
    with pytest.raises(QuizError, match="'Q99' is not a question of this quiz; it has Q1"):
        course.grade(quiz, {"Q99": 1})
    quiz["network"][2]["W"][0][0] += 1
    with pytest.raises(QuizError, match="digest does not fit its question: the quiz was edited"):
        course.grade(quiz, {})
    (tmp_path / "q.json").write_text("{not json")
    with pytest.raises(QuizError, match="not a quiz file"):
        course.grade(tmp_path / "q.json", {})
    with pytest.raises(ValueError, match="seed must be a whole number"):
        course.make_quiz(-1)


def test_the_text_a_student_reads():
    text = render_quiz(course.make_quiz(17))
    assert "W^(1) = [" in text and "x = (" in text and "Q14. True or False" in text
    assert "python -m nnlite course answer QUIZ.json Q1=... Q2=... Q3=..." in text
