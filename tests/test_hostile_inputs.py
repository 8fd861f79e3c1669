"""Broken and hostile inputs files: each read right or refused with one message and exit 1, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scorer.sources.output
from cli import app

from .conftest import EXAMPLES, VALID_INPUTS

runner = CliRunner()

BASE = VALID_INPUTS


def run_text(tmp_path: Path, text: str | bytes, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "dept.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = runner.invoke(app, ["run", str(path), "--rules", "2022", "-f", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr.replace(str(path), "dept.yaml")


# (what, old line, new line, the message)
REFUSED = [
    ("negative count", "    contracts_total: 11", "    contracts_total: -11",
     "error: dept.yaml:7: [contract_filing_timeliness] contracts_total: must be at least 0, got -11"),
    ("on-time above the total", "    contracts_filed_on_time: 9", "    contracts_filed_on_time: 12",
     "error: dept.yaml:8: [contract_filing_timeliness] contracts_filed_on_time: 按时备案合同数（签订之日起2个工作日内） (12) cannot exceed 签订合同数 (11)"),
    ("NaN", "    execution_rate: 98.88", "    execution_rate: .nan",
     "error: dept.yaml:5: [budget_execution] execution_rate: must be a finite number, got NaN"),
    ("inf", "    execution_rate: 98.88", "    execution_rate: .inf",
     "error: dept.yaml:5: [budget_execution] execution_rate: must be a finite number, got Infinity"),
    ("1e999 as YAML float", "    sme_suitable_budget: 10", "    sme_suitable_budget: 1.0e+999",
     "error: dept.yaml:10: [procurement_policy_effect] sme_suitable_budget: 1.0E+999 is too large to be right"),
    ("1e999 as text", "    sme_suitable_budget: 10", "    sme_suitable_budget: 1e999",
     "error: dept.yaml:10: [procurement_policy_effect] sme_suitable_budget: '1e999' is not a number"),
    ("empty string", "    contracts_total: 11", "    contracts_total: ''",
     "error: dept.yaml:7: [contract_filing_timeliness] contracts_total: '' is not a number"),
    ("nothing", "    contracts_total: 11", "    contracts_total:",
     "error: dept.yaml:7: [contract_filing_timeliness] contracts_total: expected a number or text, got nothing"),
    ("a word", "    execution_rate: 98.88", "    execution_rate: 很高",
     "error: dept.yaml:5: [budget_execution] execution_rate: '很高' is not a number (write it as 98.88 or \"98.88%\")"),
    ("true", "    execution_rate: 98.88", "    execution_rate: yes",
     "error: dept.yaml:5: [budget_execution] execution_rate: expected a number or text, got 'True'"),
    ("a fraction for a percent", "    execution_rate: 98.88", "    execution_rate: 0.9888",
     "error: dept.yaml:5: [budget_execution] execution_rate: 0.9888 looks like a fraction; 年度平均预算执行率 is in percent (write 98.88 or \"98.88%\"; for under 1% write \"0.9888%\")"),
    ("a percent for a count", "    contracts_total: 11", "    contracts_total: 11%",
     "error: dept.yaml:7: [contract_filing_timeliness] contracts_total: '11%' is a percentage, but a plain number is expected here"),
    ("unknown id", "  budget_execution:", "  budget_exec:",
     "error: dept.yaml:4: [budget_exec] unknown key 'budget_exec' (did you mean 'budget_execution'?)"),
    ("unknown key", "    contracts_total: 11", "    contract_total: 11",
     "error: dept.yaml:7: [contract_filing_timeliness] contract_total: unknown key 'contract_total' (did you mean 'contracts_total'?)"),
    ("unknown top-level key", "year: 2022", "yaer: 2022",
     "error: dept.yaml:2: yaer: unknown key 'yaer' (did you mean 'year'?)"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "old", "new", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_one_message(tmp_path: Path, what: str, old: str, new: str, message: str) -> None:
    assert old in BASE
    code, out, err = run_text(tmp_path, BASE.replace(old, new, 1))
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == message


ENTRIES = [
    ("deduction without a reason", "  pm_system_execution:\n    deductions: [{points: 1}]\n",
     "error: dept.yaml:13: [pm_system_execution] deductions[0].reason: a reason is required: the reason for the lost points (未达标原因)"),
    ("deduction with an empty reason", "  pm_system_execution:\n    deductions: [{points: 1, reason: '  '}]\n",
     "error: dept.yaml:13: [pm_system_execution] deductions[0].reason: a reason is required: the reason for the lost points (未达标原因)"),
    ("negative deduction", "  pm_system_execution:\n    deductions: [{points: -1, reason: 甲}]\n",
     "error: dept.yaml:13: [pm_system_execution] deductions[0].points: points deducted must be more than 0, got -1"),
    ("override above the weight", "  pm_system_execution:\n    override: {score: 7.5, reason: 甲}\n",
     "error: dept.yaml:13: [pm_system_execution] override.score: must be between 0 and the weight 7, got 7.5"),
    ("override below zero", "  pm_system_execution:\n    override: {score: -1, reason: 甲}\n",
     "error: dept.yaml:13: [pm_system_execution] override.score: must be between 0 and the weight 7, got -1"),
    ("override and deductions", "  pm_system_execution:\n    override: {score: 6, reason: 甲}\n    deductions: [{points: 1, reason: 乙}]\n",
     "error: dept.yaml:13: [pm_system_execution] override: give either an override or deductions, not both"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "entry", "message"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_deductions_and_overrides_refused(tmp_path: Path, what: str, entry: str, message: str) -> None:
    code, _, err = run_text(tmp_path, BASE + entry)
    assert code == 1
    assert err.splitlines()[0] == message


READ_RIGHT = [
    (
        "full-width digits",
        "    execution_rate: 98.88",
        "    execution_rate: ９８．８８",
        "budget_execution",
        9.88,
    ),
    (
        "full-width percent",
        "    execution_rate: 98.88",
        "    execution_rate: ９８.８８％",
        "budget_execution",
        9.88,
    ),
    (
        "thousands separators",
        "    sme_suitable_budget: 10",
        "    sme_suitable_budget: '11,887.73'",
        "procurement_policy_effect",
        0,
    ),
    (
        "a rate written with %",
        "    execution_rate: 98.88",
        "    execution_rate: 98.88%",
        "budget_execution",
        9.88,
    ),
    (
        "under 1% written with %",
        "    execution_rate: 98.88",
        "    execution_rate: 0.5%",
        "budget_execution",
        0.05,
    ),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "indicator", "score"), READ_RIGHT, ids=[r[0] for r in READ_RIGHT]
)
def test_read_right(tmp_path: Path, what: str, old: str, new: str, indicator: str, score: float) -> None:
    import json

    code, out, err = run_text(tmp_path, BASE.replace(old, new, 1))
    assert code == 0, err
    rows = {i["id"]: i["score"] for i in json.loads(out)["indicators"]}
    assert rows[indicator] == score


@pytest.mark.parametrize(
    ("what", "text", "message"),
    [
        ("python tag", BASE + "  pm_system_execution: !!python/object/apply:os.system ['echo pwned']\n",
         "error: dept.yaml:12: unsupported YAML tag '!!python/object/apply:os.system'"),
        ("custom tag", BASE.replace("98.88", "!decimal 98.88"), "error: dept.yaml:5: [budget_execution] execution_rate: unsupported YAML tag '!decimal'; only plain values are allowed"),
        ("alias bomb", "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
         "error: dept.yaml:1: the document expands to more than 200,000 values (alias bomb?)"),
        ("duplicate key", BASE.replace("    contracts_total: 11\n", "    contracts_total: 11\n    contracts_total: 12\n"),
         "error: dept.yaml:8: [contract_filing_timeliness] contracts_total: duplicate key 'contracts_total' (first defined on line 7)"),
        ("invalid UTF-8", BASE.encode("utf-8").replace("测试".encode(), b"\xff\xfe"),
         "error: dept.yaml:1: not valid UTF-8 text (byte 12); save the file as UTF-8"),
        ("GBK text", BASE.encode("gbk"), "error: dept.yaml:1: not valid UTF-8 text (byte 12); save the file as UTF-8"),
        ("tabs", BASE.replace("    execution_rate", "\texecution_rate"),
         "error: dept.yaml:5: YAML syntax error: found character that cannot start any token (a tab; use spaces, not tabs, to indent)"),
        ("deep nesting", "a: " + "[" * 3000 + "]" * 3000 + "\n", "error: dept.yaml:1: the document nests too deeply (more than 64 levels)"),
        ("very large file", "# " + "x" * (6 * 1024 * 1024) + "\n" + BASE, "error: dept.yaml: file is too large (the limit is 5,242,880 bytes)"),
        ("a list, not a mapping", "- 1\n- 2\n", "error: dept.yaml:1: expected a mapping with 'department' and 'indicators' (see examples/)"),
        ("empty file", "", "error: dept.yaml:1: expected a mapping with 'department' and 'indicators' (see examples/)"),
    ],
)  # fmt: skip
def test_hostile_yaml_is_refused(tmp_path: Path, what: str, text: str | bytes, message: str) -> None:
    code, _, err = run_text(tmp_path, text)
    assert code == 1
    assert err.splitlines()[0] == message


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_just_work(tmp_path: Path, variant: str) -> None:
    text = BASE.replace("\n", "\r\n") if "crlf" in variant else BASE
    data = ("\ufeff" if "bom" in variant else "") + text
    code, out, err = run_text(tmp_path, data.encode("utf-8"))
    assert code == 0, err
    assert '"total": 99.6,' in out  # 9.88 + 0.82 + 0.9 and full marks elsewhere


def test_output_refuses_to_overwrite_a_rules_file(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    folder = rules_copy()
    target = folder / "indicators" / "budget_execution.yaml"
    before = target.read_bytes()
    result = runner.invoke(
        app, ["run", str(EXAMPLES / "2022-suigang-zhizao.yaml"), "--rules", str(folder), "-o", str(target)]
    )
    assert result.exit_code == 1
    assert "refusing to write over the rules folder" in result.stderr
    assert target.read_bytes() == before


def test_an_interrupted_write_leaves_the_old_file_and_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "result.json"
    target.write_text("the previous result", encoding="utf-8")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scorer.sources.output.os, "replace", interrupted)
    result = runner.invoke(
        app, ["run", str(EXAMPLES / "2022-suigang-zhizao.yaml"), "-f", "json", "-o", str(target)]
    )
    assert result.exit_code == 130
    assert target.read_text(encoding="utf-8") == "the previous result"
    assert sorted(os.listdir(tmp_path)) == ["result.json"]


def test_output_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    result = runner.invoke(
        app, ["run", str(EXAMPLES / "2022-suigang-zhizao.yaml"), "-f", "json", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").endswith("}\n")
    assert sorted(os.listdir(tmp_path)) == ["result.json"]


def test_markup_in_a_reason_is_shown_as_written(tmp_path: Path) -> None:
    entry = "  pm_system_execution:\n    deductions: [{points: 1, reason: '[/red][bold]未自评[link=x]', improvement: '[/]'}]\n"
    path = tmp_path / "dept.yaml"
    path.write_text(BASE + entry, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), "--rules", "2022"])
    assert result.exit_code == 0, result.output
    assert "[/red][bold]未自评[link=x]" in result.stdout
    assert "[/]" in result.stdout
