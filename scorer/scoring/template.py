"""Reason templates: text with `{name}` placeholders, and nothing else.

`str.format` would let a template reach `{x.__class__}` or `{x[0]}`; templates are parsed here instead, and a
placeholder may only be a plain name from the allowed set, with no conversion or format spec.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from scorer.model.problems import did_you_mean


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[tuple[str, str | None], ...]  # (literal text, placeholder name or None)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for _, name in self.parts if name)

    def render(self, values: Mapping[str, str]) -> str:
        return "".join(text + (values[name] if name else "") for text, name in self.parts)


def compile_template(source: str, allowed: set[str]) -> Template:
    try:
        pieces = list(string.Formatter().parse(source))
    except ValueError as exc:
        raise TemplateError(
            f"cannot read the template: {exc} (write '{{{{' or '}}}}' for a literal brace)"
        ) from None
    parts: list[tuple[str, str | None]] = []
    for text, name, spec, conversion in pieces:
        if name is None:
            parts.append((text, None))
            continue
        if not name.isidentifier():
            raise TemplateError(f"placeholder '{{{name}}}' must be a plain name (no '.', '[' or numbers)")
        if spec or conversion:
            raise TemplateError(f"placeholder '{{{name}}}' may not carry a format spec or conversion")
        if name not in allowed:
            raise TemplateError(f"unknown placeholder '{{{name}}}'{did_you_mean(name, allowed)}")
        parts.append((text, name))
    return Template(source, tuple(parts))
