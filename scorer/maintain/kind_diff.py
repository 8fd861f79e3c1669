"""`score diff` for the declarative kinds: each band, step rule, item, grade, alternative and condition of an
indicator, old against new, as rows of a before/after table (only the rows that changed)."""

from __future__ import annotations

from scorer.i18n import t
from scorer.kinds.specs import (
    Alternatives,
    Bands,
    Checklist,
    Graded,
    Kind,
    PerOccurrence,
    Proportional,
    Steps,
    Texts,
    where,
)
from scorer.rounding import fmt
from scorer.rules.model import Indicator

Row = tuple[str, str, str]  # part, before, after


def kind_rows(old: Indicator, new: Indicator) -> tuple[Row, ...]:
    before, after = parts(old), parts(new)
    none = t("diff.none")
    return tuple(
        (place, before.get(place, none), after.get(place, none))
        for place in dict.fromkeys([*before, *after])
        if before.get(place) != after.get(place)
    )


def parts(indicator: Indicator) -> dict[str, str]:
    out: dict[str, str] = {}
    for condition in indicator.kinds.conditions:
        out[where(condition.path)] = f"{condition.when.source} → {_text(condition.reason)}"
    if indicator.kinds.spec is not None:
        _spec(indicator.kinds.spec, out)
    return out


def _text(texts: Texts) -> str:
    return texts[0][1].source if texts else ""


def _spec(spec: Kind, out: dict[str, str]) -> None:
    if isinstance(spec, Bands):
        out[where(spec.path + ("of",))] = spec.of.source
        for band in spec.items:
            out[where(band.path)] = f"{band.interval.text}: {fmt(band.points)}" + (
                f" ({_text(band.reason)})" if band.reason else ""
            )
    elif isinstance(spec, Steps):
        out[where(spec.path)] = (
            f"{spec.of.source} {spec.direction} {fmt(spec.threshold)}: "
            f"{fmt(spec.points)} / {fmt(spec.per)}, {spec.partial}"
        )
    elif isinstance(spec, PerOccurrence):
        for item in spec.items:
            out[where(item.path)] = f"{item.id} ({item.label}): {fmt(item.points)}"
    elif isinstance(spec, Checklist):
        for check in spec.all_items():
            out[where(check.path)] = f"{check.id} ({check.text}): {fmt(check.points)}"
    elif isinstance(spec, Graded):
        for grade in spec.grades:
            out[where(grade.path)] = f"{grade.name} {grade.interval.text}"
    elif isinstance(spec, Proportional):
        ratio = (
            f"{spec.target.source} / {spec.actual.source}"
            if spec.lower_is_better
            else (f"{spec.actual.source} / {spec.target.source}")
        )
        out[where(spec.path)] = f"{ratio}, 0 → {spec.if_zero}"
    elif isinstance(spec, Alternatives):
        for option in spec.options:
            when = option.when.source if option.when else spec.choose
            out[where(option.path)] = f"{option.id} ({option.name}) {when}"
            _spec(option.spec, out)
