"""What a department declares beside its values: deductions with their reasons and codes, an evaluator's
override, a judgement of a graded rule, declared targets, and the checks of values against each other and the
rule's kind. Mixed into the reader (scorer/inputs/read.py), whose problems it adds to."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from scorer.errors import PathKey, did_you_mean
from scorer.escape import is_blank
from scorer.facts import Fact, Message, fact
from scorer.inputs.model import (
    Deduction,
    Judgement,
    Override,
)
from scorer.inputs.values import POINTS, ReadsValues, without_word
from scorer.kinds.base import InputSpec
from scorer.kinds.needs import deciding, needed_inputs
from scorer.kinds.registry import kind
from scorer.kinds.targets.model import Target
from scorer.rounding import fmt
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.schema import show
from scorer.sources.yaml import YamlDocument

# The roll-ups that weigh each target: each target needs its own weight (分值).
WEIGHTED = frozenset({"weighted_completion", "per_target_points"})

if TYPE_CHECKING:
    from scorer.kinds.parts import Interval


class _Grade(NamedTuple):
    name: str
    interval: Interval


def indicator_of(path: PathKey) -> tuple[str | None, PathKey]:
    if len(path) >= 2 and path[0] == "indicators":
        return str(path[1]), path[2:]
    return None, path


def _columns() -> dict[str, str | Fact]:
    """The workbook's column names its messages point to."""
    return {
        "points": fact("workbook.points"),
        "reasons": fact("form.reasons"),
        "override": fact("workbook.override"),
        "score": fact("workbook.score"),
    }


class ReadsGiven(ReadsValues):
    """The reader's methods for a department's declarations; `doc` and `rules` are the reader's."""

    doc: YamlDocument
    rules: RuleSet
    shared: dict[str, Decimal]
    shared_given: set[str]  # the names the department wrote under `shared:` and `budget:`, read or refused

    def shared_values(self, given: dict[str, Any], budget: dict[str, Decimal]) -> dict[str, Decimal]:
        """The inputs the rubric declares once (`shared:`), each checked as a row's input is, and the budget
        block's parts by the names formulas give them (`budget_total`)."""
        values = {f"budget_{part}": amount for part, amount in budget.items()}
        written = self.doc.data.get("budget")
        self.shared_given = {
            *given,
            *(f"budget_{part}" for part in (written if isinstance(written, dict) else {})),
        }
        for spec in self.rules.shared:
            if spec.name in given:
                value = self.value(("shared", spec.name), spec, given[spec.name])
                if value is not None:
                    values[spec.name] = value
        return values

    def missing_shared(self, indicator: Indicator, spec: InputSpec) -> None:
        """A row's formula reads a shared input or a budget part the department did not give: said where it
        is given (`shared:`, the budget block), naming the row that needs it."""
        if spec.name in self.shared_given:  # given, and refused as it was read: said there already
            return
        path = (
            ("budget", spec.name.removeprefix("budget_"))
            if spec.shared == "budget"
            else ("shared", spec.name)
        )
        block = "budget" if spec.shared == "budget" else "shared"
        key = "inputs.shared_missing.workbook" if self.in_workbook else "inputs.shared_missing"
        self.fail(path, fact(key, name=path[1], label=spec.label, title=indicator.title, block=block))

    @property
    def in_workbook(self) -> bool:
        """A workbook's messages speak of its columns, where a clerk fills cells rather than writing keys."""
        return self.doc.kind in ("workbook", "sheet")

    def columns(self, path: PathKey) -> dict[str, str | Fact]:
        """The columns a message points to: the clerk's workbook's, or a batch sheet row's `<indicator>.reason`."""
        if self.doc.kind != "sheet":
            return _columns()
        ident = indicator_of(path)[0]
        return {what: f"{ident}.{column}" for what, column in
                (("points", "deduction"), ("reasons", "reason"), ("override", "override"),
                                          ("score", "score"))}  # fmt: skip

    def targets(self, base: PathKey, indicator: Indicator, items: list[dict[str, Any]]) -> tuple[Target, ...]:
        if not items or indicator.targets is None:
            return ()
        from scorer.kinds.targets.read import (  # only a file that lists targets needs them
            TargetError,
            read_target,
        )

        read = []
        for index, item in enumerate(items):
            path = base + ("targets", index)
            try:
                target = read_target(item, indicator.targets.categories)
            except TargetError as exc:
                self.fail(path + (exc.field,), exc.fact)
                continue
            if indicator.targets.roll_up in WEIGHTED and not target.weight:
                self.fail(
                    path + ("weight",),
                    fact("inputs.target_needs_weight", name=target.name),
                )
                continue
            read.append(target)
        if indicator.targets.roll_up == "per_target_points" and len(read) == len(items):
            self.check_points(base, indicator, read)
        return tuple(read)

    def check_points(self, base: PathKey, indicator: Indicator, targets: list[Target]) -> None:
        """Targets that score their own points share out the row's weight exactly (权重设定值合计应等于分值)."""
        for index, target in enumerate(targets):
            if target.weight is not None and not indicator.rounding.fits(target.weight):
                score, places = fmt(target.weight), indicator.rounding.places
                self.fail(
                    base + ("targets", index, "weight"),
                    fact("inputs.override_places", score=score, places=places),
                )
                return
        given = sum((target.weight or Decimal(0) for target in targets), Decimal(0))
        if given != indicator.weight:
            self.fail(
                base + ("targets",),
                fact(
                    "inputs.target_points_sum",
                    given=fmt(given),
                    weight=fmt(indicator.weight),
                    title=indicator.title,
                ),
            )

    def judgement(self, base: PathKey, indicator: Indicator, item: dict[str, Any] | None) -> Judgement | None:
        """A graded row's pick: a declared grade, a score within its range, and a reason."""
        asked = [ask for ask in kind(indicator.scoring).asks(indicator.spec) if ask.key == "judgement"]
        if item is None or not asked:
            return None
        path = base + ("judgement",)
        grade = next((_Grade(*pair) for pair in asked[0].ranges if pair[0] == str(item["grade"])), None)
        score = self.number(path + ("score",), item["score"], percent=False)
        reason = self.reason(path, item, fact("inputs.why_graded"))
        if grade is None or score is None or reason is None:
            return None  # an unknown grade is refused by the schema, with the declared ones
        if not grade.interval.contains(Fraction(score)):
            self.fail(
                path + ("score",),
                fact("inputs.grade_range", score=f"{score:f}", grade=grade.name, range=grade.interval.text),
            )
            return None
        if not indicator.rounding.fits(score) or score > indicator.weight or score < 0:
            self.fail(
                path + ("score",),
                fact("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places),
            )
            return None
        return Judgement(grade.name, score, reason)

    def check_kinds(
        self, base: PathKey, indicator: Indicator, entry: dict[str, Any], values: dict[str, Decimal]
    ) -> None:
        """What a row of a declarative kind needs and was not given; nothing when a condition decides the row."""
        choice = str(entry.get("choice") or "")
        needed = needed_inputs(indicator, values, choice, self.rules.year)
        decided = deciding(indicator, values, self.rules.year) is not None
        where = "" if entry or self.in_workbook else fact("inputs.add_indicator", id=indicator.id)
        if indicator.on_missing == "error":  # an optional input too, where these answers need it
            for spec in indicator.inputs:
                if spec.shared and spec.name in needed and spec.name not in values:
                    self.missing_shared(indicator, spec)
                elif not spec.shared and spec.name in needed and spec.name not in entry:
                    self.fail(
                        base + (spec.name,),
                        fact(
                            "inputs.missing_input",
                            name=spec.name,
                            label=spec.label,
                            title=indicator.title,
                            where=where,
                        ),
                    )
        if decided:
            return
        the_kind = kind(indicator.scoring)
        self.check_outside(base, indicator, values, choice)
        for ask in the_kind.asks(indicator.spec):
            # a judgement is there when its key is (the schema checks its parts); a choice when it is not blank
            if ask.key not in entry if ask.blank else _absent(entry.get(ask.key)):
                self.fail(
                    base + (ask.key,),
                    fact(
                        ask.missing,
                        title=indicator.title,
                        where=where,
                        **{ask.word: ask.shown},
                    ),
                )

    def check_outside(
        self, base: PathKey, indicator: Indicator, values: dict[str, Decimal], choice: str
    ) -> None:
        """A value the kind cannot score (no band holds it) is the department's figure to check, at its own
        line."""
        names = indicator.formula_names(values, self.rules.year)
        found = kind(indicator.scoring).outside(indicator.spec, names, choice)
        if found is None:
            return
        given = found.of
        at = base + (given[0],) if len(given) == 1 else base
        figures = ", ".join(f"{name}={fmt(values[name])}" for name in given)
        self.fail(
            at,
            fact(
                "inputs.outside_bands",
                title=indicator.title,
                value=fmt(found.value),
                covered=found.covered,
                figures=figures,
            ),
        )

    def check_refs(self, base: PathKey, indicator: Indicator, values: dict[str, Decimal]) -> None:
        for spec in indicator.inputs:
            ref = spec.max_ref
            if ref and spec.name in values and ref in values and values[spec.name] > values[ref]:
                self.fail(
                    base + (spec.name,),
                    fact(
                        "inputs.exceeds",
                        label=spec.label,
                        value=f"{values[spec.name]:f}",
                        limit_label=indicator.input(ref).label,  # type: ignore[union-attr]
                        limit=f"{values[ref]:f}",
                    ),
                )

    def check_missing(
        self, base: PathKey, indicator: Indicator, entry: dict[str, Any], values: dict[str, Decimal]
    ) -> None:
        if not kind(indicator.scoring).by_formula or indicator.on_missing != "error":
            return
        for spec in indicator.inputs:
            if spec.optional or spec.name in (values if spec.shared else entry):
                continue
            if spec.shared:
                self.missing_shared(indicator, spec)
                continue
            where = "" if entry or self.in_workbook else fact("inputs.add_indicator", id=indicator.id)
            self.fail(
                base + (spec.name,),
                fact(
                    "inputs.missing_input.workbook" if self.in_workbook else "inputs.missing_input",
                    name=spec.name,
                    label=spec.label,
                    title=indicator.title,
                    where=where,
                    **self.columns(base),
                ),
            )

    def deduction(self, path: PathKey, indicator: Indicator, item: dict[str, Any]) -> Deduction | None:
        improvement = str(item.get("improvement") or "").strip()
        if "code" in item:
            if "points" in item or "reason" in item:
                self.fail(path, fact("inputs.code_and_points"))
                return None
            declared = indicator.declared(item["code"])
            if declared is None:
                codes = [d.code for d in indicator.deductions]
                known = (
                    fact("inputs.declared_codes", codes=", ".join(codes))
                    if codes
                    else fact("inputs.no_codes")
                )
                hint = did_you_mean(item["code"], codes)
                self.fail(
                    path + ("code",), fact("inputs.unknown_code", code=str(item["code"]), hint=hint or known)
                )
                return None
            return Deduction(
                declared.points, declared.reason, improvement or declared.improvement, declared.code
            )
        if "points" not in item:
            self.fail(
                path,
                fact(
                    "inputs.deduction_incomplete.workbook"
                    if self.in_workbook
                    else "inputs.deduction_incomplete",
                    **self.columns(path),
                ),
            )
            return None
        points = self.number(path + ("points",), without_word(item["points"], POINTS), percent=False)
        reason = self.reason(path, item, fact("inputs.why_deducted"))
        if points is None or reason is None:
            return None
        if points <= 0:
            self.fail(path + ("points",), fact("inputs.points_positive", value=show(item["points"])))
            return None
        if not indicator.rounding.fits(points):
            self.fail(
                path + ("points",),
                fact(
                    "inputs.points_places",
                    points=f"{points:f}",
                    title=indicator.title,
                    places=indicator.rounding.places,
                ),
            )
            return None
        return Deduction(points, reason, improvement)

    def override(self, base: PathKey, indicator: Indicator, item: dict[str, Any] | None) -> Override | None:
        if item is None:
            return None
        path = base + ("override",)
        score = self.number(path + ("score",), without_word(item["score"], POINTS), percent=False)
        reason = self.reason(path, item, fact("inputs.why_overridden"))
        if score is None or reason is None:
            return None
        if not 0 <= score <= indicator.weight:
            self.fail(
                path + ("score",),
                fact("inputs.override_range", weight=f"{indicator.weight:f}", score=f"{score:f}"),
            )
            return None
        if not indicator.rounding.fits(score):
            self.fail(
                path + ("score",),
                fact("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places),
            )
            return None
        return Override(score, item["reason"].strip(), str(item.get("improvement") or "").strip())

    def reason(self, path: PathKey, item: dict[str, Any], what: Message) -> str | None:
        reason = item.get("reason")
        if not isinstance(reason, str) or is_blank(reason):
            self.fail(
                path + ("reason",),
                fact(
                    "inputs.reason_required.workbook" if self.in_workbook else "inputs.reason_required",
                    what=what,
                    **self.columns(path),
                ),
            )
            return None
        return reason.strip()


def _absent(value: Any) -> bool:
    """Not given: left out, empty, or blank text (a score of 0 is given)."""
    return value is None or (isinstance(value, str) and is_blank(value))
