"""`score diff` for the declarative kinds: each band, step rule, item, grade, alternative and condition of an
indicator, old against new, as rows of a before/after table (only the rows that changed). Each kind says its
parts (`Kind.parts`): place and the rule's own text."""

from __future__ import annotations

from scorer.i18n import t
from scorer.kinds.registry import kind
from scorer.kinds.specs import Texts, where
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
    out.update(kind(indicator.scoring).parts(indicator.spec))
    return out


def _text(texts: Texts) -> str:
    return texts[0][1].source if texts else ""
