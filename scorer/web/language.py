"""Which language a page speaks, and the headers every page carries.

Chinese unless the user asked for English: `?lang=en` (a link on every page) sets a cookie, and each request is
then answered, and every upload read, in that language. Django's own words (its form errors) follow along. The
browser's Accept-Language is not consulted: an office PC's browser often says English on a Chinese desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from scorer.i18n import speaking

COOKIE = "score_lang"
DJANGO_CODES = {"zh": "zh-hans", "en": "en"}
# Pages fetch nothing from elsewhere and run no script: the charts are inline SVG, the style one file.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def chosen(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or request.COOKIES.get(COOKIE) or "zh"
    return asked if asked in DJANGO_CODES else "zh"


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = chosen(request)
        request.lang = lang  # type: ignore[attr-defined]
        with translation.override(DJANGO_CODES[lang]), speaking(lang):
            response = self.get_response(request)
        if request.GET.get("lang") in DJANGO_CODES:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response


class PolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("Cache-Control", "no-store")  # pages hold a department's figures
        return response


def context(request: HttpRequest) -> dict[str, Any]:
    """What every template is given: the language, and the account's role and department."""
    user = getattr(
        request, "user", None
    )  # none yet when the request was refused early (a forged Host header)
    account = getattr(user, "account", None) if user is not None and user.is_authenticated else None
    return {
        "lang": getattr(request, "lang", "zh"),
        "html_lang": "zh-CN" if getattr(request, "lang", "zh") == "zh" else "en",
        "account": account,
    }
