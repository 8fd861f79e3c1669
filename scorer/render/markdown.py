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
from scorer.rounding import fmt


def render(result: Result, options: RenderOptions) -> str:
    lang = options.lang
    names = list(headers(lang))
    if options.explanations:
        names.insert(6, t("form.explanation", lang))
    lines = [f"# {md(title(result, lang), in_table=False)}", ""]
    lines += [f"- {md(fact, in_table=False)}" for fact in facts(result, lang)]
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
    lines += ["", f"**{t('form.grade_label', lang)}**：{md(grade_line(result, lang), in_table=False)}", ""]
    targets = target_rows(result, lang)
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
