"""Corrections to the declarative scoring kinds found by trying them as a rubric maintainer would, on the
illustrative rubric (tests/fixtures/rules/illustrative: NOT an official rubric)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from scorer.engine.score import score
from scorer.i18n import say
from scorer.inputs.read import parse_inputs
from scorer.rules.read import load_rules

ILLUSTRATIVE = Path(__file__).resolve().parent / "fixtures" / "rules" / "illustrative"
GOLDEN = ILLUSTRATIVE / "golden"


def _scored(changes: dict[str, dict[str, object]], case: str = "band-edges-b.yaml"):  # type: ignore[no-untyped-def]
    rules = load_rules(ILLUSTRATIVE)
    data = yaml.safe_load((GOLDEN / case).read_text(encoding="utf-8"))["inputs"]
    data["indicators"].update(changes)
    result = score(rules, parse_inputs(yaml.safe_dump(data, allow_unicode=True), rules))
    return {row.id: row for row in result.indicators}


# -- 1. a deduction's reason never states more than was deducted ------------------------------------------------


def test_per_occurrence_reasons_say_what_was_actually_deducted_and_that_it_was_capped() -> None:
    # weight 3: 4 problems × 0.5 = 2 (all of it taken), then 5 criticisms × 1 = 5 of which only 1 is left
    row = _scored({"audit_findings": {"audit_problems": 4, "criticisms": 5}})["audit_findings"]
    assert row.score == 0
    assert [say(r, "zh") for r in row.reasons] == [
        "审计、财政监督检查发现问题4个，每个扣0.5分，扣2分。",
        "被通报批评5次，扣1分。",
        "按标准计应扣 7 分，超过本项分值 3 分，扣完为止，实扣 3 分。",
    ]
    assert say(row.reasons[1], "en") == "Publicly criticised 5 times: 1 deducted."


def test_per_occurrence_deductions_within_the_weight_say_no_cap() -> None:
    row = _scored({"audit_findings": {"audit_problems": 2, "criticisms": 2}})["audit_findings"]
    assert row.score == 0  # 1 + 2 = 3, exactly the weight: nothing was cut off
    assert [say(r, "zh") for r in row.reasons] == [
        "审计、财政监督检查发现问题2个，每个扣0.5分，扣1分。",
        "被通报批评2次，扣2分。",
    ]


def test_a_steps_reason_never_deducts_more_than_the_weight() -> None:
    # weight 4; 148 above 100 → 48 whole steps × 0.5 = 24 by the rule, 4 deducted
    row = _scored({"public_expense_steps": {"control_rate": 148}})["public_expense_steps"]
    assert row.score == 0
    texts = [say(r, "zh") for r in row.reasons]
    assert texts == [
        "公用经费控制率为148%，超出48个百分点，每超1个百分点扣0.5分，扣4分。",
        "按标准计应扣 24 分，超过本项分值 4 分，扣完为止，实扣 4 分。",
    ]
    assert all(Decimal(n) <= 4 for text in texts[:1] for n in [text.split("扣")[-1].rstrip("分。")])


# -- 2. a table `score run -o` wrote under a rubric with kinds audits clean ------------------------------------

SCORED_CASES = [p for p in sorted(GOLDEN.glob("*.yaml")) if not p.name.startswith("refused")]


def _workbook(tmp_path: Path, case: Path, lang: str) -> Path:
    from typer.testing import CliRunner

    from cli import app

    inputs = tmp_path / f"{case.stem}.yaml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))["inputs"]
    inputs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    path = tmp_path / f"{case.stem}-{lang}.xlsx"
    args = ["run", str(inputs), "--rules", str(ILLUSTRATIVE), "-o", str(path), "--lang", lang]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return path


def _audited(path: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    import json

    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["audit", str(path), "--rules", str(ILLUSTRATIVE), "-f", "json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", SCORED_CASES, ids=[p.stem for p in SCORED_CASES])
def test_every_kind_written_by_score_run_audits_clean_and_is_rescored(
    tmp_path: Path, case: Path, lang: str
) -> None:
    expected = Decimal(str(yaml.safe_load(case.read_text(encoding="utf-8"))["expect"]["total"]))
    code, data = _audited(_workbook(tmp_path, case, lang))
    (table,) = data["tables"]
    assert [f for f in table["findings"] if f["severity"] == "error"] == []
    assert code == 0
    assert Decimal(str(table["rescored_total"])) == expected  # the kinds' inputs read back and scored again


def test_a_kind_rows_score_that_disagrees_with_its_reasons_is_named(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _workbook(tmp_path, GOLDEN / "band-edges-c.yaml", "zh")  # 2 problems, 1 criticism: 3 − 1 − 1
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "财务合规性")
    score = sheet.cell(row=cell.row, column=8)
    assert Decimal(str(score.value)) == 1  # as the case's comment works it out by hand
    score.value = 2
    book.save(path)
    code, data = _audited(path)
    assert code == 1
    found = {(f["key"], f["line"]) for table in data["tables"] for f in table["findings"]}
    assert ("audit.kind", f"{sheet.title}!H{cell.row}") in found


# -- 3. a condition asks only for the inputs its evaluation reads ------------------------------------------------


def _gate_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / "targets_gate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  - when: not targets_set\n", "  - when: not targets_set or targets_total == 0\n")
    )
    return folder


def _read(folder: Path, row: dict[str, object]):  # type: ignore[no-untyped-def]
    rules = load_rules(folder)
    data = yaml.safe_load((GOLDEN / "band-edges-b.yaml").read_text(encoding="utf-8"))["inputs"]
    data["indicators"]["targets_gate"] = row
    return rules, parse_inputs(yaml.safe_dump(data, allow_unicode=True), rules)


def test_a_condition_that_holds_without_some_inputs_does_not_ask_for_them(tmp_path: Path) -> None:
    rules, department = _read(_gate_copy(tmp_path), {"targets_set": "否"})
    row = next(r for r in score(rules, department).indicators if r.id == "targets_gate")
    assert row.score == 0
    assert [say(r, "zh") for r in row.reasons] == ["未设置绩效目标，该栏不得分。"]


def test_a_condition_that_reads_a_missing_input_asks_for_it(tmp_path: Path) -> None:
    from scorer.errors import UserError
    from scorer.i18n import speaking

    folder = _gate_copy(tmp_path)
    with speaking("en"), pytest.raises(UserError) as caught:
        _read(folder, {"targets_set": "是"})
    text = str(caught.value)
    assert "targets_total" in text and "targets_met" in text
    rules, department = _read(folder, {"targets_set": "是", "targets_total": 0})  # the gate holds on 0
    row = next(r for r in score(rules, department).indicators if r.id == "targets_gate")
    assert row.score == 0


def test_holds_reads_only_the_names_it_needs() -> None:
    from scorer.formula.evaluate import MissingInput, compile_formula

    condition = compile_formula("not a or b == 0", {"a", "b"})
    assert condition.holds({"a": False}) is True
    with pytest.raises(MissingInput) as caught:
        condition.holds({"a": True})
    assert caught.value.name == "b"
    assert condition.holds({"a": True, "b": 1}) is False


# -- 4. a value outside the bands is the department's figure to check ------------------------------------------


def test_a_value_outside_the_bands_is_named_at_the_departments_line() -> None:
    from scorer.errors import UserError
    from scorer.i18n import speaking

    rules = load_rules(ILLUSTRATIVE)
    data = yaml.safe_load((GOLDEN / "band-edges-b.yaml").read_text(encoding="utf-8"))["inputs"]
    data["indicators"]["carryover_bands"] = {
        "carryover_amount": 150,
        "budget_total": 100,
    }  # 150%: bands end at 100
    text = yaml.safe_dump(data, allow_unicode=True)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "carryover_bands" in row)
    with speaking("en"), pytest.raises(UserError) as caught:
        parse_inputs(text, rules, "dept.yaml")
    (problem,) = caught.value.problems
    shown = str(problem)
    assert shown.startswith(f"dept.yaml:{line}: [")
    assert "150" in shown and "0 – 100" in shown and "check the figure" in shown


def test_lint_warns_when_the_bands_value_has_no_declared_range(tmp_path: Path) -> None:
    import shutil

    from scorer.i18n import speaking
    from scorer.maintain.lint import lint

    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / "carryover_bands.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  range: {min: 0, max: 100}\n", ""), encoding="utf-8"
    )
    with speaking("en"):
        problems = lint([str(folder)]).problems
    assert [(p.severity, str(p).split(": ", 1)[0].rsplit("/", 1)[-1]) for p in problems] == [
        ("warning", "carryover_bands.yaml:14")  # its `of:` line
    ]
    assert "no declared range" in str(problems[0])
