"""Auditing a submitted 自评表 (复核): recompute what can be recomputed from what the table itself states, and
say each thing that does not add up, at its row. Pure: a table read and a rule set in, an `Audit` out.

What is checked: each row against its indicator (matched by name, by explanation where the name is left out,
else by its place); weights against the rules; a score within [0, weight], with a reason where points were
lost, agreeing with the deduction and the score its reason states; a formula row's score recomputed from the
facts its reason states, with the rule's formula and rounding (a score another rounding gives is a rounding
slip); 小计 rows, the total and the ticked grade. The inputs the table states are gathered into a department
and scored under the rules, so that a bureau can re-score the table (`--to-inputs`).
"""

from __future__ import annotations

import difflib
import unicodedata
from decimal import Decimal

from scorer.audit.facts import stated_deduction, stated_values
from scorer.audit.model import Audit, Finding, SubmittedTable, TableRow
from scorer.audit.reading import refuse_if_read_in_part
from scorer.audit.totals import ChecksTotals, Match
from scorer.engine.errors import EngineError, RuleRuntimeError
from scorer.engine.score import score, score_indicator
from scorer.errors import Location
from scorer.facts import Fact, fact, said
from scorer.i18n import t
from scorer.inputs.model import Deduction, Department, IndicatorInputs, Override
from scorer.kinds.registry import kind
from scorer.kinds.stated import kind_inputs, scored_by_kind
from scorer.numbers import EXACT
from scorer.rounding import ROUNDING_MODES, Rounding, fmt
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.grid import Doubt, Where


def audit(table: SubmittedTable, rules: RuleSet, lang: str | None = None) -> Audit:
    """The table audited; `lang`: the language of the reasons it restates for rows that give none (default:
    the current one)."""
    return _Auditor(table, rules, lang).run()


class _Auditor(ChecksTotals):
    def __init__(self, table: SubmittedTable, rules: RuleSet, lang: str | None = None):
        self.table = table
        self.rules = rules
        self.lang = lang
        self.year = table.year or rules.year
        self.findings: list[Finding] = []
        self.recovered: dict[str, IndicatorInputs] = {}

    # ---- findings ----

    def say(
        self,
        where: Where | None,
        message: Fact,
        indicator: Indicator | None = None,
        what: Fact | None = None,
        note: bool = False,
    ) -> None:
        location = Location(self.table.path, where, indicator.title if indicator else None, what or None)
        self.findings.append(Finding(location, message, "note" if note else "error"))

    def doubt(self, doubt: Doubt, indicator: Indicator | None = None) -> None:
        """A cell that could not be read as shown: a fault where it stands."""
        what = fact(doubt.field) if doubt.field else None
        self.say(doubt.where, fact(doubt.why, text=said(doubt.text)), indicator, what)

    # ---- the whole table ----

    def run(self) -> Audit:
        matches = self.match()
        refuse_if_read_in_part(self.table, self.rules, [(m.row, m.indicator) for m in matches])
        for doubt in self.table.doubts:
            self.doubt(doubt)
        for match in matches:
            for doubt in match.row.doubts:
                self.doubt(doubt, match.indicator)
            self.check_levels(match.row)
            if match.indicator is not None:
                self.check_row(match.row, match.indicator)
        self.check_subtotals(matches)
        self.check_total()
        self.check_grade()
        department = Department(
            name=self.table.department,
            year=self.year,
            units=self.table.units,
            budget=dict(self.table.budget),
            indicators=dict(self.recovered),
            path=self.table.path,
            profile=self.table.profile,
        )
        rescored_total, rescored_grade = self.rescore(department)
        return Audit(
            table=self.table,
            rules_year=self.rules.year,
            rules_digest=self.rules.digest,
            rules_name=self.rules.name,
            rules_provisional=self.rules.provisional,
            findings=tuple(
                sorted(self.findings, key=lambda f: f.severity != "error")
            ),  # faults first, in order
            recovered=department,
            rescored_total=rescored_total,
            rescored_grade=rescored_grade,
            matched={m.indicator.id: m.row.where for m in matches if m.indicator is not None},
        )

    def rescore(self, department: Department) -> tuple[Decimal | None, str | None]:
        try:
            result = score(self.rules, department)
        except (RuleRuntimeError, EngineError):
            return None, None
        return result.total, result.grade

    # ---- which row is which indicator ----

    def match(self) -> list[Match]:
        by_id = {i.id: i for i in self.rules.indicators}
        order = [i.id for i in self.rules.indicators]
        taken: dict[str, TableRow] = {}
        matches: list[Match] = []
        previous: str | None = None
        for row in self.table.rows:
            found = by_id.get(row.identified) if row.identified else None
            if found is None and row.name:
                found = self.similar(row.name, taken)
            if found is None and not row.name:
                found = self.next_unnamed(order, previous, taken, row)
            if found is None:
                self.unmatched(row)
                matches.append(Match(row, None))
                continue
            if found.id in taken:
                first = taken[found.id].where
                self.say(row.where, fact("audit.row_twice", name=found.title, first=first), found)
                matches.append(Match(row, None))
                continue
            taken[found.id] = row
            previous = found.id
            if row.name and _plain(row.name) not in {_plain(found.name), _plain(found.name_en)}:
                self.say(
                    row.at("name"),
                    fact("audit.row_named", name=said(row.name), rule=found.title),
                    found,
                    note=True,
                )
            matches.append(Match(row, found))
        for indicator in self.rules.indicators:
            if indicator.id not in taken:
                self.say(self.table.header_at, fact("audit.row_missing", name=indicator.title), indicator)
        return matches

    def similar(self, name: str, taken: dict[str, TableRow]) -> Indicator | None:
        """A name written a little differently (采购内部控制制度建设 for 采购内控制度建设): the closest free
        indicator name, when it is close and no other is as close."""
        wanted = _plain(name)
        scored = []
        for indicator in self.rules.indicators:
            if indicator.id in taken:
                continue
            for known in (indicator.name, indicator.name_en):
                if known:
                    ratio = difflib.SequenceMatcher(None, wanted, _plain(known)).ratio()
                    scored.append((ratio, indicator))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        if scored and scored[0][0] >= 0.75 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
        return None

    def next_unnamed(
        self, order: list[str], previous: str | None, taken: dict[str, TableRow], row: TableRow
    ) -> Indicator | None:
        """A row without a name or explanation is the next indicator of the rules after the row above it."""
        start = order.index(previous) + 1 if previous in order else 0
        for indicator_id in order[start:]:
            if indicator_id in taken:
                continue
            indicator = self.rules.indicator(indicator_id)
            if indicator is not None and (row.weight is None or row.weight == indicator.weight):
                return indicator
            return None
        return None

    def unmatched(self, row: TableRow) -> None:
        names = [i.name for i in self.rules.indicators if i.name]
        if row.name:
            close = difflib.get_close_matches(row.name, names, n=1, cutoff=0.5) if len(row.name) < 100 else []
            hint = fact("hint.did_you_mean", word=close[0]) if close else None
            self.say(row.at("name"), fact("audit.row_unknown", name=said(row.name), hint=hint))
        else:
            self.say(row.where, fact("audit.row_unnamed"))

    # ---- one row ----

    def check_row(self, row: TableRow, indicator: Indicator) -> None:
        weight = indicator.weight
        if row.weight is not None and row.weight != weight:
            self.say(
                row.at("weight"),
                fact("audit.weight", printed=row.weight, rule=weight),
                indicator,
                fact("form.weight"),
            )
        claimed = row.score
        if claimed is None:
            if not any(doubt.field == "xlsx.score" for doubt in row.doubts):  # else said where it stands
                self.say(row.at("score"), fact("audit.score_missing"), indicator, fact("xlsx.score"))
            return
        where = row.at("score")
        if claimed < 0 or claimed > weight:
            self.say(
                where, fact("audit.score_range", score=claimed, weight=weight), indicator, fact("xlsx.score")
            )
        lost = EXACT.subtract(weight, claimed)
        if lost > 0 and not row.reason:
            self.say(where, fact("audit.no_reason", lost=lost), indicator, fact("form.reasons"))
        facts = stated_values(indicator, row.reason) if row.reason else {}
        stated = facts.pop("score", None)
        deducted = stated_deduction(row.reason) if row.reason else None
        by_formula = kind(indicator.scoring).by_formula
        if by_formula and stated is not None and stated != claimed:
            self.say(
                row.at("reason"),
                fact("audit.score_stated", stated=stated, score=claimed),
                indicator,
                fact("form.reasons"),
            )
        elif scored_by_kind(indicator):
            self.check_kind(row, indicator, claimed)
            return
        elif not by_formula and deducted is not None and claimed <= weight:
            # A row scored by deductions loses what its reason deducts; a row scored by its targets first
            # states what the targets gave ("按平均完成率…得19.92分"), and loses the deductions from that.
            start = stated if stated is not None else weight
            if EXACT.subtract(start, deducted) != claimed:
                self.say(
                    row.at("reason"),
                    fact("audit.deduction_stated", stated=deducted, lost=EXACT.subtract(start, claimed)),
                    indicator,
                    fact("form.reasons"),
                )
        if by_formula:
            self.check_formula(row, indicator, facts, claimed)
        else:
            self.recover_deduction(row, indicator, claimed)

    def check_kind(self, row: TableRow, indicator: Indicator, claimed: Decimal) -> None:
        """A row scored by a declarative kind: its inputs read back with the kind's own reason texts and the
        row scored through the engine from them; the score kept as stated where they cannot be read."""
        facts = kind_inputs(indicator, row.reason)
        if facts is None or self.implausible(indicator, facts):
            self.keep(row, indicator, claimed)
            return
        try:
            result = score_indicator(indicator, IndicatorInputs(values=facts), self.year)
        except (RuleRuntimeError, EngineError):
            self.keep(row, indicator, claimed)
            return
        self.recovered[indicator.id] = IndicatorInputs(values=facts, improvement=row.improvement)
        if result.score != claimed:
            shown = _facts_text(indicator, facts)
            self.say(
                row.at("score"),
                fact("audit.kind", score=claimed, expected=result.score, facts=shown),
                indicator,
                fact("xlsx.score"),
            )

    def check_formula(
        self, row: TableRow, indicator: Indicator, facts: dict[str, Decimal], claimed: Decimal
    ) -> None:
        where = row.at("score")
        needed = [spec for spec in indicator.inputs if not spec.optional]
        if not facts or any(spec.name not in facts for spec in needed):
            if claimed < indicator.weight:  # a score the audit cannot recompute, it cannot vouch for
                needs = "、".join(f"{spec.label}" for spec in needed if spec.name not in facts)
                said_facts = fact("audit.not_recomputed", score=claimed, needs=needs)
                self.say(where, said_facts, indicator, fact("form.reasons"))
            self.keep(row, indicator, claimed)
            return
        wrong = self.implausible(indicator, facts)
        if wrong:
            self.say(row.at("reason"), fact("audit.fact_range", facts=wrong), indicator, fact("form.reasons"))
            self.keep(row, indicator, claimed)
            return
        try:
            result = score_indicator(indicator, IndicatorInputs(values=facts), self.year)
        except (RuleRuntimeError, EngineError) as exc:
            self.say(where, fact("audit.cannot_compute", why=exc.fact), indicator, fact("xlsx.score"))
            self.keep(row, indicator, claimed)
            return
        self.recovered[indicator.id] = IndicatorInputs(values=facts, improvement=row.improvement)
        expected = result.score
        if expected == claimed:
            return
        shown = _facts_text(indicator, facts)
        raw = next((s.value for s in result.steps if s.what == "formula"), None)
        if raw is not None:
            exact = min(max(raw, 0), indicator.weight)
            for mode in ROUNDING_MODES:
                if (
                    mode != indicator.rounding.mode
                    and Rounding(indicator.rounding.places, mode).apply(exact) == claimed
                ):
                    self.say(
                        where,
                        fact(
                            "audit.rounding_slip",
                            score=claimed,
                            expected=expected,
                            mode=fact(f"rounding.{indicator.rounding.mode}"),
                            facts=shown,
                        ),
                        indicator,
                        fact("xlsx.score"),
                    )
                    return
        self.say(
            where,
            fact("audit.formula", score=claimed, expected=expected, facts=shown),
            indicator,
            fact("xlsx.score"),
        )

    def implausible(self, indicator: Indicator, facts: dict[str, Decimal]) -> str:
        """The stated facts the rule's inputs cannot take (a rate above 100%, 12 of 11 contracts), or ''."""
        wrong = []
        for spec in indicator.inputs:
            value = facts.get(spec.name)
            if value is None:
                continue
            bound = facts.get(spec.max_ref) if spec.max_ref else None
            if (
                (spec.min is not None and value < spec.min)
                or (spec.max is not None and value > spec.max)
                or (bound is not None and value > bound)
                or (spec.type == "integer" and value != int(value))
            ):
                wrong.append(f"{spec.label} {fmt(value)}{spec.unit}")
        return "、".join(wrong)

    def keep(self, row: TableRow, indicator: Indicator, claimed: Decimal) -> None:
        """A formula row whose facts cannot be read: its score is kept as an override, with its reason."""
        if not 0 <= claimed <= indicator.weight or not indicator.rounding.fits(claimed):
            return
        reason = row.reason or t("audit.kept_reason", self.lang)
        self.recovered[indicator.id] = IndicatorInputs(override=Override(claimed, reason, row.improvement))

    def recover_deduction(self, row: TableRow, indicator: Indicator, claimed: Decimal) -> None:
        lost = EXACT.subtract(indicator.weight, min(max(claimed, Decimal(0)), indicator.weight))
        if lost > 0 and indicator.rounding.fits(lost):
            reason = row.reason or t("audit.no_reason_given", self.lang)
            deduction = Deduction(lost, reason, row.improvement)
            self.recovered[indicator.id] = IndicatorInputs(deductions=(deduction,))
        elif row.improvement:
            self.recovered[indicator.id] = IndicatorInputs(improvement=row.improvement)

    # ---- subtotals, total, grade ----


def _facts_text(indicator: Indicator, facts: dict[str, Decimal]) -> str:
    return "、".join(
        f"{spec.label} {fmt(facts[spec.name])}{spec.unit}" for spec in indicator.inputs if spec.name in facts
    )


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()
