"""The bureau's journey: every department with its status, each filing's 复核 (re-scored, audited, findings at
their rows), return with comments, 复核调整 with a reason, accept, uploads on a department's behalf, and the log.
Department accounts are refused every page here (`bureau_only`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scorer.web import library
from scorer.web.access import bureau_only, filings
from scorer.web.forms import AdjustForm, OnBehalfForm, ReturnForm, StepForm
from scorer.web.intake import folder, refused_before_reading, take
from scorer.web.models import OPEN, STATES, Department, Event, Filing
from scorer.web.review import review
from scorer.web.sheet import sheet
from scorer.web.views_files import problem_lines, version_rows
from scorer.web.workflow import Refused, accept, adjust, return_filing


def _year(request: HttpRequest) -> int:
    """The year asked for (`?year=`) when released rules cover it, else the latest released year."""
    asked = request.GET.get("year", "").strip()
    released = library.released_years()
    return (
        int(asked)
        if asked.isascii() and asked.isdigit() and int(asked) in released
        else library.current_year()
    )


@bureau_only
def overview(request: HttpRequest) -> HttpResponse:
    """Every department and where its filing for the year stands, filterable by status and name."""
    year = _year(request)
    status = request.GET.get("status", "")
    words = request.GET.get("q", "").strip()[:100]
    by_department = {f.department_id: f for f in Filing.objects.filter(year=year).select_related("submitted")}
    rows = []
    departments = Department.objects.order_by("name")
    if words:
        departments = departments.filter(Q(name__icontains=words) | Q(key__icontains=words))
    counts = dict.fromkeys((s for s, _ in STATES), 0)
    for department in departments:
        filing = by_department.get(department.pk)
        state = filing.status if filing is not None else OPEN
        counts[state] += 1
        if not status or state == status:
            rows.append({"department": department, "filing": filing, "status": state})
    context = {
        "year": year,
        "rows": rows,
        "status": status,
        "q": words,
        "counts": counts,
        "states": [s for s, _ in STATES],
    }
    return render(request, "score/overview.html", context)


def _indicator_rows(filing: Filing, lang: str) -> list[tuple[str, str]]:
    """The adjust form's 指标 choices, named as the 自评表 names them: the same on a form shown again after an error."""
    if filing.submitted is None or filing.submitted.rules_year is None:
        return []
    rules = library.rules_for(filing.submitted.rules_year)
    return [
        (i.id, f"{i.name_en if lang == 'en' and i.name_en else i.title}（{i.weight}）")
        for i in rules.indicators
    ]


def _steps(filing: Filing, lang: str, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    rows = _indicator_rows(filing, lang)
    initial = {"changes": filing.changes}
    forms = {
        "return_form": ReturnForm(initial=initial),
        "adjust_form": AdjustForm(initial=initial, rows=rows),
        "accept_form": StepForm(initial=initial),
    }
    forms.update(bound or {})
    return forms


def _review_page(request: HttpRequest, filing: Filing, **extra: Any) -> HttpResponse:
    lang = request.lang  # type: ignore[attr-defined]
    shown = filing.submitted or filing.current
    context: dict[str, Any] = {"filing": filing, "department": filing.department, "versions": version_rows(filing),
                               "shown": shown, "year": filing.year}  # fmt: skip
    if shown is not None:
        found = review(filing, shown, folder(), lang)
        context.update(
            review=found,
            sheet=sheet(found.checked, lang, own=found.own, findings=found.findings),
            adjustments=_named(
                filing.adjustments.filter(submission=shown).order_by("-made_at", "-id"), found, lang
            ),
        )
    context["log"] = Event.objects.filter(department=filing.department, year=filing.year)[:50]
    context.update(_steps(filing, lang, extra.pop("forms", None)))
    context.update(extra)
    return render(request, "score/review.html", context)


def _named(adjustments: Any, found: Any, lang: str) -> list[Any]:
    """Each adjustment with its row's name as the 自评表 shows it."""
    names = {i.id: (i.name_en if lang == "en" and i.name_en else i.title) for i in found.own.indicators}
    made = list(adjustments)
    for item in made:
        item.name = names.get(item.indicator, item.indicator)
    return made


@bureau_only
def filing_page(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _review_page(request, get_object_or_404(filings(request), pk=filing_id))


@bureau_only
@require_POST
def step(request: HttpRequest, filing_id: int, action: str) -> HttpResponse:
    """Return (with a comment), adjust (a row's score, with a reason) or accept the filing under review."""
    filing = get_object_or_404(filings(request), pk=filing_id)
    actor = request.user.get_username()
    rows = _indicator_rows(filing, request.lang)  # type: ignore[attr-defined]
    form = {"return": ReturnForm, "adjust": AdjustForm, "accept": StepForm}[action]
    bound = form(request.POST, rows=rows) if action == "adjust" else form(request.POST)
    if bound.is_valid() and action == "adjust":
        assert filing.submitted is not None and filing.submitted.rules_year is not None
        rules = library.rules_for(filing.submitted.rules_year)
        problem = library.adjustment_problem(
            rules, bound.cleaned_data["indicator"], bound.cleaned_data["score"]
        )
        if problem:
            bound.add_error("score", problem)
    if not bound.is_valid():
        return _review_page(request, filing, forms={f"{action}_form": bound})
    data = bound.cleaned_data
    try:
        if action == "return":
            return_filing(filing.pk, actor, data["comment"], data["changes"])
        elif action == "adjust":
            adjust(filing.pk, actor, data["indicator"], data["score"], data["reason"], data["changes"])
        else:
            accept(filing.pk, actor, data["changes"])
    except Refused as exc:
        return _review_page(request, Filing.objects.get(pk=filing.pk), refused=exc)
    return redirect("filing", filing_id=filing.pk)


@bureau_only
def on_behalf(request: HttpRequest) -> HttpResponse:
    """A workbook or 自评表 that reached the bureau by another route, kept and handed in for its department."""
    if request.method != "POST":
        return render(request, "score/on_behalf.html", {"form": OnBehalfForm()})
    form = OnBehalfForm(request.POST, request.FILES)
    file = request.FILES.get("file") if form.is_valid() else None
    problems = refused_before_reading(request, file) if form.is_valid() else []
    if not form.is_valid() or problems or file is None:
        return render(
            request, "score/on_behalf.html", {"form": form, "problems": problem_lines(problems, request.lang)}
        )  # type: ignore[attr-defined]
    department = form.cleaned_data["department"]
    try:
        version, problems = take(request, file, form.cleaned_data["kind"], department, None, on_behalf=True)
    except Refused as exc:
        return render(request, "score/on_behalf.html", {"form": form, "refused": exc})
    if problems:
        context = {"form": form, "problems": problem_lines(problems, request.lang), "kept": True}  # type: ignore[attr-defined]
        return render(request, "score/on_behalf.html", context)
    return redirect("filing", filing_id=version.filing_id)


@bureau_only
def log_page(request: HttpRequest) -> HttpResponse:
    events = Event.objects.select_related("department", "submission")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "score/log.html", {"page": page})
