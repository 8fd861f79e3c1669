"""A version's page and its downloads (the file as it came, the official 自评表, the 自评报告), for its own
department and the bureau only: each is looked up through `access.versions`, so another department's id is 404."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from scorer.errors import Problem
from scorer.i18n import t
from scorer.web import blanks, library
from scorer.web.access import signed_in, versions
from scorer.web.intake import problems_of
from scorer.web.models import PAGE, Filing, Submission
from scorer.web.review import checked_result, own_result
from scorer.web.sheet import sheet

TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
    "original": "application/octet-stream",
}
_UNSAFE = set('/\\:*?"<>|')


def safe_filename(text: str) -> str:
    """A name for a download: what a department wrote, without what a file system or a header cannot carry."""
    kept = "".join(
        "_" if c in _UNSAFE or unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text
    ).strip(" .")
    return kept[:150] or "download"


def attachment(content: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response


def problem_lines(problems: list[Problem], lang: str) -> list[dict[str, str]]:
    """Each problem as the page shows it, in the visitor's language: where (file, sheet and cell or line,
    indicator, field), and what."""
    from scorer.render.problems import ordered, words

    return [{"where": p.location.prefix(lang), "message": words(p, lang)} for p in ordered(problems, lang)]


def version_rows(filing: Filing) -> list[Submission]:
    return list(filing.versions.defer("content", "inputs").order_by("-number"))


def _version(request: HttpRequest, version_id: int) -> Submission:
    return get_object_or_404(versions(request), pk=version_id)


@signed_in
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    found = _version(request, version_id)
    lang = request.lang  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "version": found,
        "filing": found.filing,
        "department": found.filing.department,
    }
    if found.readable:
        context["sheet"] = sheet(own_result(found), lang, findings=blanks.findings(found, lang))
    elif found.kind == PAGE:  # saved from the page form: worded as the form the clerk saw
        from scorer.web.views_fill import save_problem_lines

        context["problems"] = save_problem_lines(found, problems_of(found), lang)
    else:
        context["problems"] = problem_lines(problems_of(found), lang)
    return render(request, "score/version.html", context)


@signed_in
def original(request: HttpRequest, version_id: int) -> HttpResponse:
    found = _version(request, version_id)
    return attachment(bytes(found.content), found.filename, "original")


@signed_in
def document(request: HttpRequest, version_id: int, name: str) -> HttpResponse:
    """The official 自评表 (xlsx) or the 自评报告 (docx) of a readable version. The bureau may ask for the 复核
    result (`?checked=1`): the version handed in, with its adjustments."""
    found = _version(request, version_id)
    if not found.readable or name not in ("xlsx", "docx"):
        raise Http404
    checked = request.GET.get("checked") == "1" and request.account.is_bureau  # type: ignore[attr-defined]
    result = checked_result(found.filing, found) if checked else own_result(found)
    content = library.document(result, name, request.lang)  # type: ignore[attr-defined]
    words = t("web.file.table" if name == "xlsx" else "web.file.report")
    return attachment(content, f"{result.year}-{result.department}-{words}-{found.number}.{name}", name)
