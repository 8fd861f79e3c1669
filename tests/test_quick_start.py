"""What makes `score run` start quickly must not change what it does.

- The quick schema check (scorer/sources/schema_check.py) may only say "valid" where jsonschema-rs says so too.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorer.inputs.schema import inputs_schema
from scorer.rules.read import load_rules
from scorer.sources.schema_check import surely_valid
from scorer.sources.yaml import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return inputs_schema(load_rules("2022"))


def test_the_examples_pass_the_quick_check(schema: dict[str, Any]) -> None:
    for path in sorted((ROOT / "examples").glob("2022-*.yaml")):
        data = load_yaml_file(path).data
        assert surely_valid(schema, data), path
        assert jsonschema_rs.validator_for(schema).is_valid(data)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.decimals(-5, 200, places=2, allow_nan=False),
    st.sampled_from(["", "x", "是", "98.88%", "≥50次", "high"]),
)


def _values(keys: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(keys), inner, max_size=4),
        max_leaves=12,
    )


def _keys(schema: dict[str, Any]) -> list[str]:
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

    walk(schema)
    return sorted(found) + ["unknown"]


@given(data=st.data())
def test_the_quick_check_never_passes_what_jsonschema_rs_refuses(schema: dict[str, Any], data: Any) -> None:
    keys = _keys(schema)
    example = load_yaml_file(ROOT / "examples" / "2022-zhengwu-fuwu.yaml").data
    document = copy.deepcopy(example)
    # Change a few places of a valid document: a value replaced, a key added or removed.
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
                node[key] = data.draw(_values(keys))
        elif isinstance(node, list):
            node.append(data.draw(_values(keys)))
    if surely_valid(schema, document):
        assert jsonschema_rs.validator_for(schema).is_valid(document)


_small_schemas = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["string", "number", "integer", "boolean", "null", "object", "array"])
            | st.lists(
                st.sampled_from(["string", "number", "integer", "null"]), min_size=1, max_size=2, unique=True
            ),
            "minimum": st.integers(-2, 3) | st.sampled_from([0.5, 1.5]),
            "exclusiveMaximum": st.integers(-2, 3),
            "minLength": st.integers(0, 2),
            "enum": st.lists(st.sampled_from([None, True, False, 0, 1, "x", "是"]), min_size=1, max_size=3),
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "properties": st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
            "additionalProperties": st.booleans() | inner,
            "required": st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
            "items": inner,
            "minItems": st.integers(0, 2),
        },
    ),
    max_leaves=6,
)


@given(schema=_small_schemas, value=_values(["a", "b", "c"]))
def test_the_quick_check_agrees_with_jsonschema_rs_where_it_says_valid(
    schema: dict[str, Any], value: Any
) -> None:
    if surely_valid(schema, value):
        assert jsonschema_rs.is_valid(schema, value)


def test_what_the_quick_check_leaves_to_jsonschema_rs() -> None:
    assert not surely_valid({"type": "integer"}, Decimal("1.0"))  # an integer to JSON Schema: rs decides
    assert not surely_valid({"format": "email"}, "a")  # a keyword it does not know
    assert not surely_valid({"pattern": "^a+$"}, "a\n")  # a line break, where Python and rs read $ apart
    assert not surely_valid({"$ref": "other.json#/x"}, 1)  # a reference elsewhere
    assert not surely_valid({"$ref": "#"}, 1)  # a cycle
    assert not surely_valid({"enum": [1]}, True)
    assert surely_valid(
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}, {"a": "x"}
    )


def test_the_quick_check_recovers_from_a_document_nested_past_the_limit() -> None:
    """Parts of a schema are compiled when a document first reaches them: a document too deep for Python's
    recursion is left to the validator, and the check still decides the next document rightly."""
    schema = {"type": "object", "properties": {"a": {"$ref": "#"}}, "additionalProperties": False}
    deep: dict[str, Any] = {}
    level = deep
    for _ in range(5000):
        level["a"] = {}
        level = level["a"]
    assert not surely_valid(schema, deep)
    assert surely_valid(schema, {"a": {"a": {}}})
    assert not surely_valid(schema, {"a": {"b": 1}})


def _score_process(prelude: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`score` as its own process (`scorer.__main__.command`), after `prelude` ran in it."""
    code = f"import sys\n{prelude}\nimport scorer.__main__ as entry\nsys.argv = ['score', *sys.argv[1:]]\nentry.command()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_score_ends_with_its_exit_code_and_everything_written() -> None:
    """Every byte written is out when the process ends, and the exit code is the command's."""
    example = str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml")
    done = _score_process("", "run", example, "--rules", "2022", "-f", "json", "--explanations")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 94.2
    missing = _score_process("", "run", "no-such-file.yaml")
    assert missing.returncode == 1 and "no-such-file.yaml" in missing.stderr
    assert _score_process("", "run", example, "--format", "nope").returncode == 2


def test_score_leaves_an_uncaught_error_to_python() -> None:
    done = _score_process(
        "import scorer.cli.main as cli\ndef main():\n    raise RuntimeError('boom')\ncli.main = main\n",
        "--version",
    )
    assert done.returncode == 1 and "RuntimeError: boom" in done.stderr
    code = (
        "import sys\nimport scorer.__main__ as entry\nsys.argv = ['score', '--version']\n"
        "try:\n    entry.command()\nexcept SystemExit:\n    pass\nraise RuntimeError('after')\n"
    )
    after = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert after.returncode == 1 and "RuntimeError: after" in after.stderr  # not the command's 0
