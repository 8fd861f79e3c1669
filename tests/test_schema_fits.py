"""A document taken as valid without jsonschema-rs (`scorer/sources/schema_fits.py`) is one jsonschema-rs takes
as valid: on every rule file, golden case and example the project ships, and on thousands of them changed at
random (a key dropped or added, a value of another type, text a pattern or a length refuses, a branch of a
`oneOf` doubled). Every message still comes from jsonschema-rs; a warm run does not load it."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scorer.inputs.schema import inputs_schema
from scorer.rules.read import load_rules
from scorer.sources.schema import _shipped, _validator, load_schema
from scorer.sources.schema_fits import fits
from scorer.sources.yaml import load_yaml_file

from .conftest import EXAMPLES, ROOT

RULE_FOLDERS = sorted(
    path.parent
    for base in (ROOT / "rules", ROOT / "tests" / "fixtures" / "rules")
    for path in base.rglob("rubric.yaml")
)


def _rule_documents() -> list[tuple[dict[str, Any], Any]]:
    found = []
    for folder in RULE_FOLDERS:
        found.append((load_schema("rubric.schema.json"), load_yaml_file(folder / "rubric.yaml").data))
        for path in sorted((folder / "indicators").glob("*.yaml")):
            found.append((load_schema("indicator.schema.json"), load_yaml_file(path).data))
    return found


def _inputs_documents() -> list[tuple[dict[str, Any], Any]]:
    found = []
    for folder in RULE_FOLDERS:
        try:
            rules = load_rules(folder)
        except Exception:  # noqa: BLE001 - a fixture that extends another is read through its family
            continue
        schema = inputs_schema(rules)
        for path in sorted((folder / "golden").glob("*.yaml")):
            case = load_yaml_file(path).data
            found.append((load_schema("case.schema.json"), case))
            if isinstance(case.get("inputs"), dict):
                found.append((schema, case["inputs"]))
    schema_2022 = inputs_schema(load_rules("2022"))
    found += [(schema_2022, load_yaml_file(path).data) for path in sorted(EXAMPLES.glob("2022-*.yaml"))]
    return found


DOCUMENTS = _rule_documents() + _inputs_documents()


def valid(schema: dict[str, Any], data: Any) -> bool:
    """jsonschema-rs's answer; a value it cannot take at all (text that is not Unicode) is not valid."""
    try:
        return bool(_validator(schema).is_valid(data))
    except ValueError:
        return False


def test_every_document_shipped_is_decided_alike_and_the_valid_ones_without_the_validator() -> None:
    assert len(DOCUMENTS) > 100
    for schema, data in DOCUMENTS:
        assert fits(schema, data, _shipped) == valid(schema, data), data


# Values put in a document's places: of every type, at and past the bounds the schemas name, text that a
# pattern or a Python regex reads otherwise (a final line break, a non-ASCII digit), text UTF-8 cannot carry.
_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    100,
    10_000,
    10_001,
    Decimal("0.5"),
    Decimal("2.0"),
    Decimal("-0.01"),
    Decimal("100.00"),
    "",
    "x",
    "abc",
    "a-b",
    "2022",
    "abc/2022",
    "a\n",
    "abc\r",
    "a_b",
    "٣",
    "half_up",
    "floor",
    "formula",
    "bands",
    "\ud800",
    [],
    ["x"],
    [1, "x"],
    {},
    {"zh": "x"},
    {"zh": "x", "en": "y"},
    {"zh": ""},
    {"en": "x"},
    {"name": "x", "target": "≥1"},
    {"points": 1, "reason": "x"},
]
_KEYS = [
    "zh",
    "en",
    "unknown",
    "weight",
    "formula",
    "bands",
    "steps",
    "name",
    "id",
    "reason",
    "code",
    "inputs_file",
]


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, path + (index,))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _changed(data: Any, chance: random.Random) -> Any:
    data = copy.deepcopy(data)
    for _ in range(chance.randint(1, 3)):
        path = chance.choice(_places(data))
        if not path:
            continue
        holder, last = _at(data, path[:-1]), path[-1]
        move = chance.randrange(5)
        if move == 0 and isinstance(holder, dict):
            del holder[last]
        elif move == 1 and isinstance(holder, dict):
            holder[chance.choice(_KEYS)] = copy.deepcopy(chance.choice(_VALUES))
        elif move == 2:
            other = _at(data, chance.choice(_places(data)))
            holder[last] = copy.deepcopy(other)
        else:
            holder[last] = copy.deepcopy(chance.choice(_VALUES))
    return data


@pytest.mark.parametrize("seed", range(4))
def test_a_changed_document_taken_as_valid_is_valid(seed: int) -> None:
    chance = random.Random(seed)
    taken = 0
    for _ in range(1500):
        schema, data = chance.choice(DOCUMENTS)
        changed = _changed(data, chance)
        if fits(schema, changed, _shipped):
            taken += 1
            assert valid(schema, changed), changed
    assert taken > 150  # the changes keep many documents valid: the check is exercised, not only refusing


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "string", "pattern": "^[a-z]+$"}, "abc\n"),  # ECMA's $ is the end of the text
        ({"type": "integer"}, Decimal("2.0")),  # an integer to JSON Schema, but not an int
        ({"enum": [1]}, True),
        ({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"a": 1, "b": 2}),  # valid for both: not one
        ({"type": "string", "minLength": 1}, "\ud800"),
        ({"type": "object"}, {1: "x"}),
        ({"type": "string", "pattern": "^\\d$"}, "٣"),  # \d: ASCII digits to ECMA, any digit to Python
        ({"type": "string", "format": "email"}, "x"),  # a keyword not applied here
        ({"type": "number"}, 0.5),  # a float: no reader makes one
    ],
)
def test_what_is_not_plain_is_left_to_the_validator(schema: dict[str, Any], value: Any) -> None:
    assert not fits(schema, value, _shipped)


def test_a_reference_to_another_shipped_schema_is_followed(tmp_path: Path) -> None:
    rounding = {"$ref": "rubric.schema.json#/$defs/rounding"}
    assert fits(rounding, {"places": 2, "mode": "half_up"}, _shipped)
    assert not fits(rounding, {"places": 2, "mode": "evil"}, _shipped)
    assert not fits({"$ref": "elsewhere.json#/x"}, 1, _shipped)
