"""A quick check that a document surely meets a JSON Schema, so that a valid file needs no validator loaded.

`surely_valid` knows the few keywords the shipped schemas use (type, properties, additionalProperties,
required, enum, items, $ref within the schema, the bounds and lengths) and answers True only when the document
meets every one of them. Anything else (another keyword, a reference elsewhere, a value whose type it does not
decide with certainty, such as a decimal written as an integer "1.0") answers False, and the caller asks
jsonschema-rs, which decides and explains as before. True means valid; False means "ask the validator".
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

# Keywords that say nothing about validity (2020-12 annotations and the places definitions are kept).
_ANNOTATIONS = frozenset(
    {"$schema", "$defs", "$comment", "title", "description", "examples", "default", "deprecated"}
)
_MAX_REFERENCES = (
    64  # references followed without going deeper into the document: a cycle is left to jsonschema-rs
)


def surely_valid(schema: Any, data: Any) -> bool:
    return _valid(schema, data, schema, 0)


def _valid(schema: Any, value: Any, root: dict[str, Any], hops: int) -> bool:
    if schema is True:
        return True
    if not isinstance(schema, dict):
        return False
    for keyword, rule in schema.items():
        if keyword in _ANNOTATIONS or (keyword == "$id" and schema is root):
            continue
        check = _CHECKS.get(keyword)
        if check is None or not check(rule, value, schema, root, hops):
            return False
    return True


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite())


def _has_type(value: Any, name: Any) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "number":
        return _is_number(value)
    if name == "integer":  # a Decimal such as 1.0 is an integer to JSON Schema: left to jsonschema-rs
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "object":
        return isinstance(value, dict) and all(isinstance(key, str) for key in value)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    return False


def _type(rule: Any, value: Any, _schema: Any, _root: Any, _hops: int) -> bool:
    names = rule if isinstance(rule, list) else [rule]
    return any(_has_type(value, name) for name in names)


def _properties(rule: Any, value: Any, _schema: Any, root: Any, hops: int) -> bool:
    if not isinstance(value, dict):
        return True
    if not isinstance(rule, dict):
        return False
    return all(_valid(sub, value[name], root, 0) for name, sub in rule.items() if name in value)


def _additional(rule: Any, value: Any, schema: Any, root: Any, hops: int) -> bool:
    if not isinstance(value, dict):
        return True
    known = schema.get("properties", {})
    extra = [key for key in value if key not in known]
    if rule is False:
        return not extra
    return all(_valid(rule, value[key], root, 0) for key in extra)


def _required(rule: Any, value: Any, _schema: Any, _root: Any, _hops: int) -> bool:
    return not isinstance(value, dict) or (isinstance(rule, list) and all(key in value for key in rule))


def _enum(rule: Any, value: Any, _schema: Any, _root: Any, _hops: int) -> bool:
    if not isinstance(rule, list) or not (value is None or isinstance(value, str | bool | int)):
        return False
    return any(type(choice) is type(value) and choice == value for choice in rule)


def _items(rule: Any, value: Any, _schema: Any, root: Any, hops: int) -> bool:
    return not isinstance(value, list) or all(_valid(rule, item, root, 0) for item in value)


def _reference(rule: Any, value: Any, _schema: Any, root: Any, hops: int) -> bool:
    if not isinstance(rule, str) or not rule.startswith("#") or hops >= _MAX_REFERENCES:
        return False
    target: Any = root
    for part in rule[1:].split("/")[1:] if rule != "#" else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or key not in target or "%" in key:
            return False
        target = target[key]
    return _valid(target, value, root, hops + 1)


def _bound(holds: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Any, Any, int], bool]:
    def check(rule: Any, value: Any, _schema: Any, _root: Any, _hops: int) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return True
        if not _is_number(rule) and not (
            isinstance(rule, float) and rule == rule and abs(rule) != float("inf")
        ):
            return False
        return _is_number(value) and holds(value, rule)

    return check


def _length(holds: Callable[[int, int], bool], kind: type) -> Callable[[Any, Any, Any, Any, int], bool]:
    def check(rule: Any, value: Any, _schema: Any, _root: Any, _hops: int) -> bool:
        if not isinstance(value, kind):
            return True
        return isinstance(rule, int) and not isinstance(rule, bool) and holds(len(value), rule)  # type: ignore[arg-type]

    return check


_CHECKS: dict[str, Callable[[Any, Any, Any, Any, int], bool]] = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "enum": _enum,
    "items": _items,
    "$ref": _reference,
    "minimum": _bound(lambda value, limit: value >= limit),
    "maximum": _bound(lambda value, limit: value <= limit),
    "exclusiveMinimum": _bound(lambda value, limit: value > limit),
    "exclusiveMaximum": _bound(lambda value, limit: value < limit),
    "minLength": _length(lambda size, limit: size >= limit, str),
    "maxLength": _length(lambda size, limit: size <= limit, str),
    "minItems": _length(lambda size, limit: size >= limit, list),
    "maxItems": _length(lambda size, limit: size <= limit, list),
}
