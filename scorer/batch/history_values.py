"""Values read back from the history database, each checked against what `score` writes there: texts that are
texts, a year in the years rules are written for, numbers written as plain decimals ("9.88") within their bounds,
a score within its weight and a total within its maximum. A value that is not (`'abc'`, `1e308`, a total above the
maximum) was written by hand or by another program: a problem naming the file, the table, the row and the column,
never a crash or a wrong summary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.numbers import out_of_bounds

_DECIMAL = re.compile(r"\d+(\.\d+)?")  # as `format(value, "f")` writes a Decimal; none is below zero
_YEARS = range(2000, 3000)  # the years an inputs file and a rule file may name
_SHOWN = 40  # characters of a bad value quoted in the message


@dataclass(frozen=True)
class Checked:
    """One row read back: its table and the department and year it is of, for the message."""

    path: Path
    table: str
    department: object
    year: object

    def text(self, value: object, column: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.refuse(column, value)
        return value

    def year_of(self, value: object, column: str = "year") -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value not in _YEARS:
            self.refuse(column, value)
        return value

    def number(self, value: object, column: str, low: Decimal, high: Decimal | None = None) -> Decimal:
        """A plain decimal within [low, high]."""
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            self.refuse(column, value)
        number = Decimal(value)
        if format(number, "f") != value:  # "09.88", "-0": not the way score writes a number
            self.refuse(column, value)
        if out_of_bounds(number) or number < low or (high is not None and number > high):
            self.refuse(column, value)
        return number

    def scored_at(self, value: object, column: str = "scored_at") -> str:
        """A moment as score writes it (ISO 8601, with its time zone)."""
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.refuse(column, value)
        return str(value)

    def refuse(self, column: str, value: object) -> NoReturn:
        shown = value if isinstance(value, str) else repr(value)
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
        message = fact(
            "history.bad_value",
            table=self.table,
            department=str(self.department)[:_SHOWN],
            year=str(self.year)[:_SHOWN],
            column=column,
            value=shown,
        )
        raise UserError.at(Location(str(self.path)), message)
