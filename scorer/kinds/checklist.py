"""Checklists: yes/no items with their own points that sum (groups of items possibly nested); each missed item
loses its points with its own reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import fact, said
from scorer.kinds.base import InputSpec, Step
from scorer.kinds.context import Declarative, Row
from scorer.kinds.parts import Item, Reader
from scorer.kinds.specs import Path, Texts, where
from scorer.rounding import fmt

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class CheckItem:
    id: str  # a leaf's id is also the name of its yes/no answer in the inputs
    text: str
    points: Decimal
    reason: Texts
    path: Path
    items: tuple[CheckItem, ...] = ()

    def leaves(self) -> tuple[CheckItem, ...]:
        return (self,) if not self.items else tuple(leaf for item in self.items for leaf in item.leaves())


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[CheckItem, ...]
    path: Path
    kind: str = "checklist"

    def leaves(self) -> tuple[CheckItem, ...]:
        return tuple(leaf for item in self.items for leaf in item.leaves())

    def all_items(self) -> tuple[CheckItem, ...]:
        out: list[CheckItem] = []

        def walk(items: tuple[CheckItem, ...]) -> None:
            for item in items:
                out.append(item)
                walk(item.items)

        walk(self.items)
        return tuple(out)


def score(row: Row, spec: Checklist) -> Decimal:
    reasons = []
    raw = Fraction(0)

    def walk(items: tuple[CheckItem, ...]) -> bool:
        """Score the items; True when every one is met."""
        nonlocal raw
        every = True
        for item in items:
            if item.items:
                met = walk(item.items)
            else:
                met = bool(row.names[item.id])
                if met:
                    raw += Fraction(item.points)
                row.steps.append(
                    Step(
                        "check",
                        fact(
                            "step.check_met" if met else "step.check_missed",
                            text=said(item.text),
                            points=item.points,
                        ),
                        raw,
                    )  # fmt: skip
                )
                if not met:
                    default = fact("reason.check_missed", text=said(item.text), points=item.points)
                    reasons.append(row.text(item.reason, {"points": item.points}, default))
            if not met:
                row.exercised.append(where(item.path))
            every = every and met
        return every

    walk(spec.items)
    result = row.finish(raw)
    row.reasons.extend(reasons)
    return result


class ChecklistKind(Declarative[Checklist]):
    name = "checklist"
    placeholders = frozenset({"points"})

    def read(self, data: list[dict[str, Any]], path: Path, at: Reader) -> Checklist:
        return Checklist(self._items(data, path, at), path)

    def _items(self, data: list[dict[str, Any]], path: Path, at: Reader) -> tuple[CheckItem, ...]:
        items = []
        for i, item in enumerate(data):
            children = self._items(item.get("items") or [], path + (i, "items"), at)
            if not children:
                at.add(InputSpec(item["id"], "yes_no", item["text"]))
            reason = at.texts(item.get("reason"), path + (i, "reason"), self.placeholders)
            items.append(
                CheckItem(item["id"], item["text"], Decimal(item["points"]), reason, path + (i,), children)
            )
        return tuple(items)

    def lint(self, spec: Checklist, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.kinds.lint_tools import checklist_lint

        return checklist_lint(rule, spec)

    def reads(self, spec: Checklist) -> frozenset[str]:
        return frozenset(leaf.id for leaf in spec.leaves())

    def stated(self, spec: Checklist, rule: Any, reason: str) -> dict[str, Decimal] | None:
        from scorer.kinds.stated import defaults, first, templates

        answers: dict[str, Decimal] = {}
        for leaf in spec.leaves():
            fixed = {"text": leaf.text, "points": fmt(leaf.points)}
            wording = templates(leaf.reason, {"points": fmt(leaf.points)}) or defaults(
                "reason.check_missed", fixed, set()
            )
            answers[leaf.id] = Decimal(0) if first(wording, reason) is not None else Decimal(1)
        return answers

    def scored(self, spec: Checklist, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Checklist, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        return frozenset(leaf.id for leaf in spec.leaves())

    def items(self, spec: Checklist, ident: str) -> Iterator[Item]:
        for item in spec.all_items():
            place = where(item.path)
            yield Item(place, fact("cases.item.check", id=ident, where=place))

    def parts(self, spec: Checklist) -> Iterator[tuple[str, str]]:
        for check in spec.all_items():
            yield where(check.path), f"{check.id} ({check.text}): {fmt(check.points)}"


KIND = ChecklistKind()
