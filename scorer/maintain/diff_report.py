"""`score diff` as text or as Markdown (to paste into a pull-request comment)."""

from __future__ import annotations

from scorer.engine.result import Result
from scorer.escape import markdown, one_line
from scorer.i18n import t
from scorer.maintain.diff import Impact, RulesDiff
from scorer.rounding import fmt


def render(diff: RulesDiff, fmt_name: str, old_name: str, new_name: str, lang: str) -> str:
    if fmt_name == "markdown":
        return _markdown(diff, old_name, new_name, lang)
    return _text(diff, old_name, new_name, lang)


def _text(diff: RulesDiff, old_name: str, new_name: str, lang: str) -> str:
    lines = [t("diff.heading", lang, old=old_name, new=new_name, count=len(diff.changes))]
    for change in diff.changes:
        lines.append(f"  {change.subject}: {change.what}")
        lines += _table(change.table, lang)
    if not diff.changes:
        lines.append("  " + t("diff.no_changes", lang))
    lines.append(t("diff.impact", lang, count=len(diff.impacts)))
    for impact in diff.impacts:
        lines.append(f"  {impact.label}: {_totals(impact)}")
        lines += [f"      {ident}: {fmt(a)} → {fmt(b)}" for ident, a, b in impact.changed_rows()]
    return "\n".join(one_line(line) for line in lines) + "\n"  # a line each, whatever the files' texts hold


def _markdown(diff: RulesDiff, old_name: str, new_name: str, lang: str) -> str:
    lines = ["### " + t("diff.md_heading", lang, old=_code(old_name), new=_code(new_name)), ""]
    if diff.changes:
        lines += ["| " + t("diff.md_columns", lang) + " |", "|---|---|"]
        lines += [f"| `{c.subject}` | {_cell(c.what)} |" for c in diff.changes]  # ids are [a-z0-9_] only
        for change in (c for c in diff.changes if c.table):
            lines += [
                "",
                f"`{change.subject}`",
                "",
                "| " + t("diff.kind_columns", lang) + " |",
                "|---|---|---|",
            ]
            lines += [f"| {_cell(part)} | {_cell(a)} | {_cell(b)} |" for part, a, b in change.table]
    else:
        lines.append(t("diff.no_changes", lang))
    lines += ["", "### " + t("diff.impact", lang, count=len(diff.impacts)).rstrip(":："), ""]
    lines += ["| " + t("diff.md_impact_columns", lang) + " |", "|---|---:|---:|---:|---|---|---|"]
    for impact in diff.impacts:
        rows = "<br>".join(f"`{i}` {fmt(a)} → {fmt(b)}" for i, a, b in impact.changed_rows())
        lines.append(
            f"| {_cell(impact.label)} | {_total(impact.old, True)} | {_total(impact.new, True)} | {_delta(impact)} | "
            f"{_cell(_grade(impact.old))} | {_cell(_grade(impact.new))} | {rows} |"
        )
    return "\n".join(lines) + "\n"


def _table(rows: tuple[tuple[str, str, str], ...], lang: str) -> list[str]:
    """A declarative kind's changed parts, before and after, in aligned columns."""
    if not rows:
        return []
    header = tuple(cell.strip() for cell in t("diff.kind_columns", lang).split("|"))
    table = [header, *rows]
    widths = [max(_width(row[i]) for row in table) for i in range(3)]
    return [
        "      " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in table
    ]


def _width(text: str) -> int:
    """Columns a text takes in a terminal: a CJK character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _totals(impact: Impact) -> str:
    if impact.delta is None:
        return f"{_total(impact.old)} → {_total(impact.new)}"
    grade = f"{_grade(impact.old)} → {_grade(impact.new)}"
    return f"{_total(impact.old)} → {_total(impact.new)} ({_delta(impact)}), {grade}"


def _total(side: Result | str, cell: bool = False) -> str:
    """The total, or why there is none (escaped for a Markdown cell when `cell`)."""
    if isinstance(side, Result):
        return fmt(side.total)
    return _cell(side) if cell else side


def _grade(side: Result | str) -> str:
    return side.grade if isinstance(side, Result) else "—"


def _delta(impact: Impact) -> str:
    delta = impact.delta
    if delta is None:
        return "—"
    return ("+" if delta > 0 else "±" if delta == 0 else "") + fmt(delta)


def _cell(text: str) -> str:
    return markdown(text, in_table=True)


def _code(text: str) -> str:
    """A name in a code span; a backtick in it would end the span, so such a name is escaped instead."""
    return f"`{text}`" if "`" not in text and "\n" not in text else markdown(text, in_table=False)
