"""The table's sums, audited: the weights of its levels, each 小计, the total and the ticked grade. Mixed into
the auditor (scorer/audit/check.py), whose findings it adds to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scorer.audit.model import SubmittedTable, TableRow
from scorer.facts import Fact, fact
from scorer.numbers import total
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.grid import Where

_TICKS = set("√✓✔☑■▣●☒xX")


@dataclass(frozen=True)
class Match:
    row: TableRow
    indicator: Indicator | None


class ChecksTotals:
    """The auditor's checks of what the table adds up; `table`, `rules` and `say` are the auditor's."""

    table: SubmittedTable
    rules: RuleSet

    def say(
        self,
        where: Where | None,
        message: Fact,
        indicator: Indicator | None = None,
        what: Fact | None = None,
        note: bool = False,
    ) -> None:
        raise NotImplementedError  # the auditor's: gathers the finding at its place

    def check_levels(self, row: TableRow) -> None:
        weights = {level.name: level.weight for level in self.rules.levels}
        for level in self.rules.levels:
            weights.update(dict(level.children))
        for printed in row.levels:
            rule = weights.get(printed.name)
            if printed.weight is not None and rule is not None and printed.weight != rule:
                self.say(
                    printed.where,
                    fact("audit.level_weight", name=printed.name, printed=printed.weight, rule=rule),
                    what=fact("form.weight"),
                )

    def check_subtotals(self, matches: list[Match]) -> None:
        for subtotal in self.table.subtotals:
            above = [m for m in matches[: subtotal.after] if m.indicator is not None]
            level = subtotal.level or (above[-1].indicator.level2 if above and above[-1].indicator else "")
            if not level:
                continue
            rows = [
                m.row.score
                for m in matches
                if m.indicator is not None
                and m.row.score is not None
                and level in (m.indicator.level1, m.indicator.level2)
            ]
            added = total(rows)
            if added != subtotal.score:
                self.say(
                    subtotal.where, fact("audit.subtotal", level=level, printed=subtotal.score, sum=added)
                )

    def added_up(self) -> Decimal:
        return total(row.score for row in self.table.rows if row.score is not None)

    def check_total(self) -> None:
        table = self.table
        label = fact("form.total")
        if table.total_max is not None and table.total_max != self.rules.total:
            self.say(
                table.total_at, fact("audit.max", printed=table.total_max, rule=self.rules.total), what=label
            )
        if table.total is None:  # a doubt where it stands, or the table was refused as read in part
            return
        added = self.added_up()
        if added != table.total:
            self.say(table.total_at, fact("audit.total", printed=table.total, sum=added), what=label)

    def check_grade(self) -> None:
        table = self.table
        label = fact("form.grade_label")
        if not self.rules.grades:  # a rubric without grades: no grade to tick
            return
        if table.grade_line is None:
            self.say(table.total_at or table.header_at, fact("audit.no_grade"), what=label, note=True)
            return
        ticked = self.ticked(table.grade_line)
        basis = table.total if table.total is not None else self.added_up()
        expected = self.rules.grade_of(basis).name
        if not ticked:
            self.say(table.grade_at, fact("audit.grade_unticked", expected=expected), what=label, note=True)
        elif len(ticked) > 1:
            self.say(table.grade_at, fact("audit.grade_many", ticked="、".join(ticked)), what=label)
        elif ticked[0] != expected:
            self.say(
                table.grade_at,
                fact("audit.grade", ticked=ticked[0], expected=expected, total=basis),
                what=label,
            )

    def ticked(self, line: str) -> list[str]:
        return ticked_grades(line, self.rules)


def ticked_grades(line: str, rules: RuleSet) -> list[str]:
    """The grades a 评价等级 line ticks (☑优 □良 …), in the rules' names (an English name read as its own)."""
    names: list[str] = []
    for grade in rules.grades:
        for written in (grade.name, rules.english.get(grade.name, "")):
            start = line.find(written) if written else -1
            while start >= 0:
                before = line[:start].rstrip()
                if before and before[-1] in _TICKS and grade.name not in names:
                    names.append(grade.name)
                start = line.find(written, start + 1)
    return names
