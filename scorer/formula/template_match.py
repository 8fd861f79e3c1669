"""A reason template read back: the text a template wrote, found again in a reason as a pattern whose
placeholders are numbers. Pure: no I/O."""

from __future__ import annotations

import re
import unicodedata

from scorer.facts import Template

NUMBER = r"[+-]?\d+(?:\.\d+)?"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalise(text: str) -> str:
    """Full-width digits and signs folded (９８．８８％ → 98.88%), thousands separators dropped."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))


def matcher(template: Template) -> re.Pattern[str]:
    """The template as a pattern: its words literally, its placeholders as numbers, any spacing between."""
    atoms: list[str] = []
    for literal, name in template.parts:
        atoms += [re.escape(word) for word in literal.split()]
        if name:
            atoms.append(rf"(?P<{name}>{NUMBER})")
    return re.compile(r"\s*".join(atoms))
