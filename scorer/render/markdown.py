"""The 自评表 as a Markdown table, for pasting into reports and documents.

Every piece of text that comes from a file goes through `md()`: it renders as exactly the characters written.
"""

from __future__ import annotations

from scorer.engine.result import Result
from scorer.escape import markdown as md
from scorer.i18n import t
from scorer.render.common import (
    facts,
    grade_line,
    headers,
    named,
    notes,
    reasons_text,
    rows,
    score_cell,
    summary,
    target_headers,
    target_rows,
    title,
)
from scorer.render.options import RenderOptions
from scorer.render.project_rows import BUDGET_HEADINGS, HEADINGS, budget_row, budget_values
from scorer.render.project_rows import deviation as project_deviation
from scorer.render.project_rows import lines as project_lines
from scorer.rounding import fmt


def render(result: Result, options: RenderOptions) -> str:
    lang = options.lang
    lines = [f"# {md(title(result, lang), in_table=False)}", ""]
    lines += [f"- {md(fact, in_table=False)}" for fact in facts(result, lang)]
    lines += _project_tables(result, lang) if result.form == "project" else _table(result, options)
    lines += ["", f"**{t('form.grade_label', lang)}**：{md(grade_line(result, lang), in_table=False)}", ""]
    targets = target_rows(result, lang) if result.form != "project" else []  # the project table lists them
    if targets:
        lines += [f"**{t('targets.title', lang)}**", ""]
        lines += ["| " + " | ".join(target_headers(lang)) + " |", "|---|---|---|---|---|---|---:|"]
        lines += ["| " + " | ".join(md(c) for c in cells) + " |" for cells in targets]
        lines.append("")
    lines += [
        ("- " if line.startswith("  ") else "") + md(line.strip(), in_table=False)
        for line in summary(result, lang)
    ]
    extra = notes(result, lang)
    if extra:
        lines += ["", t("form.notes", lang), ""] + [f"- {md(line, in_table=False)}" for line in extra]
    return "\n".join(lines) + "\n"


def _table(result: Result, options: RenderOptions) -> list[str]:
    """The 部门整体 table's ten columns (eleven with the explanations)."""
    lang = options.lang
    names = list(headers(lang))
    if options.explanations:
        names.insert(6, t("form.explanation", lang))
    lines: list[str] = []
    align = "|" + "---|" * 5 + ("---|" if options.explanations else "") + "---:|---:|---|---|"
    lines += ["", "| " + " | ".join(names) + " |", align]
    subtotal = t("form.subtotal_in", lang)
    for row in rows(result):
        item = row.indicator
        cells = [
            named(row.level, lang) + subtotal.format(score=fmt(row.level.score)) if row.opens_level else "",
            fmt(row.level.weight) if row.opens_level else "",
            named(row.child, lang) + subtotal.format(score=fmt(row.child.score)) if row.opens_child else "",
            fmt(row.child.weight) if row.opens_child else "",
            named(item, lang),
            fmt(item.weight),
            score_cell(item),
            reasons_text(item, lang, "\n"),
            "\n".join(item.improvements),
        ]
        if options.explanations:
            explanation = item.explanation_en if lang == "en" and item.explanation_en else item.explanation
            cells.insert(6, explanation)
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    blanks = "  |" * (5 if options.explanations else 4)
    lines.append(
        f"| **{t('form.total', lang)}** | **{fmt(result.max)}** |{blanks} **{fmt(result.total)}** |  |  |"
    )
    return lines


def _project_tables(result: Result, lang: str) -> list[str]:
    """The 项目支出绩效自评表: the 预算执行 block, then each indicator the project declared."""
    budget = [t(key, lang) for key in BUDGET_HEADINGS]
    values = ["" if v is None else fmt(v) for v in budget_values(result)]
    values[-1] += "%" if values[-1] else ""
    scored = budget_row(result)
    if scored is not None:
        values += [fmt(scored.weight), fmt(scored.score), project_deviation(scored, lang)]
    lines = [""]
    if scored is not None:  # a form that declares its 预算执行 block
        lines += [f"**{t('form.project.budget', lang)}**", ""]
        lines += ["| " + " | ".join(budget) + " |", "|---:|---:|---:|---:|---:|---:|---|"]
        lines += ["| " + " | ".join(md(c) for c in values) + " |", ""]
    lines += [
        "| " + " | ".join(t(key, lang) for key in HEADINGS) + " |",
        "|---|---|---|---|---|---:|---:|---|",
    ]
    for line in project_lines(result, lang):
        cells = (line.level1, line.level2, line.level3, line.target, line.actual)
        lines.append(
            "| "
            + " | ".join(md(c) for c in (*cells, fmt(line.weight), fmt(line.score), line.deviation))
            + " |"
        )
    lines.append(
        f"| **{t('form.total', lang)}** |  |  |  |  | **{fmt(result.max)}** | **{fmt(result.total)}** |  |"
    )
    return lines
