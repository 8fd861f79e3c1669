"""`score explain`: how each score came about, step by step, in the chosen language."""

from __future__ import annotations

from collections.abc import Mapping

from scorer.engine.result import IndicatorResult, Result
from scorer.escape import one_line
from scorer.i18n import say, t
from scorer.render.common import grade_shown, metric_text, named, origin_words, rubric_marks
from scorer.rounding import fmt
from scorer.rules.model import RowOrigin


def render(
    result: Result, lang: str, only: str | None = None, origins: Mapping[str, RowOrigin] | None = None
) -> str:
    """Each row's steps; with `origins` (a rubric that extends another), where each row not its own comes from."""
    rows = [i for i in result.indicators if only in (None, i.id)]
    blocks = (
        ["\n".join(one_line(mark) for mark in rubric_marks(result, lang))]
        if rubric_marks(result, lang)
        else []
    )
    blocks += [_indicator(i, lang, (origins or {}).get(i.id)) for i in rows]
    if only is None:
        blocks.append(
            t("explain.total", lang, total=result.total, max=result.max, grade=grade_shown(result, lang))
        )
    return "\n\n".join(blocks) + "\n"


def _indicator(indicator: IndicatorResult, lang: str, origin: RowOrigin | None = None) -> str:
    lines = [
        t(
            "explain.heading",
            lang,
            id=indicator.id,
            name=named(indicator, lang),
            level1=indicator.level1,
            level2=indicator.level2,
            weight=indicator.weight,
        )
    ]
    if origin is not None:
        lines.append("  " + origin_words(origin, lang))
    for step in indicator.steps:
        value = "" if step.value is None else f"  = {fmt(step.value)}"
        lines.append(f"  {t('explain.step.' + step.what, lang)}: {say(step.detail, lang)}{value}")
    lines += [t("explain.metric", lang, name=m.name, value=metric_text(m, lang)) for m in indicator.metrics]
    lines += [t("explain.note", lang, note=say(note, lang)) for note in indicator.notes]
    key = "explain.score_overridden" if indicator.overridden else "explain.score"
    lines.append(t(key, lang, score=indicator.score, lost=indicator.lost))
    return "\n".join(one_line(line) for line in lines)  # a step a line, whatever a file's text in it holds
