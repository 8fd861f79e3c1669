"""A department's journey: this year's filing, the input workbook, an upload, the scored 自评表 with its warnings
and grade, the documents, and handing it in. A department account sees its own department only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from scorer.errors import Problem
from scorer.i18n import t
from scorer.render.problems import words
from scorer.web import blanks, library
from scorer.web.access import department_only
from scorer.web.forms import StepForm, UploadForm, page_changes
from scorer.web.intake import refused_before_reading, take
from scorer.web.models import OPEN, PAGE, RETURNED, Filing, Submission
from scorer.web.review import own_result
from scorer.web.sheet import sheet
from scorer.web.views_files import attachment, problem_lines, version_rows
from scorer.web.workflow import Refused, filing_for, submit


def _filing(request: HttpRequest) -> Filing:
    return filing_for(request.account.department, library.current_year())  # type: ignore[attr-defined]


def blank_lines(version: Submission | None, lang: str) -> list[dict[str, str]]:
    """The rows left without a score, each at its cell: the workbook's cell for an upload, the form's row and
    column for a save of the page form."""
    notes = blanks.notes(version, lang)
    if version is None or version.kind != PAGE:
        return problem_lines(notes, lang)
    column = t("workbook.score", lang)
    return [{"where": f"{n.location.indicator} · {column}:", "message": words(n, lang)} for n in notes]


def _page(request: HttpRequest, filing: Filing, problems: list[Problem] | None = None,
          refused: Refused | None = None, kept: bool = False) -> HttpResponse:  # fmt: skip
    """The filing's page; after a step that could not be taken, with what was wrong (a 200, as Django answers a
    form with errors: the browser shows it as any page)."""
    lang = request.lang  # type: ignore[attr-defined]
    current = filing.current
    blank = blanks.findings(current, lang)
    shown = sheet(own_result(current), lang, findings=blank) if current is not None else None
    context: dict[str, Any] = {
        "filing": filing,
        "department": filing.department,
        "current": current,
        "sheet": shown,
        "versions": version_rows(filing),
        "upload": UploadForm(),
        "step": StepForm(initial={"changes": filing.changes}),
        "can_change": filing.status in (OPEN, RETURNED),
        "problems": problem_lines(problems or [], lang),
        "refused": refused,
        "kept": kept,
        "blank_notes": blank_lines(current, lang),
    }
    return render(request, "score/department.html", context)


@department_only
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, _filing(request))


@department_only
def workbook(request: HttpRequest) -> HttpResponse:
    """The input workbook for this year, pre-filled with the current version's inputs where there is one."""
    filing = _filing(request)
    given = None
    if filing.current is not None and filing.current.kind != "table":
        from scorer.web.stored import loads

        given = loads(filing.current.inputs)
    else:
        given = {"department": filing.department.name, "year": filing.year}
    content = library.input_workbook(filing.year, request.lang, given)  # type: ignore[attr-defined]
    return attachment(content, f"{filing.year}-{filing.department.name}-自评输入.xlsx", "xlsx")


@department_only
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    filing = _filing(request)
    form = UploadForm(request.POST, request.FILES)
    file = request.FILES.get("file") if form.is_valid() else None
    problems = refused_before_reading(request, file)
    if problems or file is None:
        return _page(request, filing, problems)
    try:
        _, problems = take(
            request, file, "workbook", filing.department, filing.year, False, page_changes(request.POST)
        )
    except Refused as exc:
        return _page(request, Filing.objects.get(pk=filing.pk), refused=exc)
    if problems:
        return _page(request, Filing.objects.get(pk=filing.pk), problems, kept=True)
    return redirect("department")


@department_only
@require_POST
def hand_in(request: HttpRequest) -> HttpResponse:
    filing = _filing(request)
    form = StepForm(request.POST)
    expected = form.cleaned_data["changes"] if form.is_valid() else -1
    try:
        submit(filing.pk, request.user.get_username(), expected)
    except Refused as exc:
        return _page(request, Filing.objects.get(pk=filing.pk), refused=exc)
    return redirect("department")
