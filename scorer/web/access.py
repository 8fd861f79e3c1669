"""Who may see what, decided in one place: every page and download that takes an id from the URL looks it up
through `filings(request)` or `versions(request)`, which hold a department's account to its own department; an
id of another department's filing is then simply not found (404), whatever is typed into the address bar. The
bureau's pages are refused to department accounts (403), and every page to an account that is neither.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from scorer.web.models import BUREAU, DEPARTMENT, Account, Filing, Submission

View = Callable[..., HttpResponse]


def account(request: HttpRequest) -> Account | None:
    if not request.user.is_authenticated or not request.user.is_active:
        return None
    return Account.objects.select_related("department").filter(user=request.user).first()


def refused(request: HttpRequest, status: int = 403) -> HttpResponse:
    return render(request, "score/refused.html", {"status": status}, status=status)


def _role(role: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            found = account(request)
            if found is None or (role != "any" and found.role != role):
                return refused(request)
            if found.role == DEPARTMENT and found.department is None:
                return refused(request)
            request.account = found  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return guarded

    return decorate


bureau_only = _role(BUREAU)
department_only = _role(DEPARTMENT)
signed_in = _role("any")


def filings(request: HttpRequest) -> QuerySet[Filing]:
    """The filings this account may see: its own department's, or every one for the bureau."""
    found: Account = request.account  # type: ignore[attr-defined]
    everything = Filing.objects.select_related("department")
    return everything if found.is_bureau else everything.filter(department=found.department)


def versions(request: HttpRequest) -> QuerySet[Submission]:
    found: Account = request.account  # type: ignore[attr-defined]
    everything = Submission.objects.select_related("filing", "filing__department")
    return everything if found.is_bureau else everything.filter(filing__department=found.department)


class FirstPasswordMiddleware:
    """An account given a one-time password sees no page but the one that changes it."""

    OPEN = ("/password/", "/logout/", "/static/", "/login/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(self.OPEN):
            found = account(request)
            if found is not None and found.must_change_password:
                return redirect("password")
        return self.get_response(request)
