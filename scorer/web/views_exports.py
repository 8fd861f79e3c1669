"""The district's summary for the bureau: ranking, grade distribution, losses per indicator and the change since
last year, with the batch report's charts, on the 复核 results; and the exports (the summary workbook `score
batch -o .xlsx` writes, the 复核清单, every department's 自评表 as one archive)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from scorer.audit.model import Audit
from scorer.batch.report import SUMMARIES
from scorer.batch.report.common import unsubmitted_line
from scorer.batch.report.html import figures
from scorer.i18n import t
from scorer.render import by_name
from scorer.render.options import RenderOptions
from scorer.web.access import bureau_only
from scorer.web.exports import review_list, tables_archive
from scorer.web.models import Filing
from scorer.web.review import own_result, summary, summary_noted
from scorer.web.views_bureau import _year
from scorer.web.views_files import attachment


@bureau_only
def ranking(request: HttpRequest) -> HttpResponse:
    year, lang = _year(request), request.lang  # type: ignore[attr-defined]
    gathered, scored, history_problem = summary_noted(year, lang)
    rows = [
        {"rank": rank, "entry": entry, "filing": scored[entry.order][0]} for rank, entry in gathered.ranked()
    ]
    context = {
        "year": year,
        "summary": gathered,
        "rows": rows,
        # The batch report's own inline SVG: its texts are escaped by its renderer (scorer/render/batch_html.py).
        "figures": mark_safe(figures(gathered)) if gathered.entries else "",
        "losses": gathered.losing(),
        "moved": [entry for _, entry in gathered.ranked() if entry.previous is not None],
        "unsubmitted": unsubmitted_line(gathered),
        "history_problem": history_problem,
    }
    return render(request, "score/ranking.html", context)


@bureau_only
def summary_workbook(request: HttpRequest) -> HttpResponse:
    return _summary_file(request, "xlsx", "web.file.summary", "xlsx")


@bureau_only
def brief_docx(request: HttpRequest) -> HttpResponse:
    """The leaders' brief `score batch -o 简报.docx` writes, on the 复核 results."""
    return _summary_file(request, "brief", "web.file.brief", "docx")


def _summary_file(request: HttpRequest, renderer: str, named: str, extension: str) -> HttpResponse:
    """The year's summary written by one of `score batch`'s renderers, as a download named in the page's language."""
    year, lang = _year(request), request.lang  # type: ignore[attr-defined]
    gathered, _ = summary(year, lang)
    content = by_name(renderer, SUMMARIES).render(gathered, RenderOptions(lang))  # type: ignore[arg-type]
    assert isinstance(content, bytes)
    return attachment(content, f"{year}-{t(named, lang)}.{extension}", extension)


@bureau_only
def review_workbook(request: HttpRequest) -> HttpResponse:
    year, lang = _year(request), request.lang  # type: ignore[attr-defined]
    _, scored = summary(year, lang)
    rows = [(f, r, list(f.adjustments.filter(submission=f.submitted)), _audit(f, lang)) for f, r in scored]
    return attachment(review_list(rows, lang), f"{year}-{t('web.file.review', lang)}.xlsx", "xlsx")


def _audit(filing: Filing, lang: str) -> Audit | None:
    """What the 复核 page shows for the version handed in: its 自评表 audited (scorer/web/review.py)."""
    from scorer.web.intake import folder
    from scorer.web.review import review

    assert filing.submitted is not None
    return review(filing, filing.submitted, folder(), lang).audit


@bureau_only
def tables_zip(request: HttpRequest) -> HttpResponse:
    year, lang = _year(request), request.lang  # type: ignore[attr-defined]
    _, scored = summary(year, lang)
    own = [(f, own_result(f.submitted)) for f, _ in scored if f.submitted is not None]
    return attachment(tables_archive(own, lang), f"{year}-{t('web.file.tables', lang)}.zip", "zip")
