"""What `score test --coverage` counts in a declarative kind: each band, each steps rule deducting, each
occurrence counted, each checklist item missed, each grade picked, each alternative used, each gate and
not-applicable rule holding. The engine names the parts that decided a score (`IndicatorResult.exercised`); each
kind says its parts (`Kind.items`), keyed by their place, labelled by a fact."""

from __future__ import annotations

from scorer.facts import Fact, fact
from scorer.kinds.registry import kind
from scorer.kinds.specs import where
from scorer.rules.model import Indicator


def kind_items(indicator: Indicator) -> dict[str, Fact]:
    """The parts to cover, by the place the engine names them (bands.items[2]), with their label."""
    items: dict[str, Fact] = {}
    ident = indicator.id
    for condition in indicator.kinds.conditions:
        place = where(condition.path)
        items[place] = fact("cases.item.condition", id=ident, where=place)
    items.update((item.place, item.label) for item in kind(indicator.scoring).items(indicator.spec, ident))
    return items
