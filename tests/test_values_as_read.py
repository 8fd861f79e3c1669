"""What a value is, decided as it is read: numbers bounded before anything can write out their digits, tags that
must agree with their text, and formulas linted in the year of their own rubric."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.errors import UserError
from scorer.sources.yaml import parse_yaml

from .conftest import EXAMPLES, ROOT, VALID_INPUTS

runner = CliRunner()
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
MEMORY = 1536 * 1024 * 1024  # far more than any refusal needs; writing out a billion digits needs more


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def score_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`score …` as a user runs it, within 1.5 GB and 30 seconds: a number written out in full exceeds both."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")} | {"SCORE_NO_CACHE": "1"}
    return subprocess.run(
        [*SCORE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limited,
        env=env,
    )


# ---- numbers: bounded as the YAML and JSON readers construct them ------------------------------------------

RULE_NUMBERS = [
    # (file, old, new, where and what the message says)
    (
        "indicators/budget_execution.yaml",
        "weight: 10",
        "weight: 1.0e-999999999",
        "indicators/budget_execution.yaml:5: [budget_execution] weight: 1.0E-999999999 has more than 10 decimal places",
    ),
    (  # zero, but written out a billion zeros: the digest wrote it before any check refused it
        "indicators/budget_execution.yaml",
        "{type: percent, min: 0,",
        "{type: percent, min: 0.0e-999999999,",
        "indicators/budget_execution.yaml:9: [budget_execution] inputs.execution_rate.min: 0E-1000000000 has more than 10 decimal places",
    ),
    (
        "rubric.yaml",
        "total: 100",
        "total: 1.0e+999999999",
        "rubric.yaml:4: total: 1.0E+999999999 is too large to be right",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), RULE_NUMBERS)
def test_a_huge_exponent_in_a_rule_file_is_refused_as_read_by_lint_and_run(
    rules_copy: Callable[..., Path], tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = rules_copy({file: (old, new)})
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(VALID_INPUTS, encoding="utf-8")
    linted = score_bounded("lint", str(folder), cwd=tmp_path)
    assert linted.returncode == 1, linted.stderr[-500:]
    assert f"rules/{message}" in linted.stdout
    ran = score_bounded("run", str(inputs), "--rules", str(folder), cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr[-500:]
    assert f"error: rules/{message}" in ran.stderr and "Traceback" not in ran.stderr


INPUT_NUMBERS = [
    # an inputs file's year is read to choose the rules before anything else checks it
    ("year: 2022", "year: 1.0e+999999999", "dept.yaml:2: year: 1.0E+999999999 is too large to be right"),
    (
        "execution_rate: 98.88",
        "execution_rate: 0.0e-999999999",
        "dept.yaml:5: [budget_execution] execution_rate: 0E-1000000000 has more than 10 decimal places",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), INPUT_NUMBERS)
def test_a_huge_exponent_in_an_inputs_file_is_refused_as_read(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(VALID_INPUTS.replace(old, new), encoding="utf-8")
    ran = score_bounded("run", str(inputs), cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr[-500:]
    assert f"error: {message}" in ran.stderr


def test_a_huge_exponent_in_a_json_lines_batch_refuses_its_line_only(tmp_path: Path) -> None:
    department = {
        "department": "测试部门",
        "year": 2022,
        "indicators": {"budget_execution": {"execution_rate": 98.88}},
    }
    lines = [json.dumps(department, ensure_ascii=False)]
    lines.append(lines[0].replace('"year": 2022', '"year": 1e999999999'))
    lines.append(lines[0].replace("98.88", "0e-999999999"))
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = score_bounded("batch", "d.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-500:]
    assert "d.jsonl:2: a value that cannot be read: 1e999999999 is too large to be right" in done.stderr
    assert (
        "d.jsonl:3: a value that cannot be read: 0e-999999999 has more than 10 decimal places" in done.stderr
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 0.00000000000", "0E-11 has more than 10 decimal places"),
        ("a: 0.0e+99", "0E+98 is too large to be right"),
        ("a: .nan", "must be a finite number, got NaN"),
        ("a: 12345678901234", "12345678901234 is too large to be right"),
        ("a: 12345678.123456789", "12345678.123456789 has more than 15 significant digits"),
    ],
)
def test_the_yaml_reader_bounds_every_number_it_makes(text: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_yaml(text, "f.yaml")
    assert [str(p) for p in raised.value.problems] == [f"f.yaml:1: a: {message}"]
    assert parse_yaml("a: 0.0000000000\nb: -0.0\nc: 999999999999", "f.yaml").data["c"] == 999999999999


# ---- tags: a tag may not make a value mean what its text does not say --------------------------------------


@pytest.mark.parametrize("odd", ["!!bool maybe", '!!bool "true"', "!!bool 1", "!!null false", "!!str true"])
def test_a_tagged_boolean_is_refused_at_its_line(tmp_path: Path, odd: str) -> None:
    text = (EXAMPLES / "2022-suigang-targets.yaml").read_text(encoding="utf-8")
    assert text.count("        met: true\n") == 1
    path = tmp_path / "m.yaml"
    path.write_text(text.replace("        met: true\n", f"        met: {odd}\n"), encoding="utf-8")
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 1, result.output
    if odd.startswith("!!str"):  # text marked as text is text: the schema wants a boolean
        assert (
            "m.yaml:40: [output_targets] targets[17].met: expected true or false, got 'true'" in result.stderr
        )
    else:
        tag = odd.split()[0]
        assert f"m.yaml:40: [output_targets] targets[17].met: unsupported YAML tag '{tag}'" in result.stderr


def test_an_odd_boolean_in_a_rule_file_is_refused_by_lint(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy(
        {"indicators/carryover_rate.yaml": ("min: 0, optional: true,", "min: 0, optional: !!bool perhaps,")}
    )
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert (
        "indicators/carryover_rate.yaml:11: [carryover_rate] inputs.carryover_amount.optional: unsupported YAML tag '!!bool'"
        in result.stdout
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: !!bool yes", True),
        ("a: !!bool Off", False),
        ("a: !!int 16", 16),  # a hexadecimal 0x10 is refused: tests/test_yaml_number_forms.py
        ("a: !!str 12", "12"),
        ("a: !!timestamp 2022-12-31", "2022-12-31"),
        ("a: !!null ~", None),
    ],
)
def test_a_tag_that_agrees_with_its_text_changes_nothing(text: str, value: object) -> None:
    assert parse_yaml(text, "f.yaml").data == {"a": value}


@pytest.mark.parametrize("text", ["a: !!float 1", "a: !!int '12'", "a: !!timestamp soon", "a: !!null 0"])
def test_a_tag_that_disagrees_with_its_text_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="unsupported YAML tag"):
        parse_yaml(text, "f.yaml")


# ---- lint tries formulas in the rubric's own year ----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "divisor", "fails"), [(2025, "year - 2022", False), (2025, "year - 2025", True)]
)
def test_lint_tries_formulas_in_the_rubrics_own_year(
    rules_copy: Callable[..., Path], year: int, divisor: str, fails: bool
) -> None:
    folder = rules_copy(
        {
            "rubric.yaml": ("year: 2022", f"year: {year}"),
            "indicators/budget_execution.yaml": (
                "formula: weight * min(execution_rate, 100) / 100",
                f"formula: weight * min(execution_rate, 100) / 100 * 3 / ({divisor})",
            ),
        }
    )
    result = runner.invoke(app, ["lint", str(folder)])
    said = "indicators/budget_execution.yaml:11: [budget_execution] formula: on sample values:"
    assert (said in result.stdout) is fails, result.stdout
    assert result.exit_code == (1 if fails else 0), result.stdout


def test_lint_tries_conditions_in_the_rubrics_own_year(rules_copy: Callable[..., Path]) -> None:
    """A condition on `year` that holds in the rubric's year is reached; one that cannot is said."""
    gate = "not_applicable:\n  - {when: year < 2025, reason: 不适用。}\nscoring: formula\n"
    folder = rules_copy(
        {
            "rubric.yaml": ("year: 2022", "year: 2025"),
            "indicators/budget_execution.yaml": ("scoring: formula\n", gate),
        }
    )
    result = runner.invoke(app, ["lint", str(folder)])
    assert "the condition 'year < 2025' holds for no value" in result.stdout, result.stdout
