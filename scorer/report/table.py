"""The terminal table, laid out as the official 自评表."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..numbers import fmt
from ..result import Result
from .common import HEADERS, facts, grade_line, notes, reasons_cell, rows, score_cell, summary, title


def build(result: Result) -> Group:
    table = Table(*HEADERS, box=box.SQUARE, show_lines=False, title=title(result), header_style="bold")
    for column in (1, 3, 5, 6):
        table.columns[column].justify = "right"
    table.columns[4].overflow = "fold"
    for column in (7, 8):  # reasons are read in full, never cut
        table.columns[column].overflow = "fold"
        table.columns[column].ratio = 1
    for row in rows(result):
        indicator = row.indicator
        table.add_row(
            f"{indicator.level1}\n[dim]得 {fmt(row.level.score)}[/dim]" if row.opens_level else "",
            fmt(row.level.weight) if row.opens_level else "",
            f"{row.child.name}[dim]（得{fmt(row.child.score)}）[/dim]" if row.opens_child else "",
            fmt(row.child.weight) if row.opens_child else "",
            indicator.name,
            fmt(indicator.weight),
            Text(score_cell(indicator), style="bold red" if indicator.lost > 0 else ""),
            reasons_cell(indicator, "\n"),
            "\n".join(indicator.improvements),
            end_section=row.closes_level,
        )
    table.add_row("总分", fmt(result.max), "", "", "", "", Text(fmt(result.total), style="bold"), "", "")
    parts: list[object] = [Text("\n".join(facts(result)), style="dim"), table]
    parts.append(Text("评价等级：" + grade_line(result), style="bold"))
    parts.append(Text("\n".join(summary(result))))
    extra = notes(result)
    if extra:
        parts.append(Text("说明：\n" + "\n".join("  " + line for line in extra), style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def render(result: Result, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False)
    console.print(build(result))
    return buffer.getvalue()
