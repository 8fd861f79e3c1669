"""Classes of hostile input found by attacking the command from outside, each pinned by its answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import FIXTURE_RULES, ROOT, VALID_INPUTS

runner = CliRunner()
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def write(tmp_path: Path, text: str, name: str = "dept.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, *args: str) -> str:
    result = runner.invoke(app, ["run", str(write(tmp_path, text)), "--rules", "2022", *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.stderr


def test_flow_nesting_on_one_line_is_refused_before_the_parser(tmp_path: Path) -> None:
    text = "department: " + "[" * 100_000 + "]" * 100_000 + "\nyear: 2022\nindicators: {}\n"
    done = subprocess.run(
        [*SCORE, "run", str(write(tmp_path, text)), "--rules", "2022"], capture_output=True, timeout=60
    )
    assert done.returncode == 1 and b"nests too deeply" in done.stderr


@pytest.mark.parametrize("literal", ["1e999999999", "1e-999999999"])
def test_a_huge_formula_literal_is_refused_at_once(rules_copy: Callable[..., Path], literal: str) -> None:
    folder = rules_copy({"indicators/budget_execution.yaml": ("/ 100", f"/ 100 * {literal}")})
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1 and f"the number {literal} is out of range" in result.stdout


@pytest.mark.parametrize("value", ["0x" + "f" * 5000, "0b" + "1" * 20000, "1" * 5000])
def test_integers_of_thousands_of_digits_are_refused_quickly_and_briefly(tmp_path: Path, value: str) -> None:
    message = refused(tmp_path, VALID_INPUTS.replace("contracts_total: 11", f"contracts_total: {value}"))
    assert len(message) < 400 and "..." in message


@pytest.mark.parametrize(("written", "char"), [('"9⁶"', "⁶"), ('"①⓪"', "①")])
def test_odd_digits_are_refused_not_read_as_other_numbers(tmp_path: Path, written: str, char: str) -> None:
    message = refused(tmp_path, VALID_INPUTS.replace("execution_rate: 98.88", f"execution_rate: {written}"))
    assert f"holds '{char}', which is not a plain digit" in message


def test_a_reason_of_invisible_fillers_is_no_reason(tmp_path: Path) -> None:
    text = (
        VALID_INPUTS
        + '  pm_system_execution:\n    deductions:\n      - {points: 1, reason: "\\u3164\\u115f\\u2800\\uffa0"}\n'
    )
    assert "a reason is required" in refused(tmp_path, text)


def test_a_target_name_of_zero_width_characters_is_refused(tmp_path: Path) -> None:
    text = (
        VALID_INPUTS
        + '  output_targets:\n    targets:\n      - {name: "\\u200b", target: "≥50次", actual: "60次"}\n'
    )
    assert "a target needs a name" in refused(tmp_path, text)


def test_counts_of_different_things_are_not_compared(tmp_path: Path) -> None:
    text = (
        VALID_INPUTS
        + '  output_targets:\n    targets:\n      - {name: 走访, target: "≥50次", actual: "60人"}\n'
    )
    assert "units differ" in refused(tmp_path, text)


@pytest.mark.parametrize("budget", ["0.00001", '"0.0000000001"'])
def test_tiny_numbers_reach_json_exactly(tmp_path: Path, budget: str) -> None:
    path = write(tmp_path, VALID_INPUTS.replace("year: 2022\n", f"year: 2022\nbudget: {{total: {budget}}}\n"))
    result = runner.invoke(app, ["run", str(path), "--rules", "2022", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert str(json.loads(result.stdout)["budget"]["total"]) in ("1e-05", "1e-10")


def test_a_year_written_as_a_decimal_is_that_year(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_INPUTS.replace("year: 2022", "year: 2022.0"))
    result = runner.invoke(app, ["run", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2022


def test_text_from_a_file_is_never_a_formula_or_a_control_code_in_a_workbook(tmp_path: Path) -> None:
    text = VALID_INPUTS.replace("department: 测试部门", 'department: "=HYPERLINK(\\"http://evil\\")\\x1b"')
    text += '  pm_system_execution:\n    deductions:\n      - {points: 1, reason: "=1+2"}\n'
    target = tmp_path / "form.xlsx"
    result = runner.invoke(app, ["run", str(write(tmp_path, text)), "--rules", "2022", "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert sheet["A1"].value.startswith("2022年度=HYPERLINK") or "=HYPERLINK" in str(sheet["B3"].value)


def test_output_never_replaces_a_read_only_file_or_anything_in_the_shipped_rules(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    locked = tmp_path / "locked.json"
    locked.write_text("keep", encoding="utf-8")
    locked.chmod(0o444)
    if os.access(locked, os.W_OK):
        pytest.skip("running as a user who can write anything")
    result = runner.invoke(app, ["run", str(inputs), "-o", str(locked)])
    assert result.exit_code == 1 and "is read-only" in result.stderr
    assert locked.read_text(encoding="utf-8") == "keep"


def test_the_released_list_is_protected_like_the_rules(tmp_path: Path) -> None:
    from scorer.sources.shipped import rules_root

    released = rules_root() / "released.yaml"
    before = released.read_bytes()
    result = runner.invoke(
        app, ["run", str(write(tmp_path, VALID_INPUTS)), "-f", "json", "-o", str(released)]
    )
    assert result.exit_code == 1 and "refusing to write over the rules folder" in result.stderr
    assert released.read_bytes() == before


def test_usage_errors_go_through_the_escaping_stream(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [*SCORE, "explain", str(write(tmp_path, VALID_INPUTS)), "--indicator", "\u202eevil\a\r"],
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 2
    assert not any(b in done.stderr for b in (b"\x07", b"\r", "\u202e".encode()))


def test_a_missing_indicators_folder_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    shutil.copytree(FIXTURE_RULES, folder)
    shutil.rmtree(folder / "indicators")
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 2 and "no indicators folder" in result.stdout


def test_template_refuses_an_empty_or_unreadable_table(tmp_path: Path) -> None:
    empty = write(tmp_path, "", "empty.tsv")
    result = runner.invoke(app, ["template", "--targets", str(empty)])
    assert result.exit_code == 1 and "the file is empty" in result.stderr
    wide = write(
        tmp_path, "二级指标\t三级指标\t年度指标值\n数量指标\t" + "x" * 200_000 + "\t1次\n", "wide.tsv"
    )
    result = runner.invoke(app, ["template", "--targets", str(wide)])
    assert result.exit_code == 1 and "cannot read the table" in result.stderr


def test_min_coverage_must_be_a_percentage() -> None:
    result = runner.invoke(app, ["test", "--min-coverage", "nan"])
    assert result.exit_code == 2 and "--min-coverage must be a number from 0 to 100" in result.output


def test_a_full_width_colon_is_named_at_its_own_line(tmp_path: Path) -> None:
    text = VALID_INPUTS.replace("    contracts_total: 11", "    contracts_total：11")
    message = refused(tmp_path, text)
    assert message.strip().endswith(
        "dept.yaml:7: this line's colon is a full-width '：'; write a half-width ':' followed by a space (e.g. contracts_total: 15)"
    )


def test_an_indicator_written_by_its_chinese_name_is_suggested_its_id(tmp_path: Path) -> None:
    text = VALID_INPUTS.replace("  contract_filing_timeliness:", "  合同备案时效性:")
    assert "unknown key '合同备案时效性' (did you mean 'contract_filing_timeliness'?)" in refused(
        tmp_path, text
    )


def test_the_templates_placeholder_is_no_department_name(tmp_path: Path) -> None:
    for placeholder in ("（填写部门名称）", "(fill in the department's name)"):
        text = VALID_INPUTS.replace("department: 测试部门", f'department: "{placeholder}"')
        assert "still the template's placeholder" in refused(tmp_path, text)


def test_a_number_with_the_inputs_own_unit_is_read_and_another_unit_refused(tmp_path: Path) -> None:
    text = VALID_INPUTS.replace("contracts_total: 11", "contracts_total: 11份").replace(
        "sme_suitable_budget: 10", "sme_suitable_budget: 10万"
    )
    result = runner.invoke(app, ["run", str(write(tmp_path, text)), "--rules", "2022", "-f", "json"])
    assert result.exit_code == 0, result.output
    message = refused(tmp_path, VALID_INPUTS.replace("contracts_total: 11", "contracts_total: 11人"))
    assert "contracts_total: '11人' is in '人', but this input is in 份; write the number alone" in message


def test_a_table_saved_by_excel_on_chinese_windows_is_read(tmp_path: Path) -> None:
    table = tmp_path / "绩效指标.csv"
    table.write_bytes("二级指标,三级指标,年度指标值\n数量指标,走访次数,≥50次\n".encode("gb18030"))
    result = runner.invoke(app, ["template", "--targets", str(table)])
    assert result.exit_code == 0, result.output
    assert 'name: "走访次数"' in result.stdout and 'target: "≥50次"' in result.stdout
