"""What verifying a worked example gives back: each claim, right or wrong with the
right value, and the working."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nnlite.course.network import ExampleError
from nnlite.explain.notation import num


def shown(value: float) -> str:
    """A claimed or computed value with the digits a claim may be written with."""
    return num(value) if float(value).is_integer() else f"{value:.6g}"


@dataclass(frozen=True)
class Claim:
    """One claim: as written, the value claimed, the value computed (None when the
    network has no such quantity) and why."""

    symbol: str
    claimed: float
    actual: float | None
    right: bool
    why: str = ""

    def __str__(self) -> str:
        if self.right:
            return f"right  {self.symbol} = {shown(self.claimed)}"
        if self.actual is None:
            return f"WRONG  {self.symbol}: {shown(self.claimed)} claimed, but {self.why}"
        return f"WRONG  {self.symbol}: {shown(self.claimed)} claimed; it is {shown(self.actual)}"


@dataclass(frozen=True)
class Verification:
    """Every claim of one worked example checked; `working` is the pass, worked out."""

    name: str
    about: str
    claims: tuple[Claim, ...]
    working: str

    @property
    def all_right(self) -> bool:
        return all(c.right for c in self.claims)

    @property
    def wrong(self) -> list[Claim]:
        return [c for c in self.claims if not c.right]

    def __str__(self) -> str:
        head = (f"{self.name}: {len(self.claims)} claim(s), "
                f"{'all right' if self.all_right else f'{len(self.wrong)} wrong'}")
        lines = [head] + ([f"  {self.about}"] if self.about else [])
        lines += [f"  {c}" for c in self.wrong] + [f"  {c}" for c in self.claims if c.right]
        return "\n".join(lines + ["", "Working", self.working])


def claim_holds(claimed: float, actual: float, written: Any) -> bool:
    """Equal to the digits the claim is written with: an integer to a millionth (exact
    arithmetic on integers rounds only in the 16th digit), 20.0855 to within 0.00005."""
    text = repr(written)
    if isinstance(written, int) or "e" in text or "." not in text:
        return abs(claimed - actual) <= 1e-6 * max(1.0, abs(actual))
    decimals = len(text.split(".")[1])
    return abs(claimed - actual) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9)


def claimed(data: dict[str, Any]) -> dict[str, Any]:
    found = data.get("claims")
    if not isinstance(found, dict) or not found:
        raise ExampleError("claims: must be a mapping of quantities to numbers, e.g. "
                           "{z^(1)_1: 10, dH/dW^(2)_21: 1}")
    return found
