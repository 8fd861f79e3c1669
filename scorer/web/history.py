"""Last year from the bureau's history database (`score serve --history 历史.sqlite`, or SCORE_HISTORY for a WSGI
server): the ranking's 比上年 for a department whose earlier year is not in the workplace itself.

The file is the one `score batch --db` writes and `score history import` fills with last year's printed 自评表. It
is opened read-only for each summary, and refused unless it is ours (scorer/batch/history_db.py) — at start-up,
naming the file, and on a page as a note under the ranking, never as a crash or a silent empty column.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scorer.errors import UserError

VARIABLE = "SCORE_HISTORY"


def history_path() -> Path | None:
    named = os.environ.get(VARIABLE, "").strip()
    return Path(named) if named else None


def check(path: Path) -> Path:
    """The database, opened once and closed: refused (UserError, naming it) unless it is a history of ours."""
    from scorer.batch.history_db import open_for_reading

    open_for_reading(path).close()
    return path.resolve()


class LastYears:
    """Each department's latest earlier year in the history database, for one summary; `problem` says why the
    database could not be read ("" when it could, or when there is none)."""

    def __init__(self, reader: Any, problem: str, lang: str):
        self.reader, self.problem, self.lang = reader, problem, lang

    def previous(self, result: Any) -> Any:
        if self.reader is None:
            return None
        try:
            return self.reader.previous(result)
        except UserError as exc:
            self.reader, self.problem = None, _said(exc, self.lang)
            return None


@contextmanager
def last_years(lang: str) -> Iterator[LastYears]:
    """The history database of `score serve --history`, read-only for the length of one summary."""
    path = history_path()
    if path is None:
        yield LastYears(None, "", lang)
        return
    from scorer.batch.history import Writer
    from scorer.batch.history_db import open_for_reading

    try:
        connection = open_for_reading(path)
        reader = Writer(connection, lang)
    except UserError as exc:
        yield LastYears(None, _said(exc, lang), lang)
        return
    try:
        yield LastYears(reader, "", lang)
    finally:
        connection.close()


def _said(exc: UserError, lang: str) -> str:
    from scorer.render.problems import line

    return "\n".join(line(problem, lang) for problem in exc.problems)
