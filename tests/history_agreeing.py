"""Tests that stage a history by editing a database (a batch moved to last year, a score lowered) keep its rows
agreeing as `score` writes them (scorer/batch/history_agree.py): each score its weight less its points lost, the
total the sum of the scores, the result JSON saying what the columns say."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from scorer.batch.history_schema import packed, unpacked
from scorer.numbers import to_json_number

ZDICT = "(SELECT zdict FROM dictionaries WHERE dictionaries.id = departments.zdict)"


def connect(db: object) -> sqlite3.Connection:
    """A connection to edit a history database by hand, with `packed(text, zdict)` and `unpacked(blob, zdict)`
    to edit the compressed result JSON (`SET result_json = packed(json_set(unpacked(result_json, …), …), …)`)."""
    connection = sqlite3.connect(db)  # type: ignore[arg-type]
    connection.create_function("packed", 2, lambda text, zdict: packed(text.encode(), zdict))
    connection.create_function("unpacked", 2, unpacked)
    return connection


def agree(connection: sqlite3.Connection, *, total_from_scores: bool = True) -> None:
    """Make every department's rows agree again after an edit: the points lost follow the scores; the total
    follows the scores, or (`total_from_scores=False`) the first indicators with the points to spare follow the
    total; the result JSON follows the columns."""
    rows = connection.execute(
        f"SELECT id, department, year, rules_digest, total, grade, result_json, {ZDICT} FROM departments"
    ).fetchall()
    for scoring, name, year, digest, total, grade, document, zdict in rows:
        scores = connection.execute(
            "SELECT i.indicator, s.weight, s.score FROM indicator_scores AS s JOIN indicators AS i "
            "ON i.id = s.indicator WHERE s.scoring = ? ORDER BY s.position",
            (scoring,),
        ).fetchall()
        points = {ident: [Decimal(weight), Decimal(score)] for ident, weight, score in scores}
        if total_from_scores:
            total = format(sum((s for _, s in points.values()), Decimal(0)), "f")
        else:
            _spread(points, sum((s for _, s in points.values()), Decimal(0)) - Decimal(total))
        result = json.loads(unpacked(document, zdict) or "")
        result.update(department=name, year=year, total=to_json_number(Decimal(total)), grade=grade)
        result["rules"]["digest"] = digest
        for position, item in enumerate(result["indicators"], start=1):
            weight, score = points[item["id"]]
            item.update(score=to_json_number(score), lost=to_json_number(weight - score))
            connection.execute(
                "UPDATE indicator_scores SET score = ?, lost = ? WHERE scoring = ? AND position = ?",
                (format(score, "f"), format(weight - score, "f"), scoring, position),
            )
        connection.execute(
            "UPDATE departments SET total = ?, result_json = ? WHERE id = ?",
            (total, packed(json.dumps(result, ensure_ascii=False).encode(), zdict), scoring),
        )


def _spread(points: dict[str, list[Decimal]], excess: Decimal) -> None:
    """Take `excess` points off the scores (or give them back, where negative), first indicators first."""
    for entry in points.values():
        weight, score = entry
        change = min(excess, score) if excess > 0 else max(excess, score - weight)
        entry[1] = score - change
        excess -= change
