"""Problems in words: the one place a `Problem` (scorer/errors.py: a location, a message as data, a severity) is
put into words, in the language chosen where it is shown (`--lang`, a web visitor's language), however far it
travelled as data first (a batch worker sends problems back as facts).

Text from a file that a problem quotes (a path, a key, a name) is shown on one line and escaped here, whatever the
output, so that it can neither break a message in two nor act on the terminal that shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from scorer.errors import Location, Problem
from scorer.escape import one_line
from scorer.facts import key_of
from scorer.i18n import say


def words(problem: Problem, lang: str) -> str:
    """What is wrong, in `lang`, without its place."""
    return say(problem.message, lang)


def field_words(location: Location, lang: str) -> str | None:
    """The field a location names: a key as the file has it, or a workbook's column in `lang`."""
    field = location.field
    return field if field is None or isinstance(field, str) else say(field, lang)


def line(problem: Problem, lang: str) -> str:
    """`path:line: [indicator] field: message` on one line: the form editors and CI annotations understand."""
    prefix = problem.location.prefix(lang)
    message = one_line(words(problem, lang))
    return f"{prefix} {message}" if prefix else message


def as_dict(problem: Problem, lang: str) -> dict[str, object]:
    """A problem as JSON: its place, its severity, its catalogue key (None for what a file itself says) and
    its message in `lang`."""
    loc = problem.location
    return {
        "path": loc.path,
        "line": loc.line,
        "indicator": loc.indicator,
        "field": field_words(loc, lang),
        "severity": problem.severity,
        "message": words(problem, lang),
        "key": key_of(problem.message),
    }


def _place(problem: Problem) -> tuple[str, int | str]:
    return problem.location.path, problem.location.line or 0


def ordered(problems: Iterable[Problem], lang: str) -> list[Problem]:
    """The problems as the readers list them (in file order), those at one line in the order of their words in
    `lang`: a line's problems read alike in either language."""
    return [
        problem
        for _, same_line in groupby(problems, key=_place)
        for problem in sorted(same_line, key=lambda p: words(p, lang))
    ]


def lines(problems: Iterable[Problem], lang: str) -> list[str]:
    """Each problem on its line, in order."""
    return [line(problem, lang) for problem in ordered(problems, lang)]
