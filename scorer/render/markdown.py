"""The 自评表 as a Markdown table, for pasting into reports and documents."""

from __future__ import annotations

from scorer.escape import markdown as md
from scorer.model.result import Result
from scorer.numbers import fmt
from scorer.render.common import (
    HEADERS,
    TARGET_HEADERS,
    facts,
    grade_line,
    notes,
    reasons_cell,
    rows,
    score_cell,
    summary,
    target_rows,
    title,
)


def render(result: Result) -> str:
    # Every piece of text that comes from a file goes through md(): it renders as the characters written.
    lines = [f"# {md(title(result), in_table=False)}", ""]
    lines += [f"- {md(fact, in_table=False)}" for fact in facts(result)]
    lines += ["", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * 5 + "---:|---:|---|---|"]
    for row in rows(result):
        indicator = row.indicator
        cells = [
            f"{row.level.name}（得{fmt(row.level.score)}）" if row.opens_level else "",
            fmt(row.level.weight) if row.opens_level else "",
            f"{row.child.name}（得{fmt(row.child.score)}）" if row.opens_child else "",
            fmt(row.child.weight) if row.opens_child else "",
            indicator.name,
            fmt(indicator.weight),
            score_cell(indicator),
            reasons_cell(indicator, "\n"),
            "\n".join(indicator.improvements),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append(f"| **总分** | **{fmt(result.max)}** |  |  |  |  | **{fmt(result.total)}** |  |  |")
    lines += ["", f"**评价等级**：{md(grade_line(result), in_table=False)}", ""]
    targets = target_rows(result)
    if targets:
        lines += [
            "**绩效指标完成情况**",
            "",
            "| " + " | ".join(TARGET_HEADERS) + " |",
            "|---|---|---|---|---|---|---:|",
        ]
        lines += ["| " + " | ".join(_cell(c) for c in cells) + " |" for cells in targets]
        lines.append("")
    lines += [
        ("- " if line.startswith("  ") else "") + md(line.strip(), in_table=False) for line in summary(result)
    ]
    extra = notes(result)
    if extra:
        lines += ["", "说明：", ""] + [f"- {md(line, in_table=False)}" for line in extra]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return md(text, in_table=True)
