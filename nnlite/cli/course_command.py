"""`python -m nnlite course ...`: the course notes' concepts that are plots rather than
training runs, and the exercises, quizzes and worked examples of `nl.course`.

    activations     each activation and its derivative, from its own backward pass
                    (note 002 §3.2: sigmoid, tanh, ReLU; more names may follow)
    gradient-cost   seconds and forward passes for dl/dW1 of 1/2 ||W2 tanh(W1 x + b) - y||^2,
                    numerical (central differences) against backpropagation (note 001 2(e))
    exercise, check, quiz, answer, verify   nl.course (nnlite/course/) on the command line:
                    status 0 right, 1 wrong, 2 a mistake in the command (one `nnlite:` line)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from nnlite.atomic import write_atomic
from nnlite.nn.activations import Elementwise
from nnlite.nn.gradcheck import jacobian
from nnlite.nn.losses import MSELoss
from nnlite.nn.mlp import mlp
from nnlite.plugins.factories import activation
from nnlite.registry import PluginError

USAGE = """usage: nnlite course activations [NAME ...] [-o OUT.png]
       nnlite course gradient-cost [-o OUT.png]
       nnlite course exercise [NAME] [-o FILE]     (no NAME: the list of exercises)
       nnlite course check NAME FILE
       nnlite course quiz --seed N [-o QUIZ.json]
       nnlite course answer QUIZ.json Q1=... Q2=... [--show]
       nnlite course verify FILE.yaml | EXAMPLE

activations: each activation (default sigmoid tanh relu) and its derivative on
[-6, 6] -> activations.png. gradient-cost: the time and forward passes of a numerical
gradient against backpropagation, for d x d weights, d = 2..64 -> gradient_cost.png.
exercise writes a stub (NAME.py), check says which chain-rule step of it is wrong, quiz
writes note 004's questions (answers as salted digests), answer grades them, verify
checks every claim of a worked example (shipped: nnlite/course/examples)."""


class Arguments(argparse.ArgumentParser):
    """argparse whose every mistake is one `nnlite:` line and status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"nnlite: course {self.prog.split()[-1]}: {message} (see nnlite course help)",
              file=sys.stderr)
        sys.exit(2)


def mistake(err: BaseException | str, status: int = 2) -> int:
    print(f"nnlite: {err}", file=sys.stderr)
    return status


def parse_course_args(argv: list[str], name: str, *arguments: tuple[tuple[str, ...], dict]) -> Any:
    p = Arguments(prog=f"nnlite course {name}", add_help=False)
    for flags, options in arguments:
        p.add_argument(*flags, **options)
    return p.parse_args(argv)


def exercise_command(argv: list[str]) -> int:
    from nnlite.course.syllabus import exercise, exercises

    args = parse_course_args(argv, "exercise", (("name",), {"nargs": "?"}),
                 (("-o",), {"dest": "out", "type": Path}))
    if args.name is None:
        print("\n".join(str(e) for e in exercises()))
        return 0
    try:
        text = exercise(args.name).stub
    except ValueError as err:
        return mistake(err)
    out = args.out or Path(f"{args.name}.py")
    if str(out) == "-":
        sys.stdout.write(text)
        return 0
    if out.exists():  # never over a student's work
        return mistake(f"{out} exists; pass -o ANOTHER.py (nnlite does not write over it)")
    write_atomic(out, text.encode("utf-8"))
    print(f"nnlite: wrote {out}; check it with: python -m nnlite course check {args.name} {out}")
    return 0


def check_command(argv: list[str]) -> int:
    from nnlite.course.solution import SolutionError
    from nnlite.course.syllabus import check, exercise

    args = parse_course_args(argv, "check", (("name",), {}), (("file",), {"type": Path}))
    try:
        exercise(args.name)
        if not args.file.is_file():
            return mistake(f"{args.file}: no such file")
        result = check(args.name, args.file)
    except SolutionError as err:  # the attempt itself does not load: it fails the check
        return mistake(err, 1)
    except ValueError as err:
        return mistake(err)
    print(result.diagnosis)
    return 0 if result.passed else 1


def quiz_command(argv: list[str]) -> int:
    from nnlite.course.quiz import make_quiz
    from nnlite.course.quiz_file import dumps, render_quiz

    args = parse_course_args(argv, "quiz", (("--seed",), {"type": int, "required": True}),
                 (("-o",), {"dest": "out", "type": Path, "default": Path("quiz.json")}))
    if args.seed < 0:
        return mistake(f"course quiz: --seed must be a whole number >= 0, got {args.seed}")
    quiz = make_quiz(args.seed)
    write_atomic(args.out, dumps(quiz).encode("utf-8"))
    text = render_quiz(quiz).replace("QUIZ.json", str(args.out))
    print(f"{text}\nnnlite: wrote {args.out}")
    return 0


def answer_command(argv: list[str]) -> int:
    from nnlite.course.grading import grade

    args = parse_course_args(argv, "answer", (("quiz",), {"type": Path}),
                 (("answers",), {"nargs": "*", "metavar": "Q=ANSWER"}),
                 (("--show",), {"action": "store_true"}))
    bad = [a for a in args.answers if "=" not in a]
    if bad:
        return mistake(f"{bad[0]!r} is not an answer; write Q1=-14 (a blank in quotes)")
    try:
        g = grade(args.quiz, dict(a.split("=", 1) for a in args.answers))
    except ValueError as err:
        return mistake(err)
    print(g.report(show=args.show))
    return 0 if g.all_right else 1


def verify_command(argv: list[str]) -> int:
    from nnlite.course.network import ExampleError
    from nnlite.course.worked import examples, verify

    if len(argv) != 1 or argv[0].startswith("-"):
        shipped = ", ".join(p.stem for p in examples())
        return mistake(f"course verify takes one FILE.yaml or a shipped example ({shipped})")
    try:
        result = verify(argv[0])
    except ExampleError as err:
        return mistake(err)
    print(result)
    return 0 if result.all_right else 1


NL_COURSE = {"exercise": exercise_command, "check": check_command, "quiz": quiz_command,
             "answer": answer_command, "verify": verify_command}


def gradient_cost(sizes: tuple[int, ...] = (2, 4, 8, 16, 32, 64)) -> list[dict[str, float]]:
    """Per d: the seconds and forward passes of dl/dW1 both ways, and their difference."""
    rows = []
    for d in sizes:
        model = mlp([d, d, d], activation="tanh", rng=d, dtype=np.float64)
        x, y = np.ones((1, d)), np.zeros((1, d))
        loss, W = MSELoss(reduction="sum", half=True), model[0].weight
        analytic_s = float("inf")
        for _ in range(3):  # the best of three: the first call also warms numpy up
            start = time.perf_counter()
            loss(model.forward(x), y)
            model.zero_grad()
            model.backward(loss.backward())
            analytic_s = min(analytic_s, time.perf_counter() - start)
        calls = [0]

        def l_at(values: np.ndarray) -> np.ndarray:
            calls[0] += 1
            W.data[...] = values
            return np.array(loss(model.forward(x), y))

        original = W.data.copy()
        start = time.perf_counter()
        numeric = jacobian(l_at, original)
        numerical_s = time.perf_counter() - start
        W.data[...] = original
        rows.append({"d": d, "analytic_s": analytic_s, "numerical_s": numerical_s,
                     "analytic_forwards": 1, "numerical_forwards": calls[0] - 1,
                     "max_difference": float(np.abs(numeric - W.grad).max())})
    return rows


def course_command(argv: list[str]) -> int:
    if argv and argv[0] in NL_COURSE:
        return NL_COURSE[argv[0]](list(argv[1:]))
    args = list(argv)
    out = None
    if "-o" in args:
        at = args.index("-o")
        if at + 1 >= len(args):
            print("nnlite: -o needs a file name (nnlite course help)", file=sys.stderr)
            return 2
        out = Path(args[at + 1])
        del args[at:at + 2]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    from nnlite.plots.course import activations_figure, gradient_cost_figure
    from nnlite.plots.figure import save

    what, names = args[0], args[1:]
    if what == "activations":
        try:
            acts = {name: activation(name) for name in names or ["sigmoid", "tanh", "relu"]}
        except (PluginError, ValueError) as err:  # an unknown name lists the known ones
            print(f"nnlite: {err}", file=sys.stderr)
            return 1
        vector = sorted(name for name, act in acts.items() if not isinstance(act, Elementwise))
        if vector:  # softmax and friends act on a whole row: no g(z) curve to draw
            print(f"nnlite: course activations draws elementwise activations g(z); "
                  f"{', '.join(vector)} act on a whole row. Elementwise ones: "
                  f"{', '.join(elementwise_names())}", file=sys.stderr)
            return 1
        z = np.linspace(-6.0, 6.0, 601)
        for name, act in acts.items():
            act.forward(z[None])
            slope = act.backward(np.ones((1, z.size)))[0]
            print(f"{name}: max g'(z) = {slope.max():.4g} at z = {z[slope.argmax()]:.3g}; "
                  f"g'(±6) = {slope[0]:.3g}, {slope[-1]:.3g}")
        fig, out = activations_figure(acts, z), out or Path("activations.png")
    elif what == "gradient-cost" and not names:
        rows = gradient_cost()
        print("d   forwards (numerical / backprop)   seconds (numerical / backprop)   max diff")
        for r in rows:
            print(f"{r['d']:<3} {r['numerical_forwards']:>8} / 1{'':22}{r['numerical_s']:.2e} / "
                  f"{r['analytic_s']:.2e}{'':13}{r['max_difference']:.1e}")
        fig, out = gradient_cost_figure(rows), out or Path("gradient_cost.png")
    else:
        print(f"nnlite: unknown course command {' '.join(args)!r}; commands: activations, "
              f"gradient-cost, {', '.join(NL_COURSE)} (nnlite course help)", file=sys.stderr)
        return 2
    save(fig, out)
    print(f"nnlite: wrote {out}")
    return 0


def elementwise_names() -> list[str]:
    """Registered activations that act on each number alone (what a g(z) plot shows)."""
    from nnlite.registry import registry

    return [name for name in registry.names("activations")
            if isinstance(activation(name), Elementwise)]
