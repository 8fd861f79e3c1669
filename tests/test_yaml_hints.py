"""YAML syntax errors in rule and inputs files (one reader, scorer/sources/yaml.py) carry a hint where the slip is
likely: an indentation step, a full-width '，' or '：' inside a flow mapping {…}, unquoted text there. Text that
merely contains full-width punctuation is no error at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.errors import UserError
from scorer.i18n import speaking
from scorer.maintain.lint import lint
from scorer.render.problems import line
from scorer.sources.yaml import parse_yaml
from tests.conftest import VALID_INPUTS
from tests.test_kinds import ILLUSTRATIVE

INDENT = "check the indentation of this line and the line above"
COMMA = "a full-width '，' inside {…}"
COLON = "a full-width '：' inside {…}"
QUOTE = "inside {…}, quote text that contains"


def _refusal(text: str) -> str:
    with speaking("en"), pytest.raises(UserError) as caught:
        parse_yaml(text, "f.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("steps:\n  of: x\n   per: 5\n  points: 2\n", 3, INDENT),  # one space too many
        ("steps:\n  of: x\ndirection: below\n  per: 5\n", 4, INDENT),  # a key fallen out of its mapping
        ("items:\n  - {from: 95， to: 100, points: 10}\n", 2, COMMA),
        ("items:\n  - {from: 0, to: 80, reason: 低于80%：{value}%}\n", 2, QUOTE),
    ],
)
def test_a_syntax_error_names_its_likely_slip(text: str, line: int, hint: str) -> None:
    message = _refusal(text)
    assert message.startswith(f"f.yaml:{line}: YAML syntax error") and hint in message


def test_no_hint_is_invented_for_other_errors() -> None:
    message = _refusal('a: "unclosed\n')
    assert not any(hint in message for hint in (INDENT, COMMA, COLON, QUOTE))


def test_full_width_punctuation_in_text_is_no_error() -> None:
    doc = parse_yaml(
        "items:\n  - {from: 0, to: 80, reason: 预算执行率低于80%，不得分}\nexplanation: 计算公式：支出数/预算数\n",
        "f",
    )
    assert doc.data["items"][0]["reason"] == "预算执行率低于80%，不得分"


def test_the_hints_speak_chinese() -> None:
    with speaking("zh"), pytest.raises(UserError) as caught:
        parse_yaml("items:\n  - {from: 95， to: 100}\n", "f.yaml")
    assert "{…} 中用了全角逗号“，”" in line(caught.value.problems[0], "zh")


def test_a_full_width_colon_in_a_rule_files_flow_mapping_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / "execution_bands.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{from: 95, to: 100,", "{from：95, to: 100,"), encoding="utf-8")
    with speaking("en"):
        messages = [str(p) for p in lint([str(folder)]).problems]
    assert any(
        "execution_bands.yaml:15:" in m and "unknown key 'from：95'" in m and COLON in m for m in messages
    ), messages


def test_an_inputs_files_indentation_slip_is_hinted(tmp_path: Path) -> None:
    path = tmp_path / "dept.yaml"
    path.write_text(
        VALID_INPUTS.replace("    contracts_filed_on_time: 9", "     contracts_filed_on_time: 9"), "utf-8"
    )
    result = CliRunner().invoke(app, ["run", str(path), "--rules", "2022"])
    assert (
        result.exit_code == 1
        and "dept.yaml:8: YAML syntax error" in result.stderr
        and INDENT in result.stderr
    )
