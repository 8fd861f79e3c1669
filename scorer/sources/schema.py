"""JSON Schema validation with messages a person can act on, each at its file and line.

One validator, jsonschema-rs (compiled): it decides whether a document is valid, and its errors (the keyword
failed, where in the document, and the way through the schema to it) are what the messages below explain. A
document that plainly fits (`schema_fits.py`: the few keywords the shipped schemas use, applied to plain values)
is taken as valid without loading it: a warm run's valid documents need no validator.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from msgspec.structs import replace

from scorer.errors import Location, PathKey, Problem, did_you_mean, field_name
from scorer.facts import Fact, Message, fact, joined, said, separated
from scorer.numbers import MAX_MAGNITUDE, out_of_bounds
from scorer.sources.schema_fits import fits
from scorer.sources.shipped import schemas_dir
from scorer.sources.yaml import YamlDocument, read_bytes
from scorer.sources.yaml_hints import full_width_key

SCHEMA_FILES = ("rubric.schema.json", "indicator.schema.json", "inputs.schema.json", "case.schema.json")

# Given a path inside the document: which indicator it speaks of, and the path relative to that indicator
# (for the "[indicator] field:" part of a message).
IndicatorOf = Callable[[PathKey], tuple[str | None, PathKey]]


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema, read from its file: never from the cache, whose entries may not decide what a check
    accepts."""
    import json  # only a command that checks a document

    path = schemas_dir() / name
    schema: dict[str, Any] = json.loads(read_bytes(path, str(path)).decode("utf-8"))
    return schema


def _shipped_schemas() -> list[tuple[str, dict[str, Any]]]:
    return [(name, load_schema(name)) for name in SCHEMA_FILES if (schemas_dir() / name).is_file()]


@cache
def _registry() -> Any:
    """The shipped schema files, which refer to each other by file name."""
    import jsonschema_rs

    return jsonschema_rs.Registry(_shipped_schemas())


_validators: dict[str, Any] = {}
# The validator of a schema object seen last (a batch checks every department against the same one), held
# with the object so that its id stays its own.
_last: list[Any] = [None, None]


def _validator(schema: dict[str, Any]) -> Any:
    if _last[0] is schema:
        return _last[1]
    import json

    # Schemas are small; an inputs schema is per year.
    key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    validator = _validators.get(key)
    if validator is None:
        import jsonschema_rs

        validator = _validators[key] = jsonschema_rs.validator_for(schema, registry=_registry())
    _last[:] = [schema, validator]
    return validator


def schema_accepts(schema: dict[str, Any], data: Any) -> bool:
    return not any(True for _ in _out_of_bounds(data, ())) and _is_valid(schema, data)


def _is_valid(schema: dict[str, Any], data: Any) -> bool:
    return fits(schema, data, _shipped) or bool(_validator(schema).is_valid(data))


@cache
def _shipped(name: str) -> dict[str, Any] | None:
    """A shipped schema another refers to by its file name (as the validator's registry holds them)."""
    return load_schema(name) if name in SCHEMA_FILES and (schemas_dir() / name).is_file() else None


def rejected_paths(schema: dict[str, Any], data: Any) -> list[PathKey]:
    """Where in `data` the schema or the number bounds find a problem (the object holding it, for a missing
    or unknown key)."""
    bounds = [path for path, _ in _out_of_bounds(data, ())]
    errors = [tuple(error.instance_path) for error in _validator(schema).iter_errors(data)]
    return bounds + errors


def validate(doc: YamlDocument, schema: dict[str, Any], indicator_of: IndicatorOf) -> list[Problem]:
    """Every schema problem in `doc`, in file order. Numbers no rubric or department could mean (NaN,
    infinities, 1e-999999999, more digits than a JSON number carries) are refused first, wherever they stand."""
    bounds = (
        list(_numbers_out_of_bounds(doc, doc.data, (), indicator_of)) if _any_out_of_bounds(doc.data) else []
    )
    if bounds:
        return bounds  # the schema's own range checks cannot compare NaN
    if _is_valid(schema, doc.data):
        return []
    errors = _validator(schema).iter_errors(doc.data)
    problems = [p for error in errors for p in _explain(doc, schema, error, indicator_of)]
    return sorted(problems, key=lambda p: p.location.line or 0)  # a line's own in order of words: where shown


def _numbers_out_of_bounds(
    doc: YamlDocument, value: Any, path: PathKey, indicator_of: IndicatorOf
) -> Iterator[Problem]:
    for where, problem in _out_of_bounds(value, path):
        number = _value_at(value, where[len(path) :])
        indicator, relative = indicator_of(where)
        location = Location(doc.path, doc.lines.line(where), indicator, field_name(relative))
        message = (
            fact("schema.must_be", problem=problem, value=show(number))
            if not Decimal(number).is_finite()
            else fact("number.value_problem", value=show(number), problem=problem)
        )
        yield Problem(location, message)


_SMALL = int(MAX_MAGNITUDE)  # an integer of smaller magnitude is never out of bounds


def _any_out_of_bounds(data: Any) -> bool:
    """Whether `_out_of_bounds` finds anything: a plain walk that stops at the first, without paths."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif type(value) is int:
            if not -_SMALL < value < _SMALL:
                return True
        elif (
            isinstance(value, int | Decimal) and not isinstance(value, bool) and out_of_bounds(Decimal(value))
        ):
            return True
    return False


def _out_of_bounds(value: Any, path: PathKey) -> Iterator[tuple[PathKey, Fact]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _out_of_bounds(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _out_of_bounds(item, path + (index,))
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        problem = out_of_bounds(Decimal(value))
        if problem:
            yield path, problem


def _value_at(value: Any, path: PathKey) -> Any:
    for key in path:
        value = value[key]
    return value


# The patterns of a rubric's names (schemas/rubric.schema.json, inputs.schema.json), each said as what it asks.
_PATTERN_WORDS = {
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*$": "schema.pattern_rubric_id",
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*/[0-9]{4}$": "schema.pattern_rubric",
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*(/[0-9]{4})?$": "schema.pattern_rubric",
    "^(_shared/[a-z][a-z0-9_]*|[a-z][a-z0-9]*(-[a-z0-9]+)*/[0-9]{4}/[a-z][a-z0-9_]*)$": "schema.pattern_use",
}

# A rule file's unknown key is told with the keys allowed there (for the maintainers, who write any of them);
# an inputs file's with the likeliest one only.
_RULE_SCHEMAS = frozenset({"indicator.schema.json", "rubric.schema.json"})


def _allowed(properties: dict[str, Any], instance: dict[str, Any]) -> Fact | None:
    """ "; allowed here: …": the keys the schema declares at that place and the file does not give yet."""
    free = [key for key in properties if key not in instance]
    if not free or len(free) > 40:  # a long list helps no one: the did-you-mean hint and the docs do
        return None
    return fact("schema.allowed_keys", keys=", ".join(free))


def _explain(
    doc: YamlDocument, schema: dict[str, Any], error: Any, indicator_of: IndicatorOf
) -> Iterator[Problem]:
    """Problems from one jsonschema-rs ValidationError. The value and the keyword's own value are read from the
    document and the schema themselves (exact, as written), not from the error's copies of them."""
    path: PathKey = tuple(error.instance_path)
    through = tuple(error.evaluation_path)
    kind = through[-1] if through else error.kind.name
    holder = _subschema(schema, through[:-1])
    value: Any = holder.get(kind) if isinstance(holder, dict) else None
    instance = _value_at(doc.data, path)

    def at(where: PathKey, message: Message) -> Problem:
        indicator, relative = indicator_of(where)
        return Problem(Location(doc.path, doc.lines.line(where), indicator, field_name(relative)), message)

    if kind == "additionalProperties" and isinstance(instance, dict):
        properties = holder.get("properties", {}) if isinstance(holder, dict) else {}
        for key in instance:
            if key not in properties:
                _, shown_as = meant_key(key, properties)
                hint = fact("hint.did_you_mean", word=shown_as) if shown_as else None
                shown = key if len(key) <= 60 else key[:57] + "..."
                if full_width_key(key):  # {from：95, …} read as the key 'from：95'
                    hint = fact("yaml.full_width_colon_flow")
                allowed = _allowed(properties, instance) if schema.get("$id") in _RULE_SCHEMAS else None
                yield at(path + (key,), joined(fact("schema.unknown_key", key=shown, hint=hint), allowed))
    elif kind == "required":  # one error a missing key
        yield at(path, fact("schema.missing_key", key=error.kind.property))
    elif kind == "type":
        yield at(path, fact("schema.wrong_type", expected=_type_words(value), value=show(instance)))
    elif kind == "enum":
        hint = did_you_mean(str(instance), [str(v) for v in value])
        choices = ", ".join(map(str, value))
        yield at(path, fact("schema.not_one_of", value=show(instance), choices=choices, hint=hint))
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}[kind]
        yield at(path, fact("schema.out_of_range", sign=sign, limit=str(value), value=show(instance)))
    elif kind in ("minItems", "minLength"):
        yield at(path, fact("schema.empty"))
    elif kind == "pattern":  # what a rubric's names look like, else a row's or an input's id
        yield at(path, fact(_PATTERN_WORDS.get(str(value), "schema.pattern"), value=show(instance)))
    elif kind in ("oneOf", "anyOf") and isinstance(value, list):
        yield from _explain_forms(doc, schema, error, value, indicator_of, at(path, said(error.message)))
    else:
        yield at(path, said(error.message))


def _explain_forms(
    doc: YamlDocument,
    schema: dict[str, Any],
    error: Any,
    forms: list[Any],
    indicator_of: IndicatorOf,
    plain: Problem,
) -> Iterator[Problem]:
    """A value that fits none of the forms a key takes (`oneOf`, `anyOf`: a text, or a mapping {zh: …, en: …}):
    where the value has the type of one form only, what is wrong inside it (an unknown or missing key); where it
    has none of their types, the types expected. Else the validator's own words."""
    path = tuple(error.instance_path)
    tried = getattr(error.kind, "context", None) or []
    of_its_type = [
        branch
        for branch in tried
        if not any(e.kind.name == "type" and tuple(e.instance_path) == path for e in branch)
    ]
    if len(tried) == len(forms) and len(of_its_type) == 1:
        for inner in of_its_type[0]:
            yield from _explain(doc, schema, inner, indicator_of)
        return
    types = [form.get("type") for form in forms if isinstance(form, dict)]
    named = [kind for kind in types if isinstance(kind, str)]
    if not of_its_type and named and len(named) == len(forms):
        expected = _type_words(list(dict.fromkeys(named)))
        yield replace(
            plain, message=fact("schema.wrong_type", expected=expected, value=show(_value_at(doc.data, path)))
        )
        return
    yield plain


def _subschema(schema: dict[str, Any], through: tuple[Any, ...]) -> Any:
    """The part of `schema` reached by an error's evaluation path, following each `$ref` (within its document,
    or into another shipped schema); None where the path leads nowhere."""
    document = here = schema
    try:
        for step in through:
            if step == "$ref":
                name, _, pointer = here["$ref"].partition("#")
                if name:
                    document = load_schema(name) if name in SCHEMA_FILES else {}
                here = document
                for part in pointer.split("/")[1:]:
                    here = here[part.replace("~1", "/").replace("~0", "~")]
            else:
                here = here[int(step)] if isinstance(here, list) else here[step]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return here


def meant_key(key: str, properties: dict[str, Any]) -> tuple[str, str]:
    """The known key a misspelt one most likely means, and how a suggestion shows it; ("", "") for none. An
    indicator may be written by its Chinese name (合同备案时效性), a name close to it (合同签订及时性 for
    采购合同签订时效性) or a part of it (产出指标 for 部门整体绩效目标产出指标完成情况): its id is meant."""
    if len(key) > 100:  # no slip of the keyboard (and comparing would take time in its length squared)
        return "", ""
    by_title = {spec.get("title"): name for name, spec in properties.items() if isinstance(spec, dict)}
    if key in by_title:
        return by_title[key], by_title[key]
    close = difflib.get_close_matches(key, list(properties), n=1, cutoff=0.6)
    if close:
        return close[0], close[0]
    titles = [title for title in by_title if isinstance(title, str)]
    close = difflib.get_close_matches(key, titles, n=1, cutoff=0.6)
    containing = [title for title in titles if len(key) >= 2 and key in title]
    if not close and len(containing) == 1:
        close = containing
    return (by_title[close[0]], f"{by_title[close[0]]} ({close[0]})") if close else ("", "")


def _type_words(types: str | list[str]) -> Message:
    words = {
        "number": fact("schema.type.number"),
        "integer": fact("schema.type.integer"),
        "string": fact("schema.type.string"),
        "object": fact("schema.type.object"),
        "array": fact("schema.type.array"),
        "boolean": fact("schema.type.boolean"),
        "null": fact("schema.type.null"),
    }
    items = [types] if isinstance(types, str) else types
    return separated(fact("schema.type.or"), (words.get(name) or said(name) for name in items))


def show(value: Any) -> str | Fact:
    """A value as the user wrote it, for a message: 'text' quoted, numbers bare."""
    if isinstance(value, dict):
        return fact("schema.show.mapping")
    if isinstance(value, list):
        return fact("schema.show.list")
    if value is None:
        return fact("schema.show.nothing")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = str(value)
        return text if len(text) <= 40 else text[:37] + "..."  # a 5 MB number must not fill the screen
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")
