"""Whether a document plainly fits a shipped JSON Schema, decided without loading a validator.

A warm `score run` reads documents that are valid: the inputs file and, from the rules cache, the rule files'
documents, which are checked again on every read. jsonschema-rs decides the rest and words every message
(`sources/schema.py`), but loading it and compiling its validators costs more than the rest of such a run's
checks. So the few keywords the shipped schemas use are applied here, as JSON Schema 2020-12 defines them, to
the plain values a reader makes (dicts with text keys, lists, text, booleans, None, int and finite `Decimal`):
`fits` is True only where the document surely is valid. Anything else (a keyword not listed below, a value of
another type, text that is not valid Unicode, a number where an integer is asked that is not an int, a pattern
beyond plain character classes, text ending a line where a pattern's `$` would differ) is not decided here and
goes to jsonschema-rs, as does every document that does not fit: what a user is told never comes from here.
`tests/test_schema_fits.py` holds the two to the same answer on generated documents of every shipped schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

Schema = Any  # a schema node: a mapping of keywords, or True / False
Documents = Callable[[str], "dict[str, Any] | None"]  # a shipped schema by its file name, for a `$ref` to it

# Words that say nothing about validity (annotations, and definitions reached only through `$ref`).
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
# The patterns read the same by Python's `re` as by ECMA-262: anchors, groups, alternatives, quantifiers and
# character classes of plain ASCII letters and digits (no escapes, no dot, no flags).
_PLAIN_PATTERN = re.compile(r"[\^$\[\]a-zA-Z0-9_\-/(){},*?+|]*")


class _Undecided(Exception):
    """What jsonschema-rs is to decide."""


def fits(schema: Schema, data: Any, documents: Documents) -> bool:
    """True when `data` is valid against `schema` (whose `$ref`s to another file `documents` finds); False when
    it is not, or when that is not decided here."""
    try:
        _plain(data)
        return _Check(schema, documents).valid(schema, data)
    except (_Undecided, RecursionError):
        return False


def _plain(data: Any) -> None:
    """Only values that JSON has, as a reader makes them: else undecided (jsonschema-rs refuses some itself)."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            for key in value:
                if type(key) is not str or not _unicode(key):
                    raise _Undecided
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind is str:
            if not _unicode(value):
                raise _Undecided
        elif kind is Decimal:
            if not value.is_finite():
                raise _Undecided
        elif not (kind is int or kind is bool or value is None):
            raise _Undecided


def _unicode(text: str) -> bool:
    """Text of Unicode scalar values (no unpaired surrogate, which UTF-8 cannot carry)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is Decimal


def _bound(limit: Any) -> Any:
    if type(limit) not in (int, float):
        raise _Undecided
    return limit  # a Decimal compares with an int or a float exactly


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    if not _PLAIN_PATTERN.fullmatch(pattern):
        raise _Undecided
    return re.compile(pattern)


def _is_type(name: Any, value: Any) -> bool:
    if name == "object":
        return type(value) is dict
    if name == "array":
        return type(value) is list
    if name == "string":
        return type(value) is str
    if name == "boolean":
        return type(value) is bool
    if name == "null":
        return value is None
    if name == "number":
        return _number(value)
    if name == "integer":
        if type(value) is Decimal:  # 2.0 is an integer to JSON Schema: left to the validator
            raise _Undecided
        return type(value) is int
    raise _Undecided


class _Check:
    """One document checked against one schema; `root` is the schema document a `#/…` reference points into."""

    def __init__(self, root: Schema, documents: Documents):
        self.root = root
        self.documents = documents

    def valid(self, node: Schema, value: Any) -> bool:
        if node is True or node is False:
            return node
        if type(node) is not dict:
            raise _Undecided
        if "$id" in node and node is not self.root:  # a new base for references: not followed here
            raise _Undecided
        for word, rule in node.items():
            if word in _ANNOTATIONS:
                continue
            check = _KEYWORDS.get(word)
            if check is None:
                raise _Undecided
            if not check(self, rule, value, node):
                return False
        return True

    def referred(self, reference: Any, value: Any) -> bool:
        if not isinstance(reference, str):
            raise _Undecided
        name, _, pointer = reference.partition("#")
        root = self.root
        if name:
            found = self.documents(name)
            if found is None:
                raise _Undecided
            root = found
        node = root
        for part in pointer.split("/")[1:] if pointer else []:
            step = part.replace("~1", "/").replace("~0", "~")
            if type(node) is not dict or step not in node:
                raise _Undecided
            node = node[step]
        if root is self.root:
            return self.valid(node, value)
        return _Check(root, self.documents).valid(node, value)


def _type(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if type(rule) is list:
        return any([_is_type(name, value) for name in rule])
    return _is_type(rule, value)


def _enum(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if not (type(value) is str or type(value) is bool or value is None) or type(rule) is not list:
        raise _Undecided  # numbers (1 and 1.0 are one value to JSON), lists and mappings
    return any(type(choice) is type(value) and choice == value for choice in rule)


def _required(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if type(rule) is not list:
        raise _Undecided
    return type(value) is not dict or all(key in value for key in rule)


def _properties(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if type(rule) is not dict:
        raise _Undecided
    if type(value) is not dict:
        return True
    return all(check.valid(rule[key], item) for key, item in value.items() if key in rule)


def _additional(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if type(value) is not dict:
        return True
    if "patternProperties" in node:
        raise _Undecided
    known = node.get("properties", {})
    return all(check.valid(rule, item) for key, item in value.items() if key not in known)


def _names(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    return type(value) is not dict or all(check.valid(rule, key) for key in value)


def _items(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if "prefixItems" in node or type(rule) is list:
        raise _Undecided
    return type(value) is not list or all(check.valid(rule, item) for item in value)


def _pattern_holds(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    if type(rule) is not str:
        raise _Undecided
    if type(value) is not str:
        return True
    if "\n" in value or "\r" in value:  # Python's `$` also matches before a final line break; ECMA's does not
        raise _Undecided
    return _pattern(rule).search(value) is not None


def _branches(check: _Check, rule: Any, value: Any) -> list[bool]:
    """Each branch of oneOf, anyOf, allOf decided (every branch: an undecided one leaves it all undecided)."""
    if type(rule) is not list:
        raise _Undecided
    return [check.valid(branch, value) for branch in rule]


def _one_of(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    return _branches(check, rule, value).count(True) == 1


def _any_of(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    return any(_branches(check, rule, value))


def _all_of(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    return all(_branches(check, rule, value))


def _ref(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
    return check.referred(rule, value)


Keyword = Callable[
    [_Check, Any, Any, dict[str, Any]], bool
]  # (the check, the keyword's value, the value, node)


def _counted(kind: type[str] | type[list[Any]], at_least: bool) -> Keyword:
    """minLength, maxLength (in characters), minItems, maxItems."""

    def holds(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
        if type(rule) is not int:
            raise _Undecided
        if type(value) is not kind:
            return True
        return len(value) >= rule if at_least else len(value) <= rule

    return holds


def _compared(holds: Callable[[Any, Any], bool]) -> Keyword:
    """minimum, maximum and their exclusive forms, on numbers only (a boolean is not one)."""

    def compare(check: _Check, rule: Any, value: Any, node: dict[str, Any]) -> bool:
        return not _number(value) or holds(value, _bound(rule))

    return compare


_KEYWORDS: dict[str, Keyword] = {
    "type": _type,
    "enum": _enum,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _names,
    "items": _items,
    "pattern": _pattern_holds,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "allOf": _all_of,
    "$ref": _ref,
    "minLength": _counted(str, True),
    "maxLength": _counted(str, False),
    "minItems": _counted(list, True),
    "maxItems": _counted(list, False),
    "minimum": _compared(lambda value, limit: value >= limit),
    "maximum": _compared(lambda value, limit: value <= limit),
    "exclusiveMinimum": _compared(lambda value, limit: value > limit),
    "exclusiveMaximum": _compared(lambda value, limit: value < limit),
}
