"""A quick check that a document surely meets a JSON Schema, so that a valid file needs no validator loaded.

`surely_valid` knows the few keywords the shipped schemas use (type, properties, additionalProperties,
required, enum, items, $ref within the schema or into another shipped one, the bounds and lengths, pattern on
printable ASCII text, propertyNames, and oneOf where every other branch surely fails) and answers True only when
the document meets every one of them. Anything else (another keyword, a reference elsewhere, a value whose type it does not
decide with certainty, such as a decimal written as an integer "1.0") answers False, and the caller asks
jsonschema-rs, which decides and explains as before. True means valid; False means "ask the validator".

A schema is compiled once into a check made of closures (the schema object is held with it, so its id stays its
own): a batch checks every department against the same schema, and walking the schema's dicts for each one cost
more than the walk of the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

# Keywords that say nothing about validity (2020-12 annotations and the places definitions are kept).
_ANNOTATIONS = frozenset(
    {"$schema", "$defs", "$comment", "title", "description", "examples", "default", "deprecated"}
)

Check = Callable[[Any], bool]
_COMPILED: dict[int, tuple[Any, Check]] = {}
_MAX_COMPILED = 32  # the shipped schemas and an inputs schema per year; the oldest goes first


def surely_valid(schema: Any, data: Any) -> bool:
    kept = _COMPILED.get(id(schema))
    if kept is None or kept[0] is not schema:
        while len(_COMPILED) >= _MAX_COMPILED:
            del _COMPILED[next(iter(_COMPILED))]
        kept = _COMPILED[id(schema)] = (schema, _compile(schema, schema, {}))
    try:
        return kept[1](data)
    except RecursionError:
        # References that lead back to themselves, or a document nested past Python's limit: the validator
        # decides. Parts compiled on the way may be half made, so the next document compiles afresh.
        _COMPILED.pop(id(schema), None)
        return False


def _yes(_value: Any) -> bool:
    return True


def _no(_value: Any) -> bool:
    return False


def _compile(schema: Any, root: dict[str, Any], made: dict[int, Check]) -> Check:
    """The check of one (sub)schema. `made` holds the checks of the schemas compiled so far, by id, so that a
    reference back to a schema being compiled calls it rather than compiling it again."""
    if schema is True:
        return _yes
    if not isinstance(schema, dict):
        return _no
    if id(schema) in made:
        return made[id(schema)]
    done: list[Check] = []
    made[id(schema)] = lambda value: done[0](value)  # for a reference to this schema from inside it
    if _plain_object(schema, root):
        check = _object(schema, root, made)
        done.append(check)
        made[id(schema)] = check
        return check
    checks: list[Check] = []
    for keyword, rule in schema.items():
        if keyword in _ANNOTATIONS or (keyword == "$id" and schema is root):
            continue
        maker = _MAKERS.get(keyword)
        if maker is None:
            checks = [_no]  # a keyword it does not know: the validator decides
            break
        checks.append(maker(rule, schema, root, made))
    check = _every(checks)
    done.append(check)
    made[id(schema)] = check
    return check


_OBJECT_KEYWORDS = frozenset({"type", "properties", "additionalProperties", "required"})


def _plain_object(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """An object schema of the usual form, checked in one pass over the object's items (`_object`)."""
    keywords = {
        keyword
        for keyword in schema
        if keyword not in _ANNOTATIONS and not (keyword == "$id" and schema is root)
    }
    return (
        schema.get("type") == "object"
        and keywords <= _OBJECT_KEYWORDS
        and isinstance(schema.get("properties", {}), dict)
        and isinstance(schema.get("required", []), list)
        and all(isinstance(key, str) for key in schema.get("required", []))
        and (
            schema.get("additionalProperties", True) in (True, False)
            or isinstance(schema["additionalProperties"], dict)
        )
    )


def _object(schema: dict[str, Any], root: dict[str, Any], made: dict[int, Check]) -> Check:
    """type object, properties, additionalProperties and required, as their own checks would decide together."""
    properties = schema.get("properties", {})
    named: dict[str, Check] = {}  # each property's check, compiled when a document first has the property
    extra_rule = schema.get("additionalProperties", True)
    extra = None if extra_rule is False else _compile(extra_rule, root, made)
    required = tuple(schema.get("required", ()))

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for key, item in value.items():
            one = named.get(key) if isinstance(key, str) else None
            if one is None and isinstance(key, str) and key in properties:
                one = named[key] = _compile(properties[key], root, made)
            if one is None:
                if not isinstance(key, str) or extra is None or not extra(item):
                    return False
            elif not one(item):
                return False
        return all(key in value for key in required)

    return check


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _yes
    if len(checks) == 1:
        return checks[0]
    first, rest = checks[0], _every(checks[1:])  # nested pairs: a call each, no generator per value
    return lambda value: first(value) and rest(value)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite())


def _is_integer(
    value: Any,
) -> bool:  # a Decimal such as 1.0 is an integer to JSON Schema: left to jsonschema-rs
    return isinstance(value, int) and not isinstance(value, bool)


def _is_object(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "integer": _is_integer,
    "object": _is_object,
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def _type(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
    names = rule if isinstance(rule, list) else [rule]
    known = tuple(_TYPES[name] for name in names if isinstance(name, str) and name in _TYPES)
    if len(known) == 1:
        return known[0]
    if len(known) == 2:
        first, second = known
        return lambda value: first(value) or second(value)
    return lambda value: any(one(value) for one in known)


def _properties(rule: Any, _schema: Any, root: Any, made: dict[int, Check]) -> Check:
    if not isinstance(rule, dict):
        return lambda value: not isinstance(value, dict)
    named: dict[str, Check] = {}  # each property's check, compiled when a document first has the property

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in rule:
                    one = named.get(key)
                    if one is None:
                        one = named[key] = _compile(rule[key], root, made)
                    if not one(item):
                        return False
        return True

    return check


def _additional(rule: Any, schema: Any, root: Any, made: dict[int, Check]) -> Check:
    known = schema.get("properties", {})
    if rule is False:
        return lambda value: not isinstance(value, dict) or all(key in known for key in value)
    extra = _compile(rule, root, made)
    return lambda value: (
        not isinstance(value, dict) or all(extra(item) for key, item in value.items() if key not in known)
    )


def _required(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
    if not isinstance(rule, list):
        return lambda value: not isinstance(value, dict)
    keys = tuple(rule)
    return lambda value: not isinstance(value, dict) or all(key in value for key in keys)


def _enum(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
    if not isinstance(rule, list):
        return _no
    choices = tuple((type(choice), choice) for choice in rule)

    def check(value: Any) -> bool:
        if not (value is None or isinstance(value, str | bool | int)):
            return False
        return any(kind is type(value) and choice == value for kind, choice in choices)

    return check


def _items(rule: Any, _schema: Any, root: Any, made: dict[int, Check]) -> Check:
    item = _compile(rule, root, made)

    def check(value: Any) -> bool:
        if isinstance(value, list):
            for one in value:
                if not item(one):
                    return False
        return True

    return check


# The schema documents a reference may lead into besides its own ("rubric.schema.json#/$defs/rounding"), by
# name: the shipped schemas (set by scorer/sources/schema.py). A name it does not give is left to the validator.
_documents: list[Callable[[str], Any]] = []


def follow_references_into(documents: Callable[[str], Any]) -> None:
    """Let references into other schema documents be followed: `documents(name)` gives one, or None."""
    _documents[:] = [documents]


def _reference(rule: Any, _schema: Any, root: Any, made: dict[int, Check]) -> Check:
    if not isinstance(rule, str) or "#" not in rule:
        return _no
    document, _, fragment = rule.partition("#")
    if document:
        root = _documents[0](document) if _documents else None
        if not isinstance(root, dict):
            return _no
    target: Any = root
    for part in fragment.split("/")[1:] if fragment else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or key not in target or "%" in key:
            return _no
        target = target[key]
    return _compile(target, root, made)


def _bound(holds: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Any, Any], Check]:
    def make(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
        usable = _is_number(rule) or (isinstance(rule, float) and rule == rule and abs(rule) != float("inf"))
        if usable and isinstance(rule, float):
            # Exactly the float's value: a Decimal compares with a float ten times slower.
            rule = Decimal(rule)

        def check(value: Any) -> bool:
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                return True
            return usable and _is_number(value) and holds(value, rule)

        return check

    return make


def _pattern(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
    """A pattern, decided by Python's `re` only on printable ASCII text: there it matches as jsonschema-rs's
    regular expressions do (no line break for `$` to stop before, no Unicode digit for `\\d`); other text is left
    to the validator. A pattern Python cannot read is left to it too."""
    try:
        compiled = re.compile(rule) if isinstance(rule, str) else None
    except re.error:
        compiled = None
    if compiled is None:
        return _no
    search = compiled.search
    return lambda value: (
        not isinstance(value, str) or (value.isascii() and value.isprintable() and search(value) is not None)
    )


def _property_names(rule: Any, _schema: Any, root: Any, made: dict[int, Check]) -> Check:
    name = _compile(rule, root, made)
    return lambda value: not isinstance(value, dict) or all(name(key) for key in value)


def _one_of(rule: Any, _schema: Any, root: Any, made: dict[int, Check]) -> Check:
    """Exactly one branch: one surely valid, and each other one surely invalid (`_surely_invalid`)."""
    if not isinstance(rule, list) or not rule:
        return _no
    branches = [(_compile(branch, root, made), branch) for branch in rule]

    def check(value: Any) -> bool:
        valid = [branch for one, branch in branches if one(value)]
        return len(valid) == 1 and all(
            _surely_invalid(branch, value) for _, branch in branches if branch is not valid[0]
        )

    return check


def _surely_invalid(schema: Any, value: Any) -> bool:
    """Whether `value` certainly fails `schema`, by what is certain without a validator: a type it is not (a
    number may be an integer), or a required key it lacks. False means "not known"."""
    if not isinstance(schema, dict):
        return schema is False
    required = schema.get("required")
    if isinstance(value, dict) and isinstance(required, list) and any(key not in value for key in required):
        return True
    kinds = schema.get("type")
    names = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else None
    if names is None or not all(isinstance(name, str) and name in _TYPES for name in names):
        return False
    maybe = [_TYPES["number"] if name == "integer" else _TYPES[name] for name in names]
    return not any(one(value) for one in maybe)


def _length(holds: Callable[[int, int], bool], kind: type) -> Callable[[Any, Any, Any, Any], Check]:
    def make(rule: Any, _schema: Any, _root: Any, _made: Any) -> Check:
        usable = isinstance(rule, int) and not isinstance(rule, bool)
        return lambda value: not isinstance(value, kind) or (usable and holds(len(value), rule))  # type: ignore[arg-type]

    return make


_MAKERS: dict[str, Callable[[Any, Any, Any, dict[int, Check]], Check]] = {
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
    "pattern": _pattern,
    "propertyNames": _property_names,
    "oneOf": _one_of,
}
