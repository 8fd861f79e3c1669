"""`{{ event|worded }}`: the log's details in the page's language (scorer/web/log_words.py)."""

from __future__ import annotations

from typing import Any

from django import template

from scorer.i18n import language
from scorer.web.log_words import worded as in_words

register = template.Library()


@register.filter
def worded(event: Any) -> list[str]:
    return in_words(event, language())
