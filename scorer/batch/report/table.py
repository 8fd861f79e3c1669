"""The batch summary on a terminal: counts, the grade distribution, the ranking, where points were lost, the
changes since last year and the refused departments. Readable from 80 columns: the level-2 subtotals are shown
in the ranking where the terminal is wide enough (and always in the CSV, XLSX and HTML)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len

from scorer.batch.report import given
from scorer.batch.report.common import (
    counted,
    counts_line,
    display_name,
    group_line,
    has_history,
    has_stated,
    missing_line,
    moved_text,
    name_heading,
    noted,
    other_lines,
    reasons_line,
    refusal_lines,
    rubric_groups,
    rubrics_line,
    rules_line,
    shown,
    signed,
    title,
)
from scorer.batch.summary import Summary
from scorer.escape import one_line
from scorer.i18n import t
from scorer.render.options import RenderOptions
from scorer.render.table import wrap

SUBTOTALS_FROM = 110  # columns needed to show the eight level-2 subtotals beside each department
NODE_WIDTH = 8


def _pad(text: str, width: int, right: bool = False) -> str:
    room = max(0, width - cell_len(text))
    return " " * room + text if right else text + " " * room


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def render(summary: Summary, options: RenderOptions) -> str:
    return "".join(pieces(summary, options))


def pieces(summary: Summary, options: RenderOptions) -> Iterator[str]:
    """The summary a line at a time, each department's as it is read: never held whole."""
    return (line + "\n" for line in _lines(summary, max(options.width, 60)))


def _lines(summary: Summary, width: int) -> Iterator[str]:
    """The batch's own rubric's departments, then each other rubric's, ranked apart; then what was refused."""
    if summary.entries or not summary.groups:
        yield from _body(summary, width)
    else:  # every department named another rubric: nothing to rank under the batch's own
        yield one_line(rubrics_line(summary) or "")
    for group in rubric_groups(summary):
        yield from ["", "", one_line(group_line(group))]
        yield from _body(group, width)
    yield from _ends(summary, width)


def _body(summary: Summary, width: int) -> Iterator[str]:
    lang = summary.lang
    yield from [one_line(title(summary)), rules_line(summary), counts_line(summary)]
    if (several := rubrics_line(summary)) is not None:
        yield one_line(several)
    yield ""
    yield from _distribution(summary)
    yield from _ranking(summary, width)
    yield from _losses(summary, width)
    if has_history(summary):
        yield from ["", t("batch.history_title", lang)]
        for _, entry in summary.ranked():
            if entry.previous is None:
                continue
            head = t("batch.history_line", lang, department=entry.department, before=entry.previous.year,
                     total_before=shown(entry.previous.total), total=shown(entry.total), change=signed(entry.change),
                     grade_before=entry.previous.grade, grade=entry.grade)  # fmt: skip
            yield from wrap(one_line(head), width, indent="    ")
            yield from wrap(one_line("    " + moved_text(entry, lang)), width, indent="      ")
    if summary.noted:
        yield from ["", counted(summary, "batch.notes_title", count=summary.noted)]
        for rank, entry in noted(summary):
            yield from wrap(one_line(f"  {rank} {entry.department}"), width, indent="    ")
            for note in entry.notes:
                yield from wrap(one_line(f"    {note}"), width, indent="      ")
    if given.any_given(summary):
        yield from ["", t("batch.given.title", lang), "  " + given.tally(summary)]
        for row in given.rows(summary):
            line = f"  {row.rank} {row.department}: {given.as_text(row, lang, shown)}"
            yield from wrap(one_line(line), width, indent="      ")


def _ends(summary: Summary, width: int) -> Iterator[str]:
    """The refused departments, last year's missing ones and the files that are no submission."""
    lang = summary.lang
    if summary.refusals:
        yield from ["", counted(summary, "batch.refused_title", count=len(summary.refusals))]
        for line in refusal_lines(summary):
            yield from wrap(one_line("  " + line), width, indent="    ")
    if summary.missing:
        yield from [""] + wrap(one_line(missing_line(summary)), width, indent="  ")
    if summary.others:
        yield from ["", t("batch.others_title", lang, count=len(summary.others))]
        for line in other_lines((p for o in summary.others for p in o.problems), lang):
            yield from wrap(one_line("  " + line), width, indent="    ")


def _distribution(summary: Summary) -> list[str]:
    if not summary.grades:  # a rubric without grades
        return []
    lines = [t("batch.distribution", summary.lang)]
    most = max((count for _, count in summary.distribution()), default=0) or 1
    for grade, count in summary.distribution():
        bar = "█" * round(30 * count / most) if count else ""
        lines.append(f"  {_pad(one_line(grade), 4)} {count:>5}  {bar}")
    return lines


def _ranking(summary: Summary, width: int) -> Iterator[str]:
    lang = summary.lang
    nodes = width >= SUBTOTALS_FROM
    history = has_history(summary)
    heads = [t("batch.rank", lang), t("batch.total", lang), t("batch.grade", lang)]
    sizes = [5, 7, 4]
    stated = has_stated(summary)
    if stated:
        heads.append(t("batch.stated", lang))
        sizes.append(7)
    if history:
        heads.append(t("batch.change", lang))
        sizes.append(8)
    if nodes:
        heads += [_cut(one_line(node.name), NODE_WIDTH) for node in summary.nodes]
        sizes += [NODE_WIDTH] * len(summary.nodes)
    used = sum(sizes) + len(sizes)
    name_width = max(10, width - used)
    yield from ["", t("batch.ranking", lang)]
    yield (" ".join(_pad(h, s, right=i != 2) for i, (h, s) in enumerate(zip(heads, sizes, strict=True)))
           + " " + name_heading(summary))  # fmt: skip
    for rank, entry in summary.ranked():
        cells = [str(rank), shown(entry.total), one_line(entry.grade)]
        if stated:
            cells.append(shown(entry.stated))
        if history:
            cells.append(signed(entry.change))
        if nodes:
            cells += [shown(value) for value in entry.subtotals]
        row = " ".join(_pad(c, s, right=i != 2) for i, (c, s) in enumerate(zip(cells, sizes, strict=True)))
        name = display_name(entry, lang) + (f"（{entry.identity}）" if entry.identity else "")
        yield row + " " + _cut(one_line(name), name_width)
    if not nodes and summary.nodes:
        yield t("batch.subtotals_hidden", lang)


def _losses(summary: Summary, width: int) -> list[str]:
    lang = summary.lang
    losing = summary.losing()
    lines = ["", t("batch.losses", lang)]
    if not losing:
        return lines + ["  " + counted(summary, "batch.no_losses")]
    for losses in losing:
        head = counted(summary, "batch.loss_line", name=losses.name, departments=losses.departments,
                 points=shown(losses.points), weight=shown(losses.weight))  # fmt: skip
        lines += wrap(one_line("  " + head), width, indent="    ")
        lines += wrap(one_line("    " + reasons_line(losses, lang)), width, indent="      ")
    return lines
