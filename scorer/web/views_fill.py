"""Filling the input workbook on the page (scorer/web/page_form.py): the form shows the workbook's open cells,
filled again from the last save (as typed, with its problems, even one that could not be read) or else from the
current version; what is sent becomes a workbook, kept and read like an upload."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from scorer.errors import Problem
from scorer.i18n import t
from scorer.web import blanks, library, page_form
from scorer.web.access import department_only
from scorer.web.forms import page_changes
from scorer.web.intake import keep, problems_of
from scorer.web.models import OPEN, PAGE, RETURNED, Filing, Submission
from scorer.web.stored import loads
from scorer.web.workflow import Refused, filing_for


def _given(filing: Filing) -> dict[str, object]:
    if filing.current is not None:
        data = loads(filing.current.inputs)
        if isinstance(data, dict):
            return data
    return {"department": filing.department.name, "year": filing.year}


def _last_saved(filing: Filing, lang: str) -> tuple[bytes, list[Problem], list[Problem]]:
    """The form as the clerk left it: the last version saved from the page, its values as typed (and why it
    could not be read, where it could not), unless a readable upload came after it; else the current version.
    With it, the rows it leaves without a score (scorer/web/blanks.py)."""
    latest = filing.versions.order_by("-number").first()
    if latest is not None and latest.kind == PAGE:
        typed = page_form.values(bytes(latest.content))
        blank = library.input_workbook(filing.year, lang, None)
        return page_form.filled(blank, typed, lang), problems_of(latest), blanks.notes(latest, lang)
    given = library.input_workbook(filing.year, lang, _given(filing))
    return given, [], blanks.notes(filing.current, lang)


def save_problem_lines(version: Submission, problems: list[Problem], lang: str) -> list[dict[str, str]]:
    """A save of the page form's problems at the form's rows and columns, on its version's page too."""
    typed = page_form.values(bytes(version.content))
    year = version.filing.year
    shown = page_form.sections(page_form.filled(library.input_workbook(year, lang, None), typed, lang), lang)
    return page_form.problem_lines(problems, shown, lang)


def _shown(request: HttpRequest, context: dict[str, object], content: bytes, problems: list[Problem],
           notes: list[Problem] = (), **more: object) -> HttpResponse:  # type: ignore[assignment]  # fmt: skip
    """The form for `content`, each problem (and each note of a row left blank) at the row and column of the
    form it is about."""
    lang = request.lang  # type: ignore[attr-defined]
    marked = page_form.field_names([p.location.line for p in (*problems, *notes)])
    shown = page_form.sections(content, lang, marked)
    context.update(sections=shown, problems=page_form.problem_lines(problems, shown, lang), on_form=True,
                   blank_notes=page_form.problem_lines(list(notes), shown, lang),
                   help=t("web.fill.help", lang).split("\n"), **more)  # fmt: skip
    return render(request, "score/fill.html", context)


@department_only
def fill(request: HttpRequest) -> HttpResponse:
    filing = filing_for(request.account.department, library.current_year())  # type: ignore[attr-defined]
    lang = request.lang  # type: ignore[attr-defined]
    context: dict[str, object] = {"filing": filing, "department": filing.department}
    if filing.status not in (OPEN, RETURNED) and request.method != "POST":
        context["refused"] = Refused("web.state.handed_in")
        return render(request, "score/fill.html", context)
    if request.method != "POST":
        content, problems, notes = _last_saved(filing, lang)
        return _shown(request, context, content, problems, notes, kept=bool(problems))
    posted = {name: value for name, value in request.POST.items() if "!" in name}
    content = page_form.filled(library.input_workbook(filing.year, lang, None), posted, lang)
    try:
        _, problems = keep(request, content, t("web.fill.filename"), "page", filing.department, filing.year,
                           False, page_changes(request.POST))  # fmt: skip
    except Refused as exc:  # what was typed stays on the page, unsaved, with why
        stale = exc.key == "web.state.changed"
        context.update(filing=Filing.objects.get(pk=filing.pk))
        return _shown(request, context, content, [], refused=Refused("web.fill.changed") if stale else exc)
    if not problems:
        return redirect("department")
    context.update(filing=Filing.objects.get(pk=filing.pk))
    return _shown(request, context, content, problems, kept=True)
