"""The quick schema check decides rule files too (pattern, propertyNames, oneOf, references into another shipped
schema), so that a rule set rebuilt from the cache is checked without loading a validator. Where it says valid,
jsonschema-rs must agree."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema_rs
from hypothesis import given
from hypothesis import strategies as st

from scorer.rules.read import indicator_files
from scorer.sources.schema import _fast_validator, load_schema
from scorer.sources.schema_check import surely_valid
from scorer.sources.yaml import load_yaml_file

from .conftest import FIXTURE_RULES, RULES_2022


def test_every_shipped_rule_file_passes_the_quick_check() -> None:
    for folder in (RULES_2022, FIXTURE_RULES):
        assert surely_valid(load_schema("rubric.schema.json"), load_yaml_file(folder / "rubric.yaml").data)
        for path in indicator_files(folder):
            assert surely_valid(load_schema("indicator.schema.json"), load_yaml_file(path).data), path


_TEXTS = st.sampled_from(
    ["a", "abc", "a_1", "A", "1a", "", "a\n", "a b", "a\tb", "é", "a٣", "٣", "ab-c", "zz", "_x", "a\x1c"]
) | st.text(max_size=4)


@given(
    pattern=st.sampled_from(
        ["^[a-z][a-z0-9_]*$", "^a", "b$", r"\d+", r"^\w+$", r"\s", "[", "(?i)^a$", "^.$"]
    ),
    value=_TEXTS,
)
def test_a_pattern_is_never_passed_where_jsonschema_rs_refuses(pattern: str, value: str) -> None:
    schema = {"pattern": pattern}
    if surely_valid(schema, value):
        assert jsonschema_rs.is_valid(schema, value)


_BRANCHES = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "minLength": 1},
        {"type": "object", "required": ["zh"], "properties": {"zh": {"type": "string"}}},
        {"required": ["a"]},
        {"required": ["b"]},
        {"type": "integer"},
        {"type": "number", "minimum": 1},
        {"minimum": 0},
        True,
    ]
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.decimals(-2, 3, places=1, allow_nan=False) | _TEXTS,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "b", "zh", "X"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@given(branches=st.lists(_BRANCHES, min_size=1, max_size=3), value=_VALUES)
def test_one_of_is_never_passed_where_jsonschema_rs_refuses(branches: list[Any], value: Any) -> None:
    schema = {"oneOf": branches}
    if surely_valid(schema, value):
        assert jsonschema_rs.is_valid(schema, value)


@given(names=st.dictionaries(_TEXTS, st.integers(0, 1), max_size=3))
def test_property_names_are_never_passed_where_jsonschema_rs_refuses(names: dict[str, int]) -> None:
    schema = {"type": "object", "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}}
    if surely_valid(schema, names):
        assert jsonschema_rs.is_valid(schema, names)


_RULE_DOCS = [
    (name, load_yaml_file(path).data)
    for name, path in [
        ("rubric.schema.json", FIXTURE_RULES / "rubric.yaml"),
        *(("indicator.schema.json", p) for p in indicator_files(FIXTURE_RULES)),
    ]
]


def _keys(schemas: list[dict[str, Any]]) -> list[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("properties", "$defs") and isinstance(value, dict):
                    found.update(value)
                if key == "required" and isinstance(value, list):
                    found.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for schema in schemas:
        walk(schema)
    return sorted(found) + ["unknown", "Bad-Name", "名称"]


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.decimals(-5, 200, places=2, allow_nan=False),
    st.sampled_from(["", "x", "是", "half_up", "down", "formula", "bands", "a_b", "Ab", "a\n", "٣"]),
)


@given(data=st.data())
def test_the_quick_check_never_passes_a_rule_file_jsonschema_rs_refuses(data: Any) -> None:
    """Valid rule files changed in a few places (a value replaced, a key added or removed): where the quick
    check passes one, the validator (with the shipped schemas' references) passes it too."""
    name, example = data.draw(st.sampled_from(_RULE_DOCS))
    schema = load_schema(name)
    keys = _keys([schema, load_schema("rubric.schema.json")])
    values = st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(keys), inner, max_size=4),
        max_leaves=10,
    )
    document = copy.deepcopy(example)
    for _ in range(data.draw(st.integers(1, 3))):
        node: Any = document
        for _step in range(data.draw(st.integers(0, 3))):
            children = (
                list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
            )
            children = [c for c in children if isinstance(node[c], dict | list)]
            if not children:
                break
            node = node[data.draw(st.sampled_from(children))]
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node) + keys))
            if data.draw(st.booleans()) and key in node:
                del node[key]
            else:
                node[key] = data.draw(values)
        elif isinstance(node, list):
            node.append(data.draw(values))
    if surely_valid(schema, document):
        assert _fast_validator(schema).is_valid(document)


def test_a_reference_into_a_schema_that_is_not_shipped_is_left_to_the_validator(tmp_path: Path) -> None:
    assert not surely_valid({"$ref": "other.schema.json#/$defs/x"}, 1)
    assert surely_valid({"$ref": "rubric.schema.json#/$defs/rounding"}, {"places": 2, "mode": "half_up"})
    assert not surely_valid({"$ref": "rubric.schema.json#/$defs/rounding"}, {"places": 2, "mode": "evil"})
