"""Categorical: the row's points are those of the one declared category that applies (达成 / 部分达成 / 未达成),
picked by the department (`choice:`) or by the first category whose condition holds; each category has its
points (a number or a formula over the weight and the inputs) and its own reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scorer.facts import Fact, fact, said
from scorer.i18n import t
from scorer.kinds.base import FORMULA_NAMES, InputSpec, Step, fixed_names
from scorer.kinds.context import Declarative, KindError, Row, evaluate
from scorer.kinds.needs import decide_on
from scorer.kinds.parts import Ask, Item, Reader
from scorer.kinds.specs import Path, Texts, where
from scorer.rounding import Exact

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.formula.evaluate import Formula
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    points: Formula
    when: Formula | None  # by condition: applies when true; the first that applies scores the row
    reason: Texts
    path: Path


@dataclass(frozen=True, slots=True)
class Categorical:
    choose: str  # by_department | by_condition
    categories: tuple[Category, ...]
    path: Path
    kind: str = "categorical"

    def category(self, ident: str) -> Category | None:
        return next((c for c in self.categories if c.id == ident), None)


def pick(spec: Categorical, names: Mapping[str, Decimal], choice: str) -> tuple[Category | None, set[str]]:
    """The category that scores the row, and the names deciding it needs that were not given."""
    if spec.choose == "by_department":
        return (spec.category(choice) if choice else None), set()
    for category in spec.categories:
        if category.when is None:
            return category, set()
        holds, reads = decide_on(category.when, names)
        if reads:
            return None, reads
        if holds:
            return category, set()
    return None, set()


def score(row: Row, spec: Categorical) -> Decimal:
    category, _ = pick(spec, row.names, row.inputs.choice)
    if category is None:
        raise KindError(spec.path + ("categories",), fact("kinds.no_category"))
    points = evaluate(row, category.points, category.path + ("points",))
    row.exercised.append(where(category.path))
    row.notes.append(fact("note.category", name=said(category.name)))
    row.steps.append(
        Step("category", fact("step.category", id=category.id, name=said(category.name)), points)
    )
    result = row.finish(points)
    if result < row.weight:
        extra: dict[str, Exact | str] = {
            "category": category.name,
            "points": result,
            "lost": row.lost(result),
        }
        default = fact("reason.categorical", category=said(category.name), points=result)
        row.reasons.append(row.text(category.reason, extra, default))
    return result


class CategoricalKind(Declarative[Categorical]):
    name = "categorical"
    placeholders = frozenset({"category", "points", "lost"})

    def read(self, data: dict[str, Any], path: Path, at: Reader) -> Categorical:
        categories = []
        for i, item in enumerate(data["categories"]):
            here = path + ("categories", i)
            categories.append(
                Category(
                    item["id"],
                    item["name"],
                    at.formula(str(item["points"]), here + ("points",)),
                    at.formula(item["when"], here + ("when",)) if "when" in item else None,
                    at.texts(item.get("reason"), here + ("reason",), self.placeholders),
                    here,
                )
            )
        return Categorical(data["choose"], tuple(categories), path)

    def lint(self, spec: Categorical, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.lint_tools import at, reachable

        if spec.choose == "by_condition":
            options = [(c.when, c.path) for c in spec.categories]
            yield from reachable(rule, options, "lint.category_never", year, spec.path)
        seen: set[str] = set()
        for category in spec.categories:
            if category.id in seen:
                yield Problem(at(rule, category.path + ("id",)), fact("lint.category_twice", id=category.id))
            seen.add(category.id)
            if spec.choose == "by_department" and category.when is not None:
                yield Problem(
                    at(rule, category.path + ("when",)), fact("lint.option_when_ignored"), severity="warning"
                )
            yield from _points_within(rule, category, year)

    def formulas(self, spec: Categorical) -> Iterator[tuple[Formula, Path]]:
        for category in spec.categories:
            yield category.points, category.path + ("points",)

    def conditions(self, spec: Categorical) -> Iterator[Formula]:
        return (c.when for c in spec.categories if c.when is not None)

    def reads(self, spec: Categorical) -> frozenset[str]:
        names: set[str] = set()
        for category in spec.categories:
            names |= category.points.names | (category.when.names if category.when else set())
        return frozenset(names - FORMULA_NAMES)

    def scored(self, spec: Categorical, row: Row) -> Decimal:
        return score(row, spec)

    def needs(self, spec: Categorical, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        category, needed = pick(spec, names, choice)
        if category is None:
            return frozenset(needed - FORMULA_NAMES)
        return frozenset((needed | category.points.names) - FORMULA_NAMES)

    def items(self, spec: Categorical, ident: str) -> Iterator[Item]:
        for category in spec.categories:
            place = where(category.path)
            yield Item(place, fact("cases.item.category", id=ident, where=place, name=said(category.name)))

    def parts(self, spec: Categorical) -> Iterator[tuple[str, str]]:
        for category in spec.categories:
            when = category.when.source if category.when else spec.choose
            yield where(category.path), f"{category.id} ({category.name}) {when}: {category.points.source}"

    def asks(self, spec: Categorical) -> Iterator[Ask]:
        if spec.choose == "by_department":
            ids = tuple(c.id for c in spec.categories)
            yield Ask(
                "choice",
                "choice",
                ids,
                "categories",
                _shown(spec),
                "inputs.category_missing",
                "scaffold.category",
            )

    def rows(self, spec: Categorical, weight: Decimal, lang: str) -> list[InputSpec]:
        if spec.choose != "by_department":
            return []
        return [InputSpec("choice", "choice", t("scaffold.category", lang, categories=_shown(spec)))]

    def schema(self, spec: Categorical) -> Mapping[str, Any]:
        if spec.choose != "by_department":
            return {}
        return {
            "choice": {
                "enum": [c.id for c in spec.categories],
                "description": "; ".join(f"{c.id}: {c.name}" for c in spec.categories),
            }
        }

    def needed_when(self, spec: Categorical) -> Iterator[tuple[str, Fact | None]]:
        for category in spec.categories:
            if spec.choose == "by_department":
                said_ = fact("scaffold.when_chosen", option=category.id)
            elif category.when is not None:
                said_ = fact("scaffold.when_holds", when=category.when.source)
            else:
                said_ = fact("scaffold.when_no_other", option=category.id)
            for name in sorted(category.points.names - FORMULA_NAMES):
                yield name, said_


def _points_within(rule: Rule, category: Category, year: int | None) -> Iterator[Problem]:
    """A category's points outside [0, weight], where they do not depend on the department's values."""
    from scorer.errors import Problem
    from scorer.formula.evaluate import FormulaError
    from scorer.kinds.lint_tools import at

    if year is None or category.points.names - FORMULA_NAMES:
        return
    try:
        points = category.points.evaluate(fixed_names(rule, year))
    except FormulaError:  # the lint every formula gets says why
        return
    if points < 0 or points > Fraction(rule.weight):
        yield Problem(
            at(rule, category.path + ("points",)),
            fact("lint.category_points", id=category.id, points=points, weight=rule.weight),
        )


def _shown(spec: Categorical) -> str:
    return ", ".join(f"{c.id} ({c.name})" for c in spec.categories)


KIND = CategoricalKind()
