"""Contract 3 of the design: the JSON result. Keys may be added, never renamed."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from scorer.engine.result import IndicatorResult, NodeResult, Result
from scorer.escape import json_safe
from scorer.i18n import say
from scorer.kinds.targets.model import TargetOutcome
from scorer.numbers import completion_shown, to_json_number
from scorer.render.options import RenderOptions


def as_dict(result: Result, lang: str = "zh") -> dict[str, Any]:
    """Contract 3. Names and grades stay as the rule files print them; reasons and notes are in `lang`."""
    return {
        **_head(result),
        "indicators": [_indicator(i, lang) for i in result.indicators],
        "language": lang,
    }


def _head(result: Result, levels: bool = True) -> dict[str, Any]:
    """Contract 3 up to its indicators, in its key order (without `levels`, its last key, when they are written
    apart: render/json_line.py)."""
    upward = result.next_band
    return {
        "department": result.department,
        **({"project": result.profile.project} if result.form == "project" else {}),  # a project's own name
        "year": result.year,
        "rules": {
            "year": str(result.rules_year),
            "digest": result.rules_digest,
            "id": result.rules_id,
            "provisional": result.rules_provisional,  # its sources are not recorded yet
            "under_earlier_year": result.under_earlier_year,  # the department's year has no rubric
            "partly_encoded": result.rules_partly_encoded,  # some row scored only by an evaluator's entry
        },
        "engine": {"name": "rubric-scorer", "version": result.engine_version},
        "units": result.units,
        "budget": {k: to_json_number(v) for k, v in result.budget.items()},
        "total": to_json_number(result.total),
        "max": to_json_number(result.max),
        "grade": result.grade or None,  # null: the rubric declares no grades
        "next_grade": None
        if upward is None
        else {"grade": upward[0], "points_needed": to_json_number(upward[1])},
        **({"levels": [_node(level) for level in result.levels]} if levels else {}),
    }


def as_line(result: Result, lang: str = "zh") -> str:
    """One line of JSON Lines: `as_dict(result, lang)` written compactly (no space after `,` or `:`) through
    `json_safe`, straight from the scores (`render/json_line.py`), byte for byte `line_by_dict`."""
    from scorer.render.json_line import write_line  # only a batch writes JSON Lines

    return write_line(result, lang)


def line_by_dict(result: Result, lang: str = "zh") -> str:
    """What `as_line` writes, by way of the contract's dict: `as_dict(result, lang)` by orjson (the standard
    library's writer takes ten times as long over a result's 10 KB)."""
    data = _head(result)
    data["indicators"] = [_indicator(i, lang) for i in result.indicators]
    data["language"] = lang
    return _compact(data)


# The UTF-8 lead bytes of every character `json_safe` escapes (and of some it leaves, such as “ and —): a line
# with none of them, as most are, is searched for them in C rather than scanned by the pattern.
_MAY_ACT = (b"\x7f", b"\xc2", b"\xd8\x9c", b"\xe2\x80", b"\xe2\x81", b"\xef\xbb\xbf")


def _compact(data: dict[str, Any]) -> str:
    """`data` as compact JSON text, through `json_safe`."""
    import orjson  # only a batch writes JSON Lines: kept off the start of every other command

    written: bytes = orjson.dumps(data)
    text = written.decode()
    return json_safe(text) if any(lead in written for lead in _MAY_ACT) else text


def render(result: Result, options: RenderOptions) -> str:
    return json_safe(json.dumps(as_dict(result, options.lang), ensure_ascii=False, indent=2)) + "\n"


def _node(node: NodeResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": node.name,
        "weight": to_json_number(node.weight),
        "score": to_json_number(node.score),
    }
    if node.children:
        data["children"] = [_node(child) for child in node.children]
    return data


def _indicator(indicator: IndicatorResult, lang: str) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "name": indicator.name,
        "level1": indicator.level1,
        "level2": indicator.level2,
        "weight": to_json_number(indicator.weight),
        "score": to_json_number(indicator.score),
        "lost": to_json_number(indicator.lost),
        "reasons": [say(reason, lang) for reason in indicator.reasons],
        "improvements": list(indicator.improvements),
        "overridden": indicator.overridden,
        "clamped": indicator.clamped,
        "notes": [say(note, lang) for note in indicator.notes],
        "metrics": [
            {"id": m.id, "name": m.name, "value": _maybe(m.value), "unit": m.unit} for m in indicator.metrics
        ],
        "targets": [_target(t) for t in indicator.targets],
    }


def _maybe(value: Decimal | None) -> int | float | None:
    return None if value is None else to_json_number(value)


def _target(target: TargetOutcome) -> dict[str, Any]:
    return {
        "name": target.name,
        "target": target.target,
        "actual": target.actual,
        "met": target.met,
        "completion": to_json_number(completion_shown(target.completion, target.met)),  # a ratio, 4 places
        "judged": target.judged,
        "category": target.category,
        "reason": target.reason,
    }
