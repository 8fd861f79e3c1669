"""What every kind shares with the rest of the scorer: the inputs a rule asks (`InputSpec`) and the steps of
how a score came about (`Step`, for `score explain`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scorer.facts import Message


@dataclass(frozen=True, slots=True)
class InputSpec:
    name: str
    type: str  # number | integer | percent | yes_no (1 for yes, 0 for no)
    label: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    max_ref: str | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """One step of how a score came about, for `score explain`."""

    what: str
    detail: Message
    value: Decimal | Fraction | None = None  # a roll-up's raw score is an exact fraction
