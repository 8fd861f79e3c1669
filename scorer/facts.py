"""What `score` says, as data: a renderer puts it into words in the chosen language.

Three kinds, so that nothing a person wrote is ever translated and nothing `score` says is fixed to one
language:

- `Fact`: something `score` itself says, by its catalogue key and its values (numbers stay exact numbers);
- `Said`: text a department, an evaluator or a rule file wrote, shown verbatim in every language;
- `RuleReason`: a rule file's reason template, in the languages the file gives, with the values to fill it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from msgspec import Struct


class Template(Struct, frozen=True):
    """A rule file's reason template, parsed (by scorer/formula/template.py): literal text and placeholders."""

    source: str
    parts: tuple[tuple[str, str | None], ...]  # (literal text, placeholder name or None)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for _, name in self.parts if name)

    def render(self, values: Mapping[str, str]) -> str:
        return "".join(text + (values[name] if name else "") for text, name in self.parts)


class Fact(Struct, frozen=True):
    key: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def named(self) -> dict[str, object]:
        return dict(self.values)


class Said(Struct, frozen=True):
    text: str


class RuleReason(Struct, frozen=True):
    templates: tuple[tuple[str, Template], ...]  # (language, template); the first is the rule file's own
    values: tuple[tuple[str, str], ...]  # placeholders, already written as the tables print numbers

    def template(self, language: str) -> Template:
        return dict(self.templates).get(language, self.templates[0][1])


class Joined(Struct, frozen=True):
    """Messages said one after the other, as one (a message and its hint, a name and its "did you mean"):
    worded as the concatenation of its parts' words, each in the same language."""

    parts: tuple[Fact | Said | RuleReason | Joined, ...]


Message = Fact | Said | RuleReason | Joined


def fact(key: str, /, **values: str | int | Decimal | Fraction | Message | None) -> Fact:
    return Fact(key, tuple(values.items()))


def joined(*parts: Message | str | None) -> Message:
    """The parts as one message; a plain text among them is what a file or the user wrote (a `Said`), and
    empty parts (None, "") are left out."""
    kept = tuple(
        said(part) if isinstance(part, str) else part for part in parts if part is not None and part != ""
    )
    return kept[0] if len(kept) == 1 else Joined(kept)


def separated(separator: Message, parts: Iterable[Message]) -> Message:
    """The parts with the separator between each two ("a or b or c", "a、b")."""
    listed = list(parts)
    return joined(
        *[piece for i, part in enumerate(listed) for piece in ((separator, part) if i else (part,))]
    )


def key_of(message: Message) -> str | None:
    """The catalogue key a message is known by: its own, or its first part's; None for what a person wrote."""
    if isinstance(message, Fact):
        return message.key
    if isinstance(message, Joined):
        return next((k for k in map(key_of, message.parts) if k is not None), None)
    return None


def said(text: str) -> Said:
    return Said(text)


def rule_reason(templates: Mapping[str, Template], values: Mapping[str, str]) -> RuleReason:
    return RuleReason(tuple(templates.items()), tuple(values.items()))
