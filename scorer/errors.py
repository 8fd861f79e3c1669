"""Errors as data: every problem knows where it is (file, line, indicator, field).

The command line maps `UserError` to exit 1 and anything else to exit 3 (a bug).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from msgspec import Struct, field
from msgspec.structs import replace

from scorer.escape import one_line
from scorer.facts import Fact, Message, fact
from scorer.i18n import Worded, say

PathKey = tuple[str | int, ...]


def field_name(path: PathKey) -> str | None:
    """("deductions", 0, "reason") → "deductions[0].reason"."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text or None


class LineMap(Struct):
    """Where each key or list item stands: a path such as ("indicators", "budget_execution") → its line in a
    text file, or its cell ("指标!I7") in a workbook."""

    lines: dict[PathKey, int | str] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | str | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class Location(Struct, frozen=True):
    path: str = ""
    line: int | str | None = None  # a line number, or a workbook's sheet and cell ("指标!I7")
    indicator: str | None = None
    field: str | Message | None = None  # a key, or a workbook's column in the words of its header

    def prefix(self, lang: str | None = None) -> str:
        """`path:line: [indicator] field: ` — the form editors and CI annotations understand. The path and a
        workbook's sheet come from files: shown on one line, escaped, so that neither can forge a message. A
        column is named in `lang` (default: the current language)."""
        parts = []
        if self.path:
            path = one_line(self.path)
            parts.append(f"{path}:{one_line(str(self.line))}:" if self.line else f"{path}:")
        if self.indicator:
            parts.append(f"[{_short(self.indicator)}]")
        if self.field:
            parts.append(f"{_short(self.field if isinstance(self.field, str) else say(self.field, lang))}:")
        return " ".join(parts)


def _short(name: str) -> str:
    """A key as a message names it: a file may hold a key a megabyte long; the message quotes 60 characters."""
    return one_line(name if len(name) <= 60 else name[:57] + "...")


class Problem(Struct, frozen=True):
    """One thing wrong in one place, as data: what is wrong is a `Fact` (a catalogue key and its values), worded
    where it is shown, in the language chosen there (scorer/render/problems.py). `severity` is "error" or
    "warning"."""

    location: Location
    message: Message
    severity: str = "error"

    def __str__(self) -> str:
        """The problem on one line in the current language (for logs; the outputs word it in theirs)."""
        prefix = self.location.prefix()
        message = one_line(say(self.message))
        return f"{prefix} {message}" if prefix else message


class ScoreError(Exception):
    """Base of every error this package raises on purpose."""


class UserError(ScoreError):
    """A problem in a file the user wrote (inputs or rules). Carries one or more problems."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        """The problems in the current language, when a traceback or a log asks: the outputs word them in theirs."""
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def at(cls, location: Location, message: Message) -> UserError:
        return cls(Problem(location, message))


def did_you_mean(word: str, choices: Iterable[str]) -> Fact | None:
    """A ' (did you mean 'x'?)' suffix for the closest choice, or None. A word far longer than any name is no
    slip of the keyboard (and comparing it would take time in proportion to its length squared)."""
    if len(str(word)) > 100:
        return None
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return fact("hint.did_you_mean", word=close[0]) if close else None


def with_path(problem: Problem, path: str) -> Problem:
    return replace(problem, location=replace(problem.location, path=path))


class RulesNotFound(Worded):
    """`--rules` names neither a shipped year nor a rules folder (a usage error, not a file problem)."""
