"""The declarative scoring kinds on the illustrative rubric (tests/fixtures/rules/illustrative: NOT an official
rubric): its golden cases, each lint message at its line on a copy broken on purpose, explain, diff, coverage,
the inputs schema and the template; and the exact arithmetic the kinds rest on."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from scorer.engine.score import score
from scorer.formula.evaluate import compile_formula
from scorer.i18n import say, speaking
from scorer.inputs.read import parse_inputs
from scorer.inputs.schema import inputs_schema
from scorer.kinds.parts import Interval
from scorer.kinds.steps import Steps, count
from scorer.maintain import diff_report
from scorer.maintain.cases import discover, load_case, run_case, run_cases
from scorer.maintain.diff import diff
from scorer.maintain.lint import lint
from scorer.render import explain
from scorer.rules.read import load_rules
from scorer.template.scaffold import scaffold

ILLUSTRATIVE = Path(__file__).resolve().parent / "fixtures" / "rules" / "illustrative"
GOLDEN = ILLUSTRATIVE / "golden"
CASES = discover([GOLDEN])


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_illustrative_golden_case(path: Path) -> None:
    outcome = run_case(load_case(path), load_rules(ILLUSTRATIVE))
    assert outcome.passed, "\n".join(outcome.failures)


def test_the_cases_cover_every_band_step_item_grade_option_and_condition() -> None:
    report = run_cases([GOLDEN], lambda _: ILLUSTRATIVE)
    covered = report.coverage()
    assert covered.missing == []
    assert (
        covered.total == 76
    )  # 10 rows + 4 grades of the year + 36 parts of the kinds + 26 edges and thresholds, counted from the files


def test_a_missing_edge_is_named_by_coverage() -> None:
    report = run_cases([GOLDEN / "band-edges-i.yaml"], lambda _: ILLUSTRATIVE)
    missing = report.coverage().missing
    assert "band execution_bands.bands.items[1] [90, 95)" in missing
    assert "band execution_bands.bands.items[4] = 0" not in missing  # this case lands on it


def test_each_band_edge_counts_from_both_sides_and_each_threshold_from_its_first_step() -> None:
    on_edges = run_cases([GOLDEN / "band-edges-b.yaml"], lambda _: ILLUSTRATIVE).coverage().missing
    assert "band edge execution_bands.bands at 95, a value on it" not in on_edges  # 95 is given
    assert "band edge execution_bands.bands at 95, a value just below it" in on_edges  # 94.99 is not
    assert (
        "steps threshold public_expense_steps.steps 100, a value in its first step" not in on_edges
    )  # 100.99
    beside = run_cases([GOLDEN / "band-edges-c.yaml"], lambda _: ILLUSTRATIVE).coverage().missing
    assert "band edge execution_bands.bands at 95, a value just below it" not in beside  # 94.99
    assert "band edge execution_bands.bands at 95, a value on it" in beside


def test_the_edges_missed_are_kept_as_facts_and_worded_in_the_language_asked() -> None:
    """Coverage is counted once, in no language; each edge, threshold and branch is worded where it is shown."""
    covered = run_cases([GOLDEN / "band-edges-c.yaml"], lambda _: ILLUSTRATIVE).coverage()
    english, chinese = covered.words("en"), covered.words("zh")
    assert "band edge execution_bands.bands at 95, a value on it" in english
    assert "区间边界 execution_bands.bands 的 95：恰在边界上的值" in chinese
    assert len(english) == len(chinese) == covered.total - covered.exercised
    assert not any("band edge" in word or "steps threshold" in word for word in chinese)


# -- lint on a copy broken on purpose ---------------------------------------------------------------------------

BROKEN = [
    ("a gap between bands", "execution_bands", '{from: 90, to: 95, ends: "[)", points: 8', '{from: 91, to: 95, ends: "[)", points: 8',
     ["execution_bands.yaml:17: [execution_bands] bands.items[2]: no band holds the values [90, 91), between this band [80, 90) and [91, 95) (bands.items[1]): make [91, 95) start at 90 (inclusive, 含), or end this one at 91 (exclusive, 不含)"]),
    ("an open end leaves one value out", "execution_bands", '{from: 90, to: 95, ends: "[)", points: 8', '{from: 90, to: 95, ends: "()", points: 8',
     ["execution_bands.yaml:17: [execution_bands] bands.items[2]: no band holds the values = 90, between this band [80, 90) and (90, 95) (bands.items[1]): make (90, 95) start at 90 (inclusive, 含), or end this one at 90 (inclusive, 含)"]),
    ("overlapping bands", "carryover_bands", '{from: 10, to: 20, ends: "(]", points: 2', '{from: 5, to: 20, ends: "(]", points: 2',
     ["carryover_bands.yaml:19: [carryover_bands] bands.items[2]: (5, 20] overlaps (0, 10] (bands.items[1]): a value in both would take the first; end (0, 10] at 5 (inclusive, 含), or start (5, 20] at 10 (exclusive, 不含)"]),
    ("bands short of the declared range", "carryover_bands", "range: {min: 0, max: 100}", "range: {min: 0, max: 150}",
     ["carryover_bands.yaml:20: [carryover_bands] bands.items[3]: no band holds the values (100, 150], above this band (20, 100]: make it end at 150 (inclusive, 含), or add a band for them"]),
    ("bands out of order", "execution_by_type",
     '          - {from: 90, to: 100, ends: "[]", points: 5}\n          - {from: 60, to: 90, ends: "[)", points: 3, reason: "项目支出执行率为{value}%，在60%(含)-90%之间，得{points}分。"}\n          - {from: 0, to: 60, ends: "[)", points: 0, reason: "项目支出执行率为{value}%，低于60%，不得分。"}\n',
     '          - {from: 60, to: 90, ends: "[)", points: 3, reason: "项目支出执行率为{value}%，在60%(含)-90%之间，得{points}分。"}\n          - {from: 0, to: 60, ends: "[)", points: 0, reason: "项目支出执行率为{value}%，低于60%，不得分。"}\n          - {from: 90, to: 100, ends: "[]", points: 5}\n',
     ["execution_by_type.yaml:24: [execution_by_type] alternatives.options[0].bands.items[0]: this band [60, 90) and the next, [0, 60) (alternatives.options[0].bands.items[1]), are out of order: the bands run from low to high; swap them"]),
    ("band points above the weight", "execution_bands", "ends: \"[]\", points: 10}", "ends: \"[]\", points: 12}",
     ["execution_bands.yaml:15: [execution_bands] bands.items[0].points: 12 points are more than the row's weight 10"]),
    ("steps of zero", "public_expense_steps", "  per: 1\n", "  per: 0\n",
     ["public_expense_steps.yaml:16: [public_expense_steps] steps.per: 'per' is 0: the steps would never deduct anything (or divide by zero)"]),
    ("occurrence points above the weight", "audit_findings", 'points: 1, reason: {zh: "被通报批评', 'points: 4, reason: {zh: "被通报批评',
     ["audit_findings.yaml:12: [audit_findings] per_occurrence[1].points: 4 points are more than the row's weight 3"]),
    ("checklist not summing to the weight", "pm_checklist", "{id: on_time, text: 按时报送自评材料, points: 1,", "{id: on_time, text: 按时报送自评材料, points: 1.5,",
     ["pm_checklist.yaml:11: [pm_checklist] checklist: the checklist's items sum to 4.5, but the row weighs 4"]),
    ("a group not summing to its points", "pm_checklist", "{id: covers_use, text: 含结果应用, points: 0.5", "{id: covers_use, text: 含结果应用, points: 1",
     ["pm_checklist.yaml:15: [pm_checklist] checklist[1].points: the items under '制度内容完整' sum to 2.5, but it is worth 2"]),
    ("a gate that can never hold", "targets_gate", "  - when: not targets_set", "  - when: targets_set == 2",
     ["targets_gate.yaml:15: [targets_gate] gates[0].when: the condition 'targets_set == 2' holds for no value in its inputs' declared ranges: it is never reached"]),
    ("a gate decided first by another", "cost_control", "proportional:\n", "gates:\n  - {when: projects < 1, reason: 不得分}\nproportional:\n",
     ["cost_control.yaml:18: [cost_control] gates[0].when: 'projects < 1' is never reached: wherever it holds, not_applicable[0] decides first"]),
    ("a grade above the weight", "satisfaction", '{name: 好, from: 4, to: 5,', '{name: 好, from: 4, to: 6,',
     ["satisfaction.yaml:11: [satisfaction] graded[0].to: 6 points are more than the row's weight 5"]),
    ("grades leaving scores out", "satisfaction", '{name: 差, from: 0, to: 2, ends: "[]"}', '{name: 差, from: 0, to: 2, ends: "[)"}',
     ["satisfaction.yaml:14: [satisfaction] graded[3]: no band holds the values = 2, between this band [0, 2) and (2, 3] (graded[2]): make (2, 3] start at 2 (inclusive, 含), or end this one at 2 (inclusive, 含)"]),
    ("an alternative never chosen", "execution_by_type", "      when: project_budget > 0", "      when: project_budget < 0",
     ["execution_by_type.yaml:20: [execution_by_type] alternatives.options[0].when: the alternative's condition 'project_budget < 0' holds for no value in its inputs' declared ranges: it is never chosen"]),
    ("a kind without its section", "audit_findings", "scoring: per_occurrence", "scoring: checklist",
     ["audit_findings.yaml:9: [audit_findings] scoring: scoring is 'checklist' but the file has no 'checklist:' section",
      "audit_findings.yaml:10: [audit_findings] per_occurrence: 'per_occurrence:' is never used: scoring is 'checklist' (set scoring: per_occurrence, or remove this section)"]),
    ("an unguarded division", "carryover_bands", "budget_total: {type: number, min: 0.01,", "budget_total: {type: number, min: 0,",
     ["carryover_bands.yaml:14: [carryover_bands] bands.of: divides by zero when 'budget_total' is 0; guard it, e.g. '... if budget_total else ...'"]),
    ("a band end not declared", "execution_bands", '{from: 95, to: 100, ends: "[]", points: 10}', "{from: 95, to: 100, points: 10}",
     ["execution_bands.yaml:15: [execution_bands] bands.items[0]: declare the band's range and each end: from, to and ends: \"[)\" is from ≤ x < to (80%(含)-90%), \"(]\" is from < x ≤ to (0-10%(含)), \"[]\" and \"()\" both ends; or equals: for one exact value",
      "execution_bands.yaml:15: [execution_bands] bands.items[0]: no band holds the values = 100, above this band [95, 100): make it end at 100 (inclusive, 含), or add a band for them"]),
]  # fmt: skip


def _copy(tmp_path: Path, indicator: str, old: str, new: str) -> Path:
    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / f"{indicator}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("what", "indicator", "old", "new", "expected"), BROKEN, ids=[c[0] for c in BROKEN])
def test_each_kind_mistake_is_found_at_its_line(
    what: str, indicator: str, old: str, new: str, expected: list[str], tmp_path: Path
) -> None:
    folder = _copy(tmp_path, indicator, old, new)
    with speaking("en"):
        report = lint([str(folder)])
    got = [str(p).replace(str(folder / "indicators") + "/", "") for p in report.problems]
    assert [line for line in got if "schema" not in line] == expected


def test_the_illustrative_rubric_is_clean() -> None:
    report = lint([str(ILLUSTRATIVE)])
    assert report.problems == []


def test_a_rules_year_without_golden_cases_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rules" / "2030"
    shutil.copytree(ILLUSTRATIVE, folder, ignore=shutil.ignore_patterns("golden"))
    monkeypatch.chdir(tmp_path)
    with speaking("en"):
        report = lint([str(folder)])
    assert [p.severity for p in report.problems] == ["warning"]
    assert "no golden cases for 2030" in str(report.problems[0])
    assert str(report.problems[0]).startswith("rules/2030/rubric.yaml:2: no golden cases for 2030: looked in")
    (tmp_path / "tests" / "golden" / "2030").mkdir(parents=True)
    shutil.copy(GOLDEN / "band-edges-i.yaml", tmp_path / "tests" / "golden" / "2030")
    assert lint([str(folder)]).problems == []


# -- explain, diff, schema, template ---------------------------------------------------------------------------


def _department(case: str):  # type: ignore[no-untyped-def]
    import yaml

    rules = load_rules(ILLUSTRATIVE)
    data = yaml.safe_load((GOLDEN / case).read_text(encoding="utf-8"))["inputs"]
    return rules, parse_inputs(yaml.safe_dump(data, allow_unicode=True), rules)


def test_explain_names_the_band_steps_items_gate_pick_and_alternative() -> None:
    rules, department = _department("band-edges-c.yaml")
    text = explain.render(score(rules, department), "en")
    assert "band: in band [90, 95): 8 points" in text
    assert "steps: 1 above 100; per 1, whole steps only: 1 step(s) × 0.5 = 0.5 deducted" in text
    assert "item: ✗ 建立绩效管理制度 (0 of 1)" in text
    assert "grade: graded '较好' (3, 4]: 满意率85%。" in text
    assert (
        "scored by: basic '按基本支出执行率', as no other alternative applies" in text
    )  # the unconditional one
    rules, department = _department("band-edges-b.yaml")
    text = explain.render(score(rules, department), "zh")
    assert "否决条件: not targets_set 成立：该栏不得分——未设置绩效目标，该栏不得分。" in text


def test_reasons_follow_the_form_in_english_where_the_rule_gives_it() -> None:
    rules, department = _department("band-edges-c.yaml")
    rows = {row.id: row for row in score(rules, department).indicators}
    assert [say(r, "en") for r in rows["public_expense_steps"].reasons] == [
        "Public expenses at 101% of budget, 1 points above 100%: 0.5 per point, 0.5 deducted."
    ]
    assert [say(r, "en") for r in rows["pm_checklist"].reasons] == [
        "No performance management rules.",
        "未按时报送自评材料。",
    ]
    rules, department = _department("band-edges-b.yaml")
    rows = {row.id: row for row in score(rules, department).indicators}
    assert say(rows["pm_checklist"].reasons[0], "en") == "Not met: 含绩效评价 (0.5 points)."
    notes = [say(n, "en") for n in rows["execution_by_type"].notes]
    assert notes == ["Scored by '按基本支出执行率', as no other alternative applies."]


def test_not_applicable_is_said_in_the_result() -> None:
    rules, department = _department("full-marks-at-the-closed-top-edges.yaml")
    row = next(r for r in score(rules, department).indicators if r.id == "cost_control")
    assert row.score == 5 and row.reasons == ()
    assert [say(n, "zh") for n in row.notes] == ["不适用，得满分：本年度没有项目，该项不适用，得满分。"]


def test_diff_shows_a_band_and_a_step_change_as_a_table_and_rescores_every_case(tmp_path: Path) -> None:
    new = _copy(
        tmp_path,
        "execution_bands",
        '{from: 90, to: 95, ends: "[)", points: 8',
        '{from: 90, to: 95, ends: "[)", points: 7',
    )
    steps = new / "indicators" / "public_expense_steps.yaml"
    steps.write_text(
        steps.read_text(encoding="utf-8").replace("  points: 0.5\n", "  points: 1\n"), encoding="utf-8"
    )
    with speaking("en"):
        result = diff(load_rules(ILLUSTRATIVE), load_rules(new), [GOLDEN])
        text = diff_report.render(result, "text", "old", "new", "en")
    tables = {c.subject: c.table for c in result.changes if c.table}
    assert tables["execution_bands"][0][0] == "bands.items[1]"
    assert tables["execution_bands"][0][1].startswith("[90, 95): 8")
    assert tables["execution_bands"][0][2].startswith("[90, 95): 7")
    assert tables["public_expense_steps"] == (
        ("steps", "control_rate above 100: 0.5 / 1, whole", "control_rate above 100: 1 / 1, whole"),
    )
    assert len(result.impacts) == len(CASES)
    assert "public_expense_steps: 3.5 → 3" in text  # band-edges-c: one step, now 1 point
    assert "execution_bands: 8 → 7" in text


def test_schema_and_template_know_each_kinds_inputs() -> None:
    rules = load_rules(ILLUSTRATIVE)
    properties = inputs_schema(rules)["properties"]["indicators"]["properties"]
    assert properties["satisfaction"]["properties"]["judgement"]["properties"]["grade"]["enum"] == [
        "好",
        "较好",
        "一般",
        "差",
    ]
    assert properties["publicity_choice"]["properties"]["choice"]["enum"] == ["rate", "checklist"]
    assert set(properties["pm_checklist"]["properties"]) >= {"has_system", "covers_use", "on_time"}
    assert set(properties["audit_findings"]["properties"]) >= {"audit_problems", "criticisms"}
    with speaking("en"):
        text = scaffold(rules, [])
    assert "    judgement: {grade: , score: , reason: }" in text
    assert "choice:" in text and "rate (按信息公开率), checklist (按公开检查清单)" in text
    assert "has_system:              # 建立绩效管理制度: 是 or 否 (yes or no)" in text


# -- exact arithmetic -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [("floor(x)", Fraction(-5, 2), -3), ("ceil(x)", Fraction(-5, 2), -2), ("floor(x)", Fraction(5, 2), 2),
     ("ceil(x)", Fraction(5, 2), 3), ("floor(x)", Fraction(-3), -3), ("ceil(x)", Fraction(-1, 10**9), 0),
     ("floor(x / 3)", Fraction(-1), -1), ("ceil(x * 10)", Fraction(-11, 100), -1)],
)  # fmt: skip
def test_floor_and_ceil_are_exact_for_negatives(source: str, value: Fraction, expected: int) -> None:
    """floor rounds towards −∞ and ceil towards +∞, also below zero (as math.floor/ceil define them)."""
    assert compile_formula(source, {"x"}).evaluate({"x": value}) == expected


def _steps(partial: str) -> Steps:
    from decimal import Decimal

    return Steps(
        compile_formula("x", {"x"}),
        "above",
        Decimal(100),
        Decimal(2),
        Decimal("0.5"),
        partial,
        (),
        ("steps",),
    )


@pytest.mark.parametrize(
    ("partial", "value", "steps"),
    [("whole", Fraction(103), 1), ("started", Fraction(103), 2), ("proportional", Fraction(103), Fraction(3, 2)),
     ("whole", Fraction(100), 0), ("started", Fraction(100), 0), ("started", Fraction(99), 0),
     ("started", Fraction(10001, 100), 1), ("whole", Fraction(10399, 100), 1)],
)  # fmt: skip
def test_a_partial_step_is_treated_as_declared(partial: str, value: Fraction, steps: Fraction) -> None:
    """每超2个百分点扣0.5分 at 103: 1.5 steps: 1 whole, 2 started, 1.5 in proportion."""
    assert count(_steps(partial), value)[1] == steps


@pytest.mark.parametrize(
    ("ends", "inside", "outside"),
    [("[)", [80, Fraction(8999, 100)], [90, Fraction(7999, 100)]), ("(]", [Fraction(1, 100), 10], [0, Fraction(1001, 100)]),
     ("[]", [80, 90], [Fraction(7999, 100), Fraction(9001, 100)]), ("()", [Fraction(8001, 100)], [80, 90])],
)  # fmt: skip
def test_each_end_is_open_or_closed_as_declared(
    ends: str, inside: list[Fraction], outside: list[Fraction]
) -> None:
    from decimal import Decimal

    low, high = (Decimal(0), Decimal(10)) if ends == "(]" else (Decimal(80), Decimal(90))
    interval = Interval(low, high, ends[0] == "[", ends[1] == "]")
    assert all(interval.contains(Fraction(v)) for v in inside)
    assert not any(interval.contains(Fraction(v)) for v in outside)


def test_the_workbook_asks_for_each_kinds_inputs_and_scores_like_the_yaml(tmp_path: Path) -> None:
    """A clerk fills the template's rows (yes/no answers, counts, the grade, score and reason, the choice)
    with the values of a golden case: the workbook scores exactly as the case's YAML does."""
    import io

    import yaml
    from openpyxl import load_workbook

    from scorer.inputs.read import read_inputs
    from scorer.inputs.workbook import load_workbook_inputs
    from scorer.render.input_workbook import build_template

    rules = load_rules(ILLUSTRATIVE)
    book = load_workbook(io.BytesIO(build_template(rules, "zh", None, [])))
    data = yaml.safe_load((GOLDEN / "band-edges-b.yaml").read_text(encoding="utf-8"))["inputs"]
    sheet, profile = book.worksheets[1], book.worksheets[3]
    asked = set()
    for row in range(3, sheet.max_row + 1):
        ident, name = sheet.cell(row=row, column=6).value, sheet.cell(row=row, column=13).value
        if not ident or not name:
            continue
        asked.add(f"{ident}.{name}")
        entry = data["indicators"].get(ident, {})
        parts = name.split(".")
        value = (entry.get(parts[0]) or {}).get(parts[1]) if len(parts) == 2 else entry.get(name)
        if value is not None:
            sheet.cell(row=row, column=9).value = value
    for row in range(1, profile.max_row + 1):
        key = profile.cell(row=row, column=2).value
        if key in ("department", "year"):
            profile.cell(row=row, column=3).value = data[key]
    assert {"pm_checklist.covers_use", "satisfaction.judgement.grade", "satisfaction.judgement.reason",
            "publicity_choice.choice", "audit_findings.criticisms"} <= asked  # fmt: skip
    path = tmp_path / "filled.xlsx"
    book.save(path)
    from_book = score(rules, read_inputs(load_workbook_inputs(path), rules))
    assert from_book.total == 42.5
    assert [r.score for r in from_book.indicators] == [
        r.score for r in score(rules, _department("band-edges-b.yaml")[1]).indicators
    ]


def test_the_cookbook_turns_a_2022_ratio_row_into_threshold_scoring_on_a_copy(tmp_path: Path) -> None:
    """docs/writing-rules.md's recipe, applied to a copy (its threshold is an example, not official)."""
    import re

    from scorer.sources.shipped import rules_root

    folder = tmp_path / "2022-local"
    shutil.copytree(rules_root() / "guangzhou-huangpu-bumen" / "2022", folder)
    recipe = (Path(__file__).resolve().parent.parent / "docs" / "writing-rules.md").read_text(
        encoding="utf-8"
    )
    block = re.search(r"carryover_rate\.yaml`[^\n]*\n\n```yaml\n(.*?)```", recipe, re.S)
    assert block is not None
    path = folder / "indicators" / "carryover_rate.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("scoring: deductions\n", block[1]), encoding="utf-8"
    )
    problems = lint([str(folder)]).problems
    assert [p for p in problems if p.severity == "error"] == []
    assert not [p for p in problems if "carryover_rate" in str(p.location.path) and "bands.of" in str(p)]
    rules = load_rules(folder)
    text = (
        Path(__file__).resolve().parent / "golden" / "2022" / "inputs" / "2022-zhengwu-fuwu.yaml"
    ).read_text(encoding="utf-8")
    for given, expected in (("150", 1), ("100", 2), ("250", 0)):  # of a 1000 budget: 15%, 10%, 25%
        extra = f"\n  carryover_rate: {{carryover_amount: {given}, budget_total: 1000}}\n"
        department = parse_inputs(text.rstrip("\n") + extra, rules)
        row = next(r for r in score(rules, department).indicators if r.id == "carryover_rate")
        assert row.score == expected
    empty = text.rstrip("\n") + "\n  carryover_rate: {carryover_amount: 0, budget_total: 0}\n"
    row = next(r for r in score(rules, parse_inputs(empty, rules)).indicators if r.id == "carryover_rate")
    assert row.score == 2 and "不适用" in str(row)  # the zero case is decided by its own stated condition
