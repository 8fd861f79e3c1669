"""Two languages, one catalogue each: `zh.po` and `en.po` beside this file (standard gettext catalogues,
compiled to `<lang>.json` by `python -m scorer.i18n.compile`: each key and its text, read at a start in a
fraction of the time gettext takes to parse a `.mo`).

Every message `score` writes has a key in both catalogues; `t(key, **values)` writes it in the chosen language
and `say(message)` writes a `Fact`, `Said` or `RuleReason` (see scorer/facts.py). The language is
`--lang`, else `SCORE_LANG`, else English where the locale names it (`en_*`), else Chinese: a clerk's PC
with no locale set (Windows sets none of these variables), or a C/POSIX locale, gets Chinese. What departments and rule files
wrote is never translated.

The readers and checks say each problem as data (`fact(key, …)`); it is worded where it is shown, in the language
chosen there (scorer/render/problems.py). This module depends only on the leaves `scorer.facts` and
`scorer.rounding`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from scorer.facts import Fact, Joined, Message, RuleReason, Said
from scorer.rounding import fmt

LANGUAGES = ("zh", "en")
_HERE = Path(__file__).resolve().parent
# The chosen language, per thread (and per asyncio task): a web server answers each request in its user's language
# while other requests are read and worded in theirs. A new thread starts unset, i.e. from SCORE_LANG or the locale.
_current: ContextVar[str | None] = ContextVar("score_language", default=None)


def choose(explicit: str | None = None) -> str:
    """The language: the one asked for, else SCORE_LANG, else English if the locale names it, else Chinese.

    The documents are Chinese forms, so English is had only by asking: the first locale variable set (in POSIX
    order) must start with `en`. An unset locale, `C`/`POSIX` and Windows (which sets none of them) give Chinese.
    An unknown language asked for explicitly is an error; an unknown SCORE_LANG (a setting made long ago, for
    other programs perhaps) is passed over like an unset one."""
    if explicit:
        return normalise(explicit)
    wanted = os.environ.get("SCORE_LANG", "")
    if wanted.strip().lower()[:2] in LANGUAGES:
        return normalise(wanted)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.strip().lower().startswith("en") else "zh"
    return "zh"


def normalise(language: str) -> str:
    code = language.strip().lower().replace("-", "_")
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {language!r} (zh or en)")


def set_language(language: str | None) -> str:
    chosen = choose(language)
    _current.set(chosen)
    return chosen


def language() -> str:
    chosen = _current.get()
    return chosen if chosen is not None else set_language(None)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages built inside the block are in `lang`; the language chosen before is back after it."""
    token = _current.set(normalise(lang))
    try:
        yield
    finally:
        _current.reset(token)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The compiled catalogue `<lang>.json`: each key's text."""
    texts: dict[str, str] = json.loads((_HERE / f"{lang}.json").read_bytes())
    return texts


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message `key` in `lang` (default: the chosen language), its {placeholders} filled with `values`."""
    lang = lang or language()
    text = catalogue(lang).get(key, key)  # the key itself where the catalogue lacks it
    if not values:
        return text
    if lang == "en" and " points" in text:
        text = _singular(text, values)
    return text.format_map({name: _word(value, lang) for name, value in values.items()})


def _singular(text: str, values: dict[str, object]) -> str:
    """English counts its points: "{points} points" reads "1 point" when the number is one (Chinese 分 has no
    plural). The catalogue keeps one wording; the number decides here."""
    for name, value in values.items():
        one = (
            value in (1, -1)
            if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool)
            else isinstance(value, str) and value.strip() in ("1", "-1")
        )
        if one:
            text = text.replace(f"{{{name}}} points", f"{{{name}}} point")
    return text


def say(message: Message | str, lang: str | None = None) -> str:
    """A message in words: a Fact from the catalogue, a Said verbatim, a RuleReason from its template."""
    lang = lang or language()
    if isinstance(message, str):
        return message
    if isinstance(message, Said):
        return message.text
    if isinstance(message, RuleReason):
        return message.template(lang).render(dict(message.values))
    if isinstance(message, Joined):
        return "".join(say(part, lang) for part in message.parts)
    return t(message.key, lang, **message.named)


class Worded(Exception):
    """An exception that says what went wrong as data (`fact`: a `Fact`, `Said` or `Joined`), worded where it
    is shown; `str()` words it in the current language, for logs and tracebacks only."""

    def __init__(self, fact: Message):
        super().__init__(fact)
        self.fact = fact

    def __str__(self) -> str:
        return say(self.fact)


def _word(value: object, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool):
        return fmt(value)
    if isinstance(value, Fact | Said | RuleReason | Joined):
        return say(value, lang)
    return str(value)
