"""Tests that stage a history by editing a database (a batch moved to last year, a score lowered) keep its rows
agreeing as `score` writes them (scorer/batch/history_agree.py): each score its weight less its points lost, the
total the sum of the scores, the result JSON saying what the columns say."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from scorer.numbers import to_json_number


def agree(connection: sqlite3.Connection, *, total_from_scores: bool = True) -> None:
    """Make every department's rows agree again after an edit: the points lost follow the scores; the total
    follows the scores, or (`total_from_scores=False`) the first indicators with the points to spare follow the
    total; the result JSON follows the columns."""
    rows = connection.execute(
        "SELECT rowid, department, year, rules_digest, total, grade, result_json FROM departments"
    ).fetchall()
    for rowid, name, year, digest, total, grade, document in rows:
        key = (name, year, digest)
        scores = connection.execute(
            "SELECT indicator, weight, score FROM indicator_scores WHERE department = ? AND year = ? "
            "AND rules_digest = ? ORDER BY rowid",
            key,
        ).fetchall()
        points = {ident: [Decimal(weight), Decimal(score)] for ident, weight, score in scores}
        if total_from_scores:
            total = format(sum((s for _, s in points.values()), Decimal(0)), "f")
        else:
            _spread(points, sum((s for _, s in points.values()), Decimal(0)) - Decimal(total))
        result = json.loads(document)
        result.update(department=name, year=year, total=to_json_number(Decimal(total)), grade=grade)
        result["rules"]["digest"] = digest
        for item in result["indicators"]:
            weight, score = points[item["id"]]
            item.update(score=to_json_number(score), lost=to_json_number(weight - score))
            connection.execute(
                "UPDATE indicator_scores SET score = ?, lost = ? WHERE department = ? AND year = ? "
                "AND rules_digest = ? AND indicator = ?",
                (format(score, "f"), format(weight - score, "f"), *key, item["id"]),
            )
        connection.execute(
            "UPDATE departments SET total = ?, result_json = ? WHERE rowid = ?",
            (total, json.dumps(result, ensure_ascii=False), rowid),
        )


def _spread(points: dict[str, list[Decimal]], excess: Decimal) -> None:
    """Take `excess` points off the scores (or give them back, where negative), first indicators first."""
    for entry in points.values():
        weight, score = entry
        change = min(excess, score) if excess > 0 else max(excess, score - weight)
        entry[1] = score - change
        excess -= change
