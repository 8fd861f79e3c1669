"""Bands: the first declared range holding the value gives the row its points and its reason."""

from __future__ import annotations

from decimal import Decimal

from scorer.i18n import t
from scorer.model.kinds import Bands, where
from scorer.model.messages import fact
from scorer.model.result import Step
from scorer.rounding import Exact, fmt
from scorer.scoring.kinds.context import KindError, Row, evaluate, shown


def score(row: Row, spec: Bands) -> Decimal:
    value = evaluate(row, spec.of, spec.path + ("of",))
    row.steps.append(
        Step("value", fact("step.value", formula=spec.of.source, values=shown(row, spec.of)), value)
    )
    for band in spec.items:
        if not band.interval.contains(value):
            continue
        row.steps.append(
            Step("band", fact("step.band", band=band.interval.text, points=band.points), band.points)
        )
        row.exercised.append(where(band.path))
        result = row.finish(band.points)
        if result < row.weight:
            extra: dict[str, Exact | str] = {
                "value": value,
                "points": band.points,
                "score": result,
                "lost": row.lost(result),
            }
            default = fact("reason.band", value=value, band=band.interval.text, points=band.points)
            row.reasons.append(row.text(band.reason, {**extra, "band": band.interval.text}, default))
        return result
    raise KindError(spec.path + ("items",), t("kinds.no_band", value=fmt(value)))
