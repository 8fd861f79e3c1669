"""Words shared by the renderers: the 自评表's rows, headers, grade line and notes, in the chosen language.

Names and texts from the rule files and the department are shown as written; what `score` itself says comes
from the catalogues (scorer/i18n). Every function takes the language explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scorer.engine.result import IndicatorResult, MetricValue, NodeResult, Result
from scorer.facts import Fact
from scorer.i18n import say, t
from scorer.numbers import completion_percent
from scorer.rounding import fmt

if TYPE_CHECKING:
    from scorer.rules.model import RowOrigin

OVERRIDE_MARK = "※"
HEADER_KEYS = (
    "form.level1",
    "form.weight",
    "form.level2",
    "form.weight",
    "form.level3",
    "form.weight",
    "form.score",
    "form.reasons",
    "form.improvements",
)


def headers(lang: str) -> tuple[str, ...]:
    return tuple(t(key, lang) for key in HEADER_KEYS)


def named(item: IndicatorResult | NodeResult, lang: str) -> str:
    """A row's or level's name: the rule file's English name in English where it gives one."""
    if lang == "en" and item.name_en:
        return item.name_en
    if item.name or isinstance(item, NodeResult):
        return item.name
    return item.shown_as or item.id  # a row the table prints without a name ("采购意向公开合规性（续）")


def title(result: Result, lang: str) -> str:
    rules_title = result.rules_title_en if lang == "en" and result.rules_title_en else result.rules_title
    shown = t(
        "form.title", lang, year=result.year, department=department_named(result, lang), title=rules_title
    )
    return shown + "".join(t(short, lang, year=result.rules_year) for short, _ in _marked(result))


def department_named(result: Result, lang: str) -> str:
    """The department as titles name it: with its project's name where the inputs give one (项目名称), so that
    two projects of one department have titles of their own."""
    project = result.profile.project
    return (
        t("form.project_named", lang, department=result.department, project=project)
        if project
        else result.department
    )


def rubric_marks(result: Result, lang: str) -> list[str]:
    """What every output says of the rubric itself, one line each: provisional (its sources are not recorded
    yet), or a rubric of an earlier year than the department's (that year has none)."""
    rubric = f"{result.rules_id}/{result.rules_year}" if result.rules_id else str(result.rules_year)
    return [
        t(line, lang, rubric=rubric, year=result.year, rules_year=result.rules_year)
        for _, line in _marked(result)
    ]


def origin_words(origin: RowOrigin, lang: str) -> str:
    """Where a row of a rubric that extends another comes from: "from guangzhou-huangpu-bumen/2022 row X", and
    the change that altered it."""
    said = t("origin.from", lang, source=origin.source, row=origin.row) if origin.source else ""
    changed = t("origin.changed", lang, change=origin.change) if origin.change else ""
    return t("list.separator", lang).join(part for part in (said, changed) if part)


def _marked(result: Result) -> list[tuple[str, str]]:
    """The marks a result carries: (the title's short mark, the line that explains it)."""
    marks = []
    if result.rules_provisional:
        marks.append(("mark.provisional", "mark.provisional.line"))
    if result.under_earlier_year:
        marks.append(("mark.earlier_year", "mark.earlier_year.line"))
    if result.rules_partly_encoded:
        marks.append(("mark.partly_encoded", "mark.partly_encoded.line"))
    return marks


def facts(result: Result, lang: str) -> list[str]:
    lines = rubric_marks(result, lang)
    if result.units is not None:
        lines.append(t("form.units", lang, units=result.units))
    budget = result.budget
    if budget:
        parts = [
            t("form.budget_part", lang, what=t(f"budget.{key}", lang), amount=budget[key])
            for key in ("total", "basic", "project")
            if key in budget
        ]
        lines.append(t("form.budget", lang, parts=t("list.separator", lang).join(parts)))
    lines.append(t("form.rules", lang, year=_rubric_name(result), digest=result.rules_digest[:19] + "…"))
    return lines


def _rubric_name(result: Result) -> str:
    """The rubric as `id/year`; the year alone for the default family's, as every earlier output named it."""
    from scorer.sources.shipped import default_family

    if result.rules_id and result.rules_id != default_family():
        return f"{result.rules_id}/{result.rules_year}"
    return str(result.rules_year)


def score_cell(indicator: IndicatorResult) -> str:
    return fmt(indicator.score) + (OVERRIDE_MARK if indicator.overridden else "")


def grade_name(name: str, name_en: str, lang: str) -> str:
    return f"{name} ({name_en})" if lang == "en" and name_en else name


def grade_shown(result: Result, lang: str) -> str:
    """The grade reached, or that the rubric grades none."""
    return result.grade or t("form.no_grades", lang)


def grade_line(result: Result, lang: str) -> str:
    if not result.bands:
        return t("form.no_grades", lang)
    bands = (
        ("√" if band.reached else "□")
        + f"{grade_name(band.name, band.name_en, lang)} {say(band.label, lang)}"
        for band in result.bands
    )
    return t("list.band_separator", lang).join(bands)


def reasons_text(indicator: IndicatorResult, lang: str, joiner: str) -> str:
    return joiner.join(say(reason, lang) for reason in indicator.reasons)


def summary(result: Result, lang: str) -> list[str]:
    """The largest point losses and what the next grade up needs."""
    lines = []
    losses = result.largest_losses()
    if losses:
        lines.append(t("summary.losses", lang))
        for indicator in losses:
            first = say(indicator.reasons[0], lang)
            lines.append(
                "  " + t("summary.loss", lang, name=named(indicator, lang), lost=indicator.lost, reason=first)
            )
    upward = result.next_band
    if upward is None and result.grade:
        lines.append(t("summary.top", lang, grade=result.grade))
    elif upward is None:
        pass  # a rubric without grades: no grade to reach
    else:
        lines.append(t("summary.next", lang, grade=upward[0], points=upward[1]))
    return lines


def metric_text(metric: MetricValue, lang: str) -> str:
    return t("metric.none", lang) if metric.value is None else f"{fmt(metric.value)}{metric.unit}"


def notes(result: Result, lang: str) -> list[str]:
    """Overrides, clamping and evidence ratios, which the official columns have no room for."""
    lines = []
    for indicator in result.indicators:
        name = named(indicator, lang)
        lines += warnings_of(indicator, lang)
        lines += [
            t("note.metric", lang, name=name, metric=metric.name, value=metric_text(metric, lang))
            for metric in indicator.metrics
        ]
    return lines


def warnings(result: Result, lang: str) -> list[str]:
    """What a reader must not miss, one line each: scores set by an evaluator, deductions capped at what the row
    has, values taken at the weight or at 0, blanks scored full marks (or 0) because the rule says so."""
    return rubric_marks(result, lang) + [
        line
        for indicator in result.indicators
        for line in (*warnings_of(indicator, lang), *_warning_reasons(indicator, lang))
    ]


def warnings_of(indicator: IndicatorResult, lang: str) -> list[str]:
    name = named(indicator, lang)
    lines = []
    if indicator.overridden:
        lines.append(
            f"{OVERRIDE_MARK} "
            + t("note.overridden", lang, name=name, reason=say(indicator.reasons[0], lang))
        )
    return lines + [t("note.line", lang, name=name, note=say(note, lang)) for note in indicator.notes]


def _warning_reasons(indicator: IndicatorResult, lang: str) -> list[str]:
    """The reasons that are warnings too (the table shows them in its reasons column, so `notes` leaves them)."""
    warned = [r for r in indicator.reasons if isinstance(r, Fact) and r.key in _WARNING_REASONS]
    return [t("note.line", lang, name=named(indicator, lang), note=say(reason, lang)) for reason in warned]


# Reasons that are warnings too, said where a scoring kind caps a deduction or the rule scores a blank as 0.
_WARNING_REASONS = frozenset({"reason.deductions_capped", "reason.missing_zero"})


@dataclass(frozen=True, slots=True)
class Row:
    """One indicator's row, with the level nodes it sits under and whether it opens their merged cells."""

    indicator: IndicatorResult
    level: NodeResult
    child: NodeResult
    opens_level: bool
    opens_child: bool
    closes_level: bool


def rows(result: Result) -> Iterator[Row]:
    levels = {level.name: level for level in result.levels}
    items = result.indicators
    for position, indicator in enumerate(items):
        before = items[position - 1] if position else None
        after = items[position + 1] if position + 1 < len(items) else None
        level = levels[indicator.level1]
        yield Row(
            indicator=indicator,
            level=level,
            child=next(c for c in level.children if c.name == indicator.level2),
            opens_level=before is None or before.level1 != indicator.level1,
            opens_child=before is None
            or (before.level1, before.level2) != (indicator.level1, indicator.level2),
            closes_level=after is None or after.level1 != indicator.level1,
        )


TARGET_HEADER_KEYS = (
    "form.level3",
    "targets.name",
    "targets.category",
    "targets.target",
    "targets.actual",
    "targets.met",
    "targets.completion",
)


def target_headers(lang: str) -> tuple[str, ...]:
    return tuple(t(key, lang) for key in TARGET_HEADER_KEYS)


def target_rows(result: Result, lang: str) -> list[tuple[str, ...]]:
    """One row per declared target, for the 绩效指标完成情况 table under the main one."""
    out: list[tuple[str, ...]] = []
    for indicator in result.indicators:
        for target in indicator.targets:
            state = t("target.met" if target.met else "target.unmet", lang)
            if target.judged:
                state += t("target.judged", lang)
            completion = (
                "—" if target.judged else f"{fmt(completion_percent(target.completion, target.met))}%"
            )
            out.append(
                (
                    named(indicator, lang),
                    target.name,
                    target.category,
                    target.target,
                    target.actual or "—",
                    state,
                    completion,
                )
            )
    return out
