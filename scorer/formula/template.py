"""Reason templates: text with `{name}` placeholders, and nothing else.

`str.format` would let a template reach `{x.__class__}` or `{x[0]}`; templates are parsed here instead, and a
placeholder may only be a plain name from the allowed set, with no conversion or format spec.
"""

from __future__ import annotations

import string

from scorer.errors import did_you_mean
from scorer.facts import Template, fact
from scorer.i18n import Worded


class TemplateError(Worded, ValueError):
    pass


def compile_template(source: str, allowed: set[str]) -> Template:
    try:
        pieces = list(string.Formatter().parse(source))
    except ValueError as exc:
        raise TemplateError(fact("template.unreadable", detail=str(exc))) from None
    parts: list[tuple[str, str | None]] = []
    for text, name, spec, conversion in pieces:
        if name is None:
            parts.append((text, None))
            continue
        if not name.isidentifier():
            raise TemplateError(fact("template.not_a_name", name=name))
        if spec or conversion:
            raise TemplateError(fact("template.spec_or_conversion", name=name))
        if name not in allowed:
            raise TemplateError(
                fact("template.unknown_placeholder", name=name, hint=did_you_mean(name, allowed))
            )
        parts.append((text, name))
    return Template(source, tuple(parts))
