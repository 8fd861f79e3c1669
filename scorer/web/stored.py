"""The inputs a version states, kept as JSON data: exact numbers stay exact (a `Decimal` is written as its text
under a tag), so that scoring the stored inputs gives what scoring the file gave, without reading the file again.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

_TAG = "$decimal"  # no key of an inputs document begins with "$"


def _tagged(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_TAG: format(value, "f") if value.is_finite() else str(value)}
    raise TypeError(f"{type(value).__name__} is not inputs data")


def _untagged(item: dict[str, Any]) -> Any:
    if len(item) == 1 and _TAG in item and isinstance(item[_TAG], str):
        return Decimal(item[_TAG])
    return item


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_tagged, sort_keys=False)


def loads(text: str) -> Any:
    return json.loads(text, object_hook=_untagged, parse_float=Decimal)
