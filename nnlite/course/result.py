"""What checking an exercise gives back: passed or not, and the diagnosis, in the notes'
notation, naming the step of the chain rule that is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckResult:
    """The outcome of `nl.course.check(name, solution)`.

    passed: True when every value matched central differences (float64) on every trial
    and no argument was changed in place; diagnosis: what was checked, or what is wrong
    and why, one finding a line; findings: the same findings as a tuple.
    """

    name: str
    passed: bool
    diagnosis: str
    findings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.diagnosis

    def __repr__(self) -> str:
        state = "passed" if self.passed else f"failed ({len(self.findings)} finding(s))"
        return f"CheckResult({self.name}: {state}; print() it for the diagnosis)"

    def _repr_markdown_(self) -> str:
        head = f"**{self.name}: {'passed' if self.passed else 'not yet right'}**"
        lines = self.diagnosis.splitlines()[1:]
        return head + "\n\n" + "\n".join(f"- {line.lstrip('- ')}" for line in lines if line)


def passed(name: str, what: str) -> CheckResult:
    return CheckResult(name, True, f"{name}: passed. {what}")


def failed(name: str, findings: list[str]) -> CheckResult:
    text = f"{name}: not yet right.\n" + "\n".join(f"- {f}" for f in findings)
    return CheckResult(name, False, text, tuple(findings))
