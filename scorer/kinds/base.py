"""What every kind shares with the rest of the scorer: the inputs a rule asks (`InputSpec`) and the steps of
how a score came about (`Step`, for `score explain`)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from scorer.facts import Message
from scorer.frozen import Frozen


class InputSpec(Frozen):
    name: str
    type: str  # number | integer | percent | yes_no (1 for yes, 0 for no)
    label: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    max_ref: str | None = None
    optional: bool = False


class Step(Frozen):
    """One step of how a score came about, for `score explain`."""

    what: str
    detail: Message
    value: Decimal | Fraction | None = None  # a roll-up's raw score is an exact fraction
