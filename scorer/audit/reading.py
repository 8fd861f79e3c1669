"""What the audit could not read, said as such, so that a table is never called consistent for what it was not read.

A single cell the reader could not take as the table shows it (a number with words around it, a formula Excel never
computed, a value hidden under a merged cell or in a hidden row) is a `Doubt`: a fault at that cell. A table read
only in part (a garbled or OCR copy, another form, the wrong year's rules: many rows that name no indicator, many
indicators not found, no total, many cells with characters lost in copying or meant as numbers but not read as
any) is one reading problem: the file is refused with a message saying what could not be read and where, not
audited into a list of the department's errors. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorer.audit.model import SubmittedTable, TableRow
from scorer.errors import Location, UserError
from scorer.facts import Message, fact, joined, said, separated
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.grid import GARBLED, NOT_A_NUMBER, Doubt, Where

SHOWN = 5  # places named in the message; the rest are counted


def refuse_if_read_in_part(
    table: SubmittedTable, rules: RuleSet, matched: Sequence[tuple[TableRow, Indicator | None]]
) -> None:
    """Refuse a table read only in part, with one message naming what could not be read."""
    unmatched = [row.where for row, indicator in matched if indicator is None]
    found = {indicator.id for _, indicator in matched if indicator is not None}
    missing = [indicator for indicator in rules.indicators if indicator.id not in found]
    garbled = [d.where for d in _all_doubts(table) if d.why == GARBLED]
    unclear = [d.where for d in _all_doubts(table) if d.why == NOT_A_NUMBER]
    no_total = table.total is None and not any(d.field == "form.total" for d in table.doubts)
    rows = len(table.rows)
    in_part = (
        no_total
        or 2 * len(missing) > len(rules.indicators)
        or (len(unmatched) >= 3 and 4 * len(unmatched) >= rows)
        or len(garbled) >= 3
        or len(unclear) + len(garbled) >= max(5, rows // 4)
    )
    if not in_part:
        return
    what = []
    if unmatched:
        what.append(
            fact(
                "audit.read.part.rows",
                count=len(unmatched),
                rows=rows,
                year=rules.year,
                places=_places(unmatched),
            )
        )
    if missing:
        what.append(fact("audit.read.part.missing", count=len(missing), total=len(rules.indicators)))
    if no_total:
        what.append(fact("audit.no_total"))
    if garbled:
        what.append(fact("audit.read.part.garbled", count=len(garbled), places=_places(garbled)))
    if unclear:
        what.append(fact("audit.read.part.numbers", count=len(unclear), places=_places(unclear)))
    first = (unmatched or garbled or unclear or [table.total_at or table.header_at])[0]
    raise UserError.at(
        Location(table.path, first),
        fact("audit.read.partly", what=separated(fact("audit.read.semicolon"), what)),
    )


def _all_doubts(table: SubmittedTable) -> list[Doubt]:
    return [*table.doubts, *(d for row in table.rows for d in row.doubts)]


def _places(places: list[Where]) -> Message:
    """The first few places: "lines 13, 14, 17, …" in a text table, "自评表!E14, 自评表!E15" in a workbook."""
    comma = fact("audit.read.comma")
    more = (comma, said("…")) if len(places) > SHOWN else ()
    shown = joined(separated(comma, (said(str(place)) for place in places[:SHOWN])), *more)
    return fact("audit.read.lines", lines=shown) if isinstance(places[0], int) else shown
