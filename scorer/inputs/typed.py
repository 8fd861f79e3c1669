"""The row's score as the 自评表 asks it (自评分), and what a clerk's workbook may not mean by a number.

A department judges a row scored by deductions (or a targets row with no targets listed) by typing its score: the
score below the weight is the points lost, with the 未达标原因 required. A row computed from its inputs takes no
typed score, and a formula row in a workbook no deduction either: either would be counted on top of the formula and
the row would contradict its own reason; the marked override with its reason is the way to change it. A number that reads
as the other column's (19 as a deduction on a 20-point row, 1 as a 20-point row's override) is refused at its cell
with the likely fix rather than scored as typed. Mixed into the reader (scorer/inputs/read.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scorer.errors import PathKey
from scorer.escape import is_blank
from scorer.facts import Fact, fact
from scorer.inputs.given import ReadsGiven
from scorer.inputs.model import Deduction
from scorer.inputs.values import POINTS, without_word
from scorer.kinds.registry import kind
from scorer.rules.model import Indicator


def asks_score(indicator: Indicator) -> bool:
    """A row whose 自评分 a form asks a person to type: one scored by deductions, or by targets (which a
    department that lists none judges itself)."""
    return kind(indicator.scoring).judged


def judged(indicator: Indicator, entry: dict[str, Any]) -> bool:
    """A row a person scores: by deductions, or by its targets when none are listed (the published tables)."""
    return kind(indicator.scoring).judged_row(entry)


class ReadsTyped(ReadsGiven):
    def typed_score(
        self, base: PathKey, indicator: Indicator, entry: dict[str, Any], deductions: tuple[Deduction, ...]
    ) -> tuple[Deduction, ...]:
        """The deductions the row's typed score stands for (the weight less the score, with its reason)."""
        if "score" not in entry:
            return deductions
        path = base + ("score",)
        score = self.number(path, without_word(entry["score"], POINTS), percent=False)
        if score is None:
            return deductions
        weight, words = indicator.weight, self.named_columns(base)
        if not judged(indicator, entry):
            self.fail(path, fact("inputs.score_computed", score=f"{score:f}", **words))
        elif "override" in entry:
            self.fail(path, fact("inputs.score_and_override", **words))
        elif not 0 <= score <= weight:
            self.fail(path, fact("inputs.score_range", score=f"{score:f}", weight=f"{weight:f}"))
        elif not indicator.rounding.fits(score):
            self.fail(
                path, fact("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places)
            )
        elif entry.get("deductions"):
            lost = sum((d.points for d in deductions), Decimal(0))
            if lost != weight - score:
                self.fail(
                    path,
                    fact("inputs.score_and_points", score=f"{score:f}", weight=f"{weight:f}",
                      lost=f"{weight - score:f}", points_total=f"{lost:f}", **words),
                )  # fmt: skip
        else:
            return self._lost(base, weight - score, entry)
        return deductions

    def _lost(self, base: PathKey, lost: Decimal, entry: dict[str, Any]) -> tuple[Deduction, ...]:
        reason = entry.get("reason")
        if lost == 0:
            if isinstance(reason, str) and not is_blank(reason):  # full marks with a reason for losing points
                self.fail(
                    base + ("reason",), fact("inputs.score_full_with_reason", **self.named_columns(base))
                )
            return ()
        text = self.reason(base, entry, fact("inputs.why_score"))
        return () if text is None else (Deduction(lost, text),)

    def plausible(self, base: PathKey, indicator: Indicator, entry: dict[str, Any]) -> None:
        """In a clerk's workbook: a deduction or an override that cannot mean what its column says."""
        if not self.in_workbook:  # a clerk's workbook, or a batch sheet's row
            return
        weight, words, total = indicator.weight, self.named_columns(base), Decimal(0)
        for index, item in enumerate(entry.get("deductions") or []):
            points = self._points(item)
            if points is None:
                continue
            total += points
            path = base + ("deductions", index, "points")
            values = {
                "points": f"{points:f}",
                "weight": f"{weight:f}",
                "left": f"{weight - points:f}",
                **words,
            }
            # A targets row's judgement deduction (指标值偏低) stands beside its roll-up, as the tables print it.
            if kind(indicator.scoring).by_formula:
                self.fail(path, fact("workbook.points_on_computed", **values))
            elif points > weight:
                self.fail(path, fact("workbook.points_over_weight", **values))
            elif "score" not in entry and weight < 2 * points <= 2 * weight:
                # More than half of a row lost, with no 自评分 to confirm it, reads as the row's score typed in the
                # deduction column (19 on a 20-point row); a typed 自评分 must agree with the deductions instead.
                key = "batch.points_like_score" if self.doc.kind == "sheet" else "workbook.points_like_score"
                self.fail(path, fact(key, **values))
            elif total > weight:
                self.fail(path, fact("workbook.points_add_up", total=f"{total:f}", **values))
        override = self._points(entry.get("override") or {}, "score")
        if override is not None and judged(indicator, entry) and 2 * override < weight:
            values = {"score": f"{override:f}", "weight": f"{weight:f}", "left": f"{weight - override:f}"}
            self.fail(base + ("override", "score"), fact("workbook.override_like_points", **values, **words))

    def named_columns(self, base: PathKey) -> dict[str, str | Fact]:
        """The columns a message points to, by the names its placeholders give them (`score_column`)."""
        return {f"{what}_column": name for what, name in self.columns(base).items()}

    @staticmethod
    def _points(item: Any, key: str = "points") -> Decimal | None:
        """The number in a cell as typed, when it is one (what is not is told by the deduction's own checks)."""
        value = without_word(item.get(key), POINTS) if isinstance(item, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            number = Decimal(value.strip()) if isinstance(value, str) else value
        except ArithmeticError:
            return None
        return number if isinstance(number, Decimal) and number.is_finite() else None
