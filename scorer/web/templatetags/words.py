"""`{% t "key" name=value %}`: a text from the project's catalogues (scorer/i18n), in the page's language.

Values from files and users (department names, reasons, comments) are data: control and bidi characters are
shown escaped (`\\x1b`, `\\u202e`), and Django escapes the whole text for HTML. `{{ value|shown }}` does the same
for a value on its own.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

from scorer.escape import visible
from scorer.i18n import language, t
from scorer.rounding import fmt

register = template.Library()


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if value is None:
        return ""
    return value


@register.simple_tag(name="t")
def words(key: str, **values: Any) -> str:
    return t(key, language(), **{name: _value(value) for name, value in values.items()})


@register.filter
def shown(value: Any) -> str:
    """A value as text: exact numbers as the form writes them, text from files with its controls escaped."""
    if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool):
        return fmt(value)
    if value is None:
        return ""
    return visible(str(value))


@register.filter
def signed(value: Decimal | None) -> str:
    """A change as the batch summary writes it: +0.88, −1.5, 0."""
    from scorer.batch.report.common import signed as written

    return written(value)
