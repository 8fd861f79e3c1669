"""The terminal table, laid out as the official 自评表."""

from __future__ import annotations

import io
from decimal import Decimal

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from scorer.escape import visible
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


def build(result: Result) -> Group:
    # Only Text objects built with plain(): rich never reads a file's words as markup or control codes.
    table = Table(*HEADERS, box=box.SQUARE, show_lines=False, title=plain(title(result)), header_style="bold")
    for column in (1, 3, 5, 6):
        table.columns[column].justify = "right"
    for column in (7, 8):  # reasons take the room there is, and are read in full (their Text folds)
        table.columns[column].ratio = 1
    for row in rows(result):
        indicator = row.indicator
        table.add_row(
            _with_subtotal(indicator.level1, "\n得 ", row.level.score) if row.opens_level else "",
            fmt(row.level.weight) if row.opens_level else "",
            _with_subtotal(row.child.name, "（得", row.child.score, "）") if row.opens_child else "",
            fmt(row.child.weight) if row.opens_child else "",
            plain(indicator.name),
            fmt(indicator.weight),
            Text(score_cell(indicator), style="bold red" if indicator.lost > 0 else ""),
            plain(reasons_cell(indicator, "\n")),
            plain("\n".join(indicator.improvements)),
            end_section=row.closes_level,
        )
    table.add_row("总分", fmt(result.max), "", "", "", "", Text(fmt(result.total), style="bold"), "", "")
    parts: list[object] = [plain("\n".join(facts(result)), style="dim"), table]
    parts.append(plain("评价等级：" + grade_line(result), style="bold"))
    targets = target_rows(result)
    if targets:
        target_table = Table(
            *TARGET_HEADERS, box=box.SIMPLE_HEAD, title="绩效指标完成情况", header_style="bold"
        )
        for cells in targets:
            target_table.add_row(
                *(plain(c) for c in cells),
                style="red" if cells[5].startswith("未达标") else "",
            )
        parts.append(target_table)
    parts.append(plain("\n".join(summary(result))))
    extra = notes(result)
    if extra:
        parts.append(plain("说明：\n" + "\n".join("  " + line for line in extra), style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def plain(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style, overflow="fold")


def _with_subtotal(name: str, before: str, score: Decimal, after: str = "") -> Text:
    text = plain(name)
    text.append(f"{before}{fmt(score)}{after}", style="dim")
    return text


def render(result: Result, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False)
    console.print(build(result))
    return buffer.getvalue()
