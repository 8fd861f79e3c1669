"""The rule set: a year's rubric as frozen data, its formulas and reason templates compiled once. Immutable and
hashable all the way down (tuples and read-only mappings): a rule set can be a dictionary's key."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

import msgspec

from scorer.errors import LineMap
from scorer.facts import Fact, Template, fact
from scorer.formula.evaluate import Formula
from scorer.immutable import FrozenMap, Memo
from scorer.kinds.base import InputSpec
from scorer.kinds.specs import KindRules
from scorer.kinds.targets.model import TargetsSpec
from scorer.rounding import Rounding


class Metric(msgspec.Struct, frozen=True):
    """An evidence ratio shown beside the score, never scored (e.g. 结转结余率)."""

    id: str
    name: str
    formula: Formula
    unit: str
    places: int


class Form(msgspec.Struct, frozen=True):
    """The official table a rubric prints (`form:` in rubric.yaml): its layout, and for a project's 自评表 the
    row whose inputs and metrics fill the 预算执行 block (年初预算数, 全年预算数, 全年执行数, 执行率)."""

    layout: str = "department"  # the 部门整体 table; "project": the 项目支出绩效自评表
    budget_row: str = ""
    budget: Mapping[str, str] = msgspec.field(default_factory=FrozenMap)  # column → the row's input or metric


class Check(msgspec.Struct, frozen=True):
    """A check across a department's figures (`checks:` in rubric.yaml): a condition that must hold, in the
    formula language over the rubric's inputs and the budget block (scorer/rules/across.py), and what is wrong
    when it does not, in the languages the file gives."""

    id: str
    holds: str
    message: Mapping[str, str]  # language → text
    index: int  # its place under `checks:`, for its lines


class DeclaredDeduction(msgspec.Struct, frozen=True):
    code: str
    points: Decimal
    reason: str
    improvement: str = ""


# A Struct with a `__dict__` for what is worked out from its fields once (cached_property, never pickled);
# equal and hashed by its rule alone: the file it was read from (`path`, `lines`, `keys`) is not compared.
class Indicator(msgspec.Struct, frozen=True, dict=True, eq=False):
    id: str
    name: str
    level1: str
    level2: str
    weight: Decimal
    explanation: str
    scoring: str  # formula | deductions | targets | one of the kinds in scorer/kinds/specs.py
    inputs: tuple[InputSpec, ...]
    formula: Formula | None
    rounding: Rounding
    on_missing: str
    reason_templates: Mapping[str, Template]  # by language; "zh" is the rule file's own (a plain string)
    metrics: tuple[Metric, ...]
    deductions: tuple[DeclaredDeduction, ...]
    targets: TargetsSpec | None
    provenance: Mapping[str, Any]  # read-only all the way down (scorer/immutable.py: freeze)
    path: str
    lines: LineMap
    keys: frozenset[str] = frozenset()  # as written in the file
    name_en: str = ""  # an English name, where the rule file gives one (an unofficial translation)
    explanation_en: str = ""
    kinds: KindRules = msgspec.field(
        default_factory=KindRules
    )  # the declarative kinds, gates and not-applicable rules
    # For a row the table prints without a name (a second line of the row above): that row's name.
    continues: str = ""

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _COMPARED)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Indicator:
            return NotImplemented
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    # Worked out once, for the engine (the fields never change).
    @cached_property
    def formula_inputs(self) -> tuple[str, ...]:
        """The inputs the formula reads, sorted."""
        read = self.formula.names if self.formula is not None else frozenset()
        return tuple(sorted(read & {spec.name for spec in self.inputs}))

    @cached_property
    def reason_names(self) -> tuple[str, ...]:
        """The placeholders the reason templates use, in any language, sorted (a reason's values keep this
        order, the same in every process)."""
        names = frozenset().union(*(template.names for template in self.reason_templates.values()))
        return tuple(sorted(names))

    @cached_property
    def exact_weight(self) -> Fraction:
        return Fraction(self.weight)

    @property
    def reason(self) -> Template | None:
        """The reason template in the rule file's own language."""
        return self.reason_templates.get("zh") or next(iter(self.reason_templates.values()), None)

    @property
    def title(self) -> str:
        """The name to show where a row stands alone. A row the table prints without a name is the second line of
        the row above it, and is shown as such ("采购意向公开合规性（续）"); the form itself keeps it blank."""
        if self.name:
            return self.name
        return f"{self.continues}（续）" if self.continues else self.id

    @property
    def spec(self) -> object:
        """What the row's kind scores by: its declared spec (scorer/kinds/specs.py); for the 2022 kinds
        (formula, deductions, targets), whose parts are the indicator's own fields, the indicator."""
        return self if self.kinds.spec is None else self.kinds.spec

    def input(self, name: str) -> InputSpec | None:
        return next((spec for spec in self.inputs if spec.name == name), None)

    def formula_names(self, values: Mapping[str, Decimal], year: int) -> dict[str, Decimal]:
        """What this row's formulas and conditions read: the inputs given, its weight and the year."""
        return {**values, "weight": self.weight, "year": Decimal(year)}

    def declared(self, code: str) -> DeclaredDeduction | None:
        return next((d for d in self.deductions if d.code == code), None)


# An indicator's fields that say what it scores (not where its file is).
_COMPARED = tuple(
    f.name for f in msgspec.structs.fields(Indicator) if f.name not in ("path", "lines", "keys")
)


class Level(msgspec.Struct, frozen=True):
    name: str
    weight: Decimal
    children: tuple[tuple[str, Decimal], ...]


class Grade(msgspec.Struct, frozen=True):
    name: str
    min: Decimal
    max: Decimal

    def label(self, top: bool) -> Fact:
        """The band as the form prints it: 90分≤得分≤100分 (the top band includes its max)."""
        if self.min <= 0:
            return fact("grade.band_bottom", max=self.max)
        return fact("grade.band_top" if top else "grade.band", min=self.min, max=self.max)


class RowOrigin(msgspec.Struct, frozen=True):
    """Where a row of a rubric that extends another, or uses a shared row, comes from: the rubric (`id/year`)
    or shared file (`_shared/<name>`) that states it ("" for this rubric's own), its id there, and the change
    that took or altered it (its file and line; none for a row taken as it is)."""

    source: str
    row: str
    change_path: str = ""
    change_line: int | str | None = None
    reweighted: bool = False  # the change set its weight

    @property
    def change(self) -> str:
        return f"{self.change_path}:{self.change_line}" if self.change_path else ""


# A Struct with a `__dict__` for `derived`; equal and hashed by its rules, not by where its year file is.
class RuleSet(msgspec.Struct, frozen=True, dict=True, eq=False):
    year: int
    title: str
    total: Decimal
    rounding: Rounding
    levels: tuple[Level, ...]
    grades: tuple[Grade, ...]
    indicators: tuple[Indicator, ...]
    provenance: Mapping[str, Any]  # read-only all the way down
    folder: str
    digest: str
    listed: tuple[str, ...]  # the ids as the year file lists them, to check against the files
    rubric_path: str
    rubric_lines: LineMap
    title_en: str = ""
    english: Mapping[str, str] = msgspec.field(default_factory=FrozenMap)  # level, grade names → English
    # The rubric's identity (rules/<id>/<year>/): empty for a rules folder written before rubrics had ids.
    id: str = ""
    region: str = ""
    family: str = ""
    status: str = "released"  # or "provisional": marked in every output until its sources are recorded
    extends: str = ""  # the rubric (`id/year`) this one changes
    # Row id → where it comes from, when not here.
    origins: Mapping[str, RowOrigin] = msgspec.field(default_factory=FrozenMap)
    # Whether a department of a later year with no rubric of its own may be scored under this one (marked in
    # every output): when the rules were named (`--rules`), not when a batch took the latest year by default.
    later_years: bool = True
    form: Form = msgspec.field(default_factory=Form)
    checks: tuple[Check, ...] = ()  # conditions across the department's figures
    shared: tuple[InputSpec, ...] = ()  # inputs declared once for several rows (`inputs:` in rubric.yaml)

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _RULES_COMPARED)

    def __eq__(self, other: object) -> bool:
        if type(other) is not RuleSet:
            return NotImplemented
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    # What is worked out from the rule set alone (the engine's plan, the inputs schema and its validator, the
    # rows a department leaves empty), each once, kept with the rule set: not part of its value. Not a field, so
    # a rule set made from another by `replace` (its origins, its digest) starts with nothing derived, and a
    # pickled one (a batch's workers) with nothing either.
    @cached_property
    def derived(self) -> Memo:
        return Memo()

    @property
    def name(self) -> str:
        """`id/year`, or the year alone for a rubric without an id."""
        return f"{self.id}/{self.year}" if self.id else str(self.year)

    @property
    def provisional(self) -> bool:
        """Marked provisional, or with no source recorded: every output says so."""
        return self.status == "provisional" or not self.provenance.get("source")

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def grade_of(self, total: Decimal) -> Grade:
        for grade in sorted(self.grades, key=lambda g: g.min, reverse=True):
            if total >= grade.min:
                return grade
        return min(self.grades, key=lambda g: g.min)


# A rule set's fields that say what it scores (not where its year file is).
_RULES_COMPARED = tuple(
    f.name for f in msgspec.structs.fields(RuleSet) if f.name not in ("rubric_path", "rubric_lines")
)
