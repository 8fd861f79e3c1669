"""A department's rows in the history database, checked to agree with each other as `score` wrote them
(scorer/batch/history.py: `Writer.add`): each value alone may be in range and still not be what was scored. The
indicators' rows are the result's indicators (the same ids, names, levels, weights, scores, points lost and
overrides as the result JSON stored beside them); each score is its weight less its points lost; the total is the
sum of the scores; the department's total, maximum, grade, rules and engine are the result JSON's. A row that
does not agree was changed by hand or by another program: a problem naming the table, the department, the year
and the column, never a wrong history.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from scorer.batch.history_db import HistoryConnection
from scorer.batch.history_schema import result_columns, scores_query, unpacked
from scorer.batch.history_values import Checked
from scorer.errors import Location, UserError
from scorer.facts import fact

_MISSING = object()
_ROW = (
    "SELECT rules_year, total, max, grade, engine_version, {result} FROM departments "
    "WHERE department = ? AND year = ? AND rules_digest = ?"
)
_SCORES = ("indicator", "name", "level1", "level2", "weight", "score", "lost", "overridden")


def check_agrees(path: Path, connection: HistoryConnection, name: str, year: int, digest: str) -> None:
    """Refuse the database unless the department's rows agree with each other and with its result JSON."""
    found = _ROW.format(result=result_columns(connection.version))
    row = connection.execute(found, (name, year, digest)).fetchone()
    scores = connection.execute(scores_query(connection.version, _SCORES), (name, year, digest)).fetchall()
    if row is None:
        return
    checked = Checked(path, "departments", name, year)
    rules_year, total, most, grade, engine, document, zdict = row
    result = _result(checked, document, zdict)
    total_ = checked.number(total, "total", Decimal(0))
    head = {
        ("department",): name,
        ("year",): Decimal(year),
        ("rules", "digest"): digest,
        ("rules", "year"): checked.text(rules_year, "rules_year"),
        ("total",): total_,
        ("max",): checked.number(most, "max", Decimal(0)),
        ("grade",): checked.text(grade, "grade"),
        ("engine", "version"): checked.text(engine, "engine_version"),
    }
    for keys, value in head.items():
        if _get(result, *keys) != value:
            _disagree(checked, keys[-1] if keys[0] != "rules" else f"rules_{keys[-1]}", value, "result_json")
    stated = _stated_indicators(checked, result)
    order = list(stated)
    summed = sum((_indicator(path, name, year, entry, stated) for entry in scores), Decimal(0))
    if stated:  # an indicator the result names has no row
        _disagree(
            Checked(path, "indicator_scores", name, year), "indicator", next(iter(stated)), "result_json"
        )
    listed = [entry[0] for entry in scores]
    if listed != order:  # the rows in another order than the result's: `score history` would list them so
        moved = next(ident for ident, stated_id in zip(listed, order, strict=True) if ident != stated_id)
        _disagree(Checked(path, "indicator_scores", name, year), "indicator", moved, "result_json")
    if summed != total_:
        _disagree(checked, "total", total, "indicator_scores.score")


def _indicator(path: Path, name: str, year: int, entry: tuple[Any, ...], stated: dict[str, Any]) -> Decimal:
    """One indicator row checked against itself and its entry in the result JSON (taken out of `stated`)."""
    checked = Checked(path, "indicator_scores", name, year)
    ident, title, level1, level2, weight, score, lost, overridden = entry
    weight_ = checked.number(weight, "weight", Decimal(0))
    score_ = checked.number(score, "score", Decimal(0), weight_)
    lost_ = checked.number(lost, "lost", Decimal(0), weight_)
    if isinstance(overridden, bool) or overridden not in (0, 1):
        checked.refuse("overridden", overridden)
    if score_ != weight_ - lost_:
        _disagree(checked, "score", score, "weight − lost")
    item = stated.pop(checked.text(ident, "indicator"), None)
    if item is None:
        _disagree(checked, "indicator", ident, "result_json")
    if (
        _get(item, "name") or ident
    ) != title:  # the row keeps the title: the name, or the id where there is none
        _disagree(checked, "name", title, "result_json")
    own = {"level1": level1, "level2": level2, "weight": weight_, "score": score_, "lost": lost_}
    for column, value in own.items():
        if _get(item, column) != value:
            _disagree(checked, column, value, "result_json")
    if _get(item, "overridden") is not bool(overridden):
        _disagree(checked, "overridden", overridden, "result_json")
    return score_


def _result(checked: Checked, document: object, zdict: object) -> dict[str, Any]:
    """The result JSON stored with the row (compressed from version 4 on), its numbers read exactly."""
    text = unpacked(document, zdict)
    try:
        result = json.loads(text, parse_float=Decimal, parse_int=Decimal) if text is not None else None
    except ValueError:
        result = None
    if not isinstance(result, dict):
        checked.refuse("result_json", text if text is not None else document)
    return result


def _stated_indicators(checked: Checked, result: dict[str, Any]) -> dict[str, Any]:
    """The result's indicators by id; a list that is not one, or names an id twice, is refused."""
    items = result.get("indicators")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        checked.refuse("result_json", "indicators")
    stated = {i.get("id"): i for i in items}
    if len(stated) != len(items):
        checked.refuse("result_json", "indicators")
    return stated


def _get(document: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(document, dict) or key not in document:
            return _MISSING
        document = document[key]
    return document


def _disagree(checked: Checked, column: str, value: object, other: str) -> NoReturn:
    shown = str(value)[:40]
    message = fact(
        "history.disagrees",
        table=checked.table,
        department=str(checked.department)[:40],
        year=str(checked.year)[:40],
        column=column,
        value=shown,
        other=other,
    )
    raise UserError.at(Location(str(checked.path)), message)
