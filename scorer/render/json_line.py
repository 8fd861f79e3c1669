"""A result's JSON Lines line written straight from the scores: each row's text is put together from pieces
(what the rubric fixes for the row, kept once; the score and what the row says, written by orjson) rather than
from a dict per row. `json_result.line_by_dict` is what it must equal, byte for byte (tests/test_json_line.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import orjson

from scorer.engine.result import MetricValue, NodeResult, Result
from scorer.engine.rows import Entry, Pending, entries
from scorer.escape import json_safe
from scorer.i18n import say
from scorer.numbers import to_json_number
from scorer.render.json_result import _MAY_ACT, _head, _target

_MAY_ACT_FOUND = re.compile(b"|".join(re.escape(lead) for lead in _MAY_ACT)).search  # one search in C
# What the rubric fixes for a row (id, names, weight) → its text up to the score: the same for every department.
_ROW_START: dict[tuple[str, str, str, str, Decimal], str] = {}
# A level's name and weight → its text up to its subtotal.
_NODE_START: dict[tuple[str, Decimal], str] = {}
# A score's text, by value: a batch writes the same few hundred numbers again and again.
_NUMBERS: dict[Decimal, str] = {}
_FLAGS = {(False, False): 'false,"clamped":false', (True, False): 'true,"clamped":false'}
_FLAGS.update({(False, True): 'false,"clamped":true', (True, True): 'true,"clamped":true'})


def write_line(result: Result, lang: str) -> str:
    """Contract 3 as one compact line, through `json_safe`: the head by orjson, then each row's kept or
    written text (a row the engine shares between departments is written once per language)."""
    head = _safe(orjson.dumps(_head(result, levels=False)))
    levels = ",".join([_node(level) for level in result.levels])
    rows = ",".join([_row_kept(entry, lang) for entry in entries(result.indicators)])
    return f'{head[:-1]},"levels":[{levels}],"indicators":[{rows}],"language":{_safe(orjson.dumps(lang))}}}'


def _node(node: NodeResult) -> str:
    """A level's object, as `json_result._node` makes it: its name and weight kept once, its score written."""
    key = (node.name, node.weight)
    start = _NODE_START.get(key)
    if start is None:
        start = _safe(orjson.dumps({"name": key[0], "weight": to_json_number(key[1])}))[:-1] + ',"score":'
        if len(_NODE_START) < 4096:  # a bound on what is kept, whatever rubrics a long-running process sees
            _NODE_START[key] = start
    if not node.children:
        return f"{start}{_number(node.score)}}}"
    children = ",".join([_node(child) for child in node.children])
    return f'{start}{_number(node.score)},"children":[{children}]}}'


def _safe(written: bytes) -> str:
    """orjson's bytes as text, through `json_safe` when some byte could start a character it escapes."""
    text = written.decode()
    return json_safe(text) if _MAY_ACT_FOUND(written) else text


def _row_kept(entry: Entry, lang: str) -> str:
    """A shared row's text kept with it; a compiled row's written from its scores (`Pending`), never built."""
    if type(entry) is Pending:
        return _row(entry, lang)
    kept: str = entry.derived.get(("line", lang), lambda: _row(entry, lang))  # type: ignore[union-attr]
    return kept


def _row(indicator: Entry, lang: str) -> str:
    """One row's object, its keys in the contract's order."""
    start = _row_start(indicator)
    reasons = _texts([say(reason, lang) for reason in indicator.reasons])
    notes = _texts([say(note, lang) for note in indicator.notes])
    listed, judged = indicator.metrics, indicator.targets  # each read once: a pending row works them out
    metrics = "[]" if not listed else _safe(orjson.dumps([_metric(m) for m in listed]))
    targets = "[]" if not judged else _safe(orjson.dumps([_target(t) for t in judged]))
    return (
        f'{start}{_number(indicator.score)},"lost":{_number(indicator.lost)},"reasons":{reasons}'
        f',"improvements":{_texts(indicator.improvements)}'
        f',"overridden":{_FLAGS[indicator.overridden, indicator.clamped]}'
        f',"notes":{notes},"metrics":{metrics},"targets":{targets}}}'
    )


def _row_start(indicator: Entry) -> str:
    if type(indicator) is Pending:  # kept with the compiled row: the same for every department
        start: str | None = indicator.kept.find("json start")
        if start is None:
            start = _start_of(indicator)
            indicator.kept.keep("json start", start)
        return start
    return _start_of(indicator)


def _start_of(indicator: Entry) -> str:
    key = (indicator.id, indicator.name, indicator.level1, indicator.level2, indicator.weight)
    start = _ROW_START.get(key)
    if start is None:
        fixed = {"id": key[0], "name": key[1], "level1": key[2], "level2": key[3]}
        fixed["weight"] = to_json_number(key[4])  # type: ignore[assignment]  # a number among the names
        start = _safe(orjson.dumps(fixed))[:-1] + ',"score":'
        if len(_ROW_START) < 4096:  # a bound on what is kept, whatever rubrics a long-running process sees
            _ROW_START[key] = start
    return start


def _number(value: Decimal) -> str:
    text = _NUMBERS.get(value)
    if text is None:
        text = orjson.dumps(to_json_number(value)).decode()
        if len(_NUMBERS) < 4096:  # a bound on what is kept, whatever a batch scores
            _NUMBERS[value] = text
    return text


def _texts(texts: list[str] | tuple[str, ...]) -> str:
    return "[]" if not texts else _safe(orjson.dumps(texts))


def _metric(metric: MetricValue) -> dict[str, Any]:
    value = None if metric.value is None else to_json_number(metric.value)
    return {"id": metric.id, "name": metric.name, "value": value, "unit": metric.unit}
