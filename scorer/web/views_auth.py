"""Signing in and out, the first password change, the style sheet, and the pages for errors: every error a
browser can meet is a page in the user's language, never the server's own."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from scorer.i18n import t
from scorer.web.access import account
from scorer.web.workflow import log

STYLE = Path(__file__).resolve().parent / "static" / "score" / "style.css"


def home(request: HttpRequest) -> HttpResponse:
    found = account(request)
    if found is None:
        return redirect("login") if not request.user.is_authenticated else _page(request, 403)
    return redirect("bureau" if found.is_bureau else "department")


class Login(auth.LoginView):
    template_name = "score/login.html"
    redirect_authenticated_user = True

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["username"].label = t("web.login.login")
        form.fields["password"].label = t("web.login.password")
        form.error_messages["invalid_login"] = t("web.login.invalid")
        form.error_messages["inactive"] = t("web.login.invalid")
        return form


class Logout(auth.LogoutView):
    next_page = reverse_lazy("login")


class PasswordChange(auth.PasswordChangeView):
    template_name = "score/password.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        found = account(self.request)
        if found is not None:
            found.must_change_password = False
            found.save(update_fields=["must_change_password"])
            log(self.request.user.get_username(), "password_change", found.department)
        return response


@require_GET
def style(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_style(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "max-age=3600"
    return response


@cache
def _style() -> bytes:
    return STYLE.read_bytes()


def _page(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "score/refused.html", {"status": status}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that has expired (or from elsewhere): say so, and how to go on."""
    return render(request, "score/refused.html", {"status": 403, "expired": True}, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)
