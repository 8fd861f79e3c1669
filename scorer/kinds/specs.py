"""What an indicator declares beyond its 2022 kind (`KindRules`: a declared kind's spec, its gates and
not-applicable rules), where a part stands (`where`), and the shapes every spec uses (`Path`, `Texts`). Each
kind's own spec is in its module (scorer/kinds/<name>.py); what the declared kinds share is in kinds/parts.py.

Each part remembers `path`: where it stands in its rule file (for lint's file and line). Texts a rule file writes
for a part are `Texts`: compiled reason templates by language ("zh" first, the file's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct, field

from scorer.facts import Template

Path = tuple[str | int, ...]
Texts = tuple[tuple[str, Template], ...]  # (language, template); empty when the file gives none

if TYPE_CHECKING:
    from scorer.kinds.parts import Condition, Spec


class KindRules(Struct, frozen=True):
    """What an indicator declares beyond the 2022 kinds; empty for a plain formula, deductions or targets row."""

    spec: Spec | None = None
    conditions: tuple[Condition, ...] = field(default=())  # not-applicable first, then gates, as declared


def where(path: Path) -> str:
    """A part's place in its rule file, as lint and coverage name it: ("bands", "items", 2) → bands.items[2]."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
