"""Filling the input workbook on the page (scorer/web/page_form.py): the form shows the workbook's open cells,
pre-filled from the current version; what is sent becomes a workbook, kept and read like an upload."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from scorer.i18n import t
from scorer.web import library, page_form
from scorer.web.access import department_only
from scorer.web.forms import page_changes
from scorer.web.intake import keep
from scorer.web.models import OPEN, RETURNED, Filing
from scorer.web.stored import loads
from scorer.web.views_files import problem_lines
from scorer.web.workflow import Refused, filing_for


def _given(filing: Filing) -> dict[str, object]:
    if filing.current is not None:
        data = loads(filing.current.inputs)
        if isinstance(data, dict):
            return data
    return {"department": filing.department.name, "year": filing.year}


@department_only
def fill(request: HttpRequest) -> HttpResponse:
    filing = filing_for(request.account.department, library.current_year())  # type: ignore[attr-defined]
    lang = request.lang  # type: ignore[attr-defined]
    context: dict[str, object] = {"filing": filing, "department": filing.department}
    if filing.status not in (OPEN, RETURNED):
        context["refused"] = Refused("web.state.handed_in")
        return render(request, "score/fill.html", context)
    if request.method != "POST":
        context["sections"] = page_form.sections(
            library.input_workbook(filing.year, lang, _given(filing)), lang
        )
        return render(request, "score/fill.html", context)
    posted = {name: value for name, value in request.POST.items() if "!" in name}
    content = page_form.filled(library.input_workbook(filing.year, lang, None), posted, lang)
    try:
        _, problems = keep(request, content, t("web.fill.filename"), "page", filing.department, filing.year,
                           False, page_changes(request.POST))  # fmt: skip
    except Refused as exc:  # what was typed stays on the page, unsaved, with why
        stale = exc.key == "web.state.changed"
        context.update(filing=Filing.objects.get(pk=filing.pk), sections=page_form.sections(content, lang),
                       refused=Refused("web.fill.changed") if stale else exc)  # fmt: skip
        return render(request, "score/fill.html", context)
    if not problems:
        return redirect("department")
    marked = page_form.field_names([p.location.line for p in problems], lang)
    context.update(
        filing=Filing.objects.get(pk=filing.pk), sections=page_form.sections(content, lang, marked),
        problems=problem_lines(problems, lang), kept=True,
    )  # fmt: skip
    return render(request, "score/fill.html", context)
