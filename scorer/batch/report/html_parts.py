"""Parts of the batch's HTML page (scorer/batch/report/html.py): escaped cells, long tables in folded pages, and
the lists below the ranking (notes, the scores given in place of the computed ones, refused departments, files
that are no submission). Every text from a file is HTML-escaped here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from html import escape
from itertools import islice

from scorer.batch.report import given
from scorer.batch.report.common import counted, missing_line, noted, shown
from scorer.batch.summary import Summary
from scorer.escape import visible
from scorer.i18n import t
from scorer.render.problems import lines


def e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


class Signed(str):
    """A change written with its sign ("+0.53"): a number, aligned as one."""


def cells(values: list[object]) -> str:
    out = []
    for value in values:
        numeric = isinstance(value, Decimal | int | Signed)
        shown_value = shown(value) if isinstance(value, Decimal) else value
        out.append(f'<td class="n">{e(shown_value)}</td>' if numeric else f"<td>{e(shown_value)}</td>")
    return "".join(out)


PAGE_ROWS = 500  # rows of a long list shown at once; the rest follow in folded pages of as many


def paged(rows: Iterable[str], head: str, ident: str, lang: str) -> Iterator[str]:
    """A long table as pages: the first open, each other one folded (`<details>`, no script) until opened, so
    that a page of ten thousand departments lays out five hundred rows and opens at once; find in page, copying
    and printing an opened page see its rows, the data block below holds every row. Written a page at a time."""
    given = iter(rows)
    yield f'<table id="{ident}">{head}<tbody>{"".join(islice(given, PAGE_ROWS))}</tbody></table>'
    number = 1
    while page := list(islice(given, PAGE_ROWS)):
        first, last = number * PAGE_ROWS + 1, number * PAGE_ROWS + len(page)
        yield (
            f'<details class="page"><summary>{e(t("batch.page_rows", lang, first=first, last=last))}</summary>'
            f'<table class="{ident}-page">{head}<tbody>{"".join(page)}</tbody></table></details>'
        )
        number += 1


def notes_list(summary: Summary) -> Iterator[str]:
    """The departments whose results carry notes (扣完为止 …), so that a slip such as 30 for 3.0 is seen."""
    if not summary.noted:
        return
    items = (
        f'<tr><td class="n">{rank}</td><td>{e(entry.department)}</td>'
        f"<td>{'<br>'.join(e(note) for note in entry.notes)}</td></tr>"
        for rank, entry in noted(summary)
    )
    lang = summary.lang
    head = "".join(
        f"<th>{e(t(key, lang))}</th>" for key in ("batch.rank", "batch.department", "batch.note_text")
    )
    yield f"<h2>{e(counted(summary, 'batch.notes_title', count=summary.noted))}</h2>"
    yield from paged(items, f"<thead><tr>{head}</tr></thead>", "notes", lang)


def given_list(summary: Summary) -> Iterator[str]:
    """The departments' own scores and the bureau's adjustments, kept apart, each with its reason."""
    if not given.any_given(summary):
        return
    lang = summary.lang
    head = "".join(f"<th>{e(h)}</th>" for h in given.headings(lang))
    rows = (
        f"<tr>{cells([r.rank, r.department, r.kind, r.indicator, r.own if r.own is not None else '', r.score])}"
        f"<td>{e(r.reason)}</td></tr>"
        for r in given.rows(summary)
    )
    yield f'<h2>{e(t("batch.given.title", lang))}</h2><p class="note">{e(given.tally(summary))}</p>'
    yield from paged(rows, f"<thead><tr>{head}</tr></thead>", "given", lang)


def refusals_list(summary: Summary) -> str:
    lang = summary.lang
    heading = f"<h2>{e(counted(summary, 'batch.refused_title', count=len(summary.refusals)))}</h2>"
    if not summary.refusals:
        return heading + f'<p class="note">{e(counted(summary, "batch.none_refused"))}</p>'
    items = "".join(
        f'<li data-place="{e(r.place)}">{"<br>".join(e(text) for text in lines(r.problems, lang))}</li>'
        for r in summary.refusals
    )
    return heading + f'<ul class="refused" id="refused">{items}</ul>'


def others_list(summary: Summary) -> str:
    missing = f'<p id="missing">{e(missing_line(summary))}</p>' if summary.missing else ""
    if not summary.others:
        return missing
    heading = f"<h2>{e(t('batch.others_title', summary.lang, count=len(summary.others)))}</h2>"
    items = "".join(
        f'<li data-place="{e(o.place)}">{"<br>".join(e(text) for text in lines(o.problems, summary.lang))}</li>'
        for o in summary.others
    )
    return missing + heading + f'<ul class="others" id="others">{items}</ul>'
