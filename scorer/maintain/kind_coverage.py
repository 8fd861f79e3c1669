"""What `score test --coverage` counts in a declarative kind: each band, each steps rule deducting, each
occurrence counted, each checklist item missed, each grade picked, each alternative used, each gate and
not-applicable rule holding. The engine names the parts that decided a score (`IndicatorResult.exercised`)."""

from __future__ import annotations

from scorer.i18n import t
from scorer.kinds.specs import Alternatives, Bands, Checklist, Graded, Kind, PerOccurrence, Steps, where
from scorer.rules.model import Indicator


def kind_items(indicator: Indicator) -> dict[str, str]:
    """The parts to cover, by the place the engine names them (bands.items[2]), with their label."""
    items: dict[str, str] = {}
    ident = indicator.id
    for condition in indicator.kinds.conditions:
        items[where(condition.path)] = t("cases.item.condition", id=ident, where=where(condition.path))
    if indicator.kinds.spec is not None:
        _spec(ident, indicator.kinds.spec, items)
    return items


def _spec(ident: str, spec: Kind, items: dict[str, str]) -> None:
    if isinstance(spec, Bands):
        for band in spec.items:
            place = where(band.path)
            items[place] = t("cases.item.band", id=ident, where=place, band=band.interval.text)
    elif isinstance(spec, Steps):
        items[where(spec.path)] = t("cases.item.steps", id=ident, where=where(spec.path))
    elif isinstance(spec, PerOccurrence):
        for occurrence in spec.items:
            place = where(occurrence.path)
            items[place] = t("cases.item.occurrence", id=ident, where=place)
    elif isinstance(spec, Checklist):
        for item in spec.all_items():
            items[where(item.path)] = t("cases.item.check", id=ident, where=where(item.path))
    elif isinstance(spec, Graded):
        for grade in spec.grades:
            items[where(grade.path)] = t("cases.item.pick", id=ident, where=where(grade.path))
    elif isinstance(spec, Alternatives):
        for option in spec.options:
            items[where(option.path)] = t("cases.item.option", id=ident, where=where(option.path))
            _spec(ident, option.spec, items)
