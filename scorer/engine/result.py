"""What scoring produces: plain frozen data, facts rather than prose, put into words by `scorer/render/`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import msgspec

from scorer.facts import Message
from scorer.immutable import Memo
from scorer.inputs.model import Profile
from scorer.kinds.base import Step
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import EXACT


class MetricValue(msgspec.Struct, frozen=True):
    id: str
    name: str
    value: Decimal | None  # None where it cannot be computed (a zero denominator)
    unit: str


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    id: str
    name: str
    level1: str
    level2: str
    weight: Decimal
    score: Decimal
    reasons: tuple[Message, ...]  # why points were lost: facts, and what people and rule files wrote
    improvements: tuple[str, ...]  # 改进措施, as the department or the rule file wrote them
    overridden: bool = False
    clamped: bool = False
    notes: tuple[Message, ...] = ()
    metrics: tuple[MetricValue, ...] = ()
    steps: Sequence[Step] = ()  # a tuple, or worked out when first read (scorer/engine/score.py)
    targets: tuple[TargetOutcome, ...] = ()
    name_en: str = ""
    explanation: str = ""
    explanation_en: str = ""
    exercised: tuple[str, ...] = ()  # the rule's parts that decided this score (bands, steps, items, gates …)
    shown_as: str = ""  # for a row the table prints without a name: how it is named where it stands alone
    # What a renderer works out from this result, kept with it: the engine shares the result of a row a
    # department leaves empty, so a batch words each such row once.
    derived: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def lost(self) -> Decimal:
        return EXACT.subtract(self.weight, self.score)

    @property
    def title(self) -> str:
        return self.name or self.id


class NodeResult(msgspec.Struct, frozen=True):
    """A level-1 or level-2 node of the rubric, with its subtotal."""

    name: str
    weight: Decimal
    score: Decimal
    children: tuple[NodeResult, ...] = ()
    name_en: str = ""


class GradeBand(msgspec.Struct, frozen=True):
    name: str
    label: Message
    min: Decimal
    reached: bool
    name_en: str = ""


class Result(msgspec.Struct, frozen=True):
    department: str
    year: int
    rules_year: int
    rules_title: str
    rules_digest: str
    units: int | None
    budget: dict[str, Decimal]
    total: Decimal
    max: Decimal
    grade: str
    bands: tuple[GradeBand, ...]
    levels: tuple[NodeResult, ...]
    indicators: tuple[IndicatorResult, ...] = ()
    engine_version: str = ""  # with the rules digest, names exactly what produced this result
    rules_title_en: str = ""
    # 部门基本情况 and the report's narrative, as written
    profile: Profile = msgspec.field(default_factory=Profile)
    rules_id: str = ""  # the rubric's id (rules/<id>/<year>/), where it declares one
    rules_provisional: bool = False  # its sources are not recorded yet: every output says so
    form: str = "department"  # the official table the rubric prints (its `form: layout`)
    # The project table's 预算执行 block: column (start, full_year, spent, rate) → its value, None where not given.
    form_budget: tuple[tuple[str, Decimal | None], ...] = ()
    form_budget_row: str = ""  # the row the block scores (shown there, not among the indicators)
    # Some row is known but not encoded yet, scored only by an evaluator's entry: every output says so.
    rules_partly_encoded: bool = False

    @property
    def under_earlier_year(self) -> bool:
        """Scored under an earlier year's rubric (the department's year has none): every output says so."""
        return self.rules_year != self.year

    @property
    def next_band(self) -> tuple[str, Decimal] | None:
        """The next grade up and the points it needs, or None at the top."""
        above = [b for b in self.bands if b.min > self.total]
        if not above:
            return None
        band = min(above, key=lambda b: b.min)
        return band.name, EXACT.subtract(band.min, self.total)

    def largest_losses(self, count: int = 5) -> list[IndicatorResult]:
        losing = [i for i in self.indicators if i.lost > 0]
        return sorted(losing, key=lambda i: i.lost, reverse=True)[:count]
