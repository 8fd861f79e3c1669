"""A formula row's 自评分 in the clerk's workbook, computed by a real office suite, agrees with `score run`.

Workbooks filled with random and edge values (band edges, halves at the last kept place, 0, percent-formatted
cells) under several formulas and every rounding mode Excel has are recalculated by LibreOffice (headless, with a
profile of their own that recalculates every formula on load), and each formula row's shown score is compared with
the score `score run` gives the same workbook; a value the reader refuses shows blank. Skipped where LibreOffice is
not installed; .ci/run installs it and runs this file next to tests/office_check.py.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from scorer.inputs import workbook_layout as layout

from .conftest import FIXTURE_RULES

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
runner = CliRunner()

BUDGET, CONTRACTS, PROCUREMENT = ROWS = (
    "budget_execution",
    "contract_filing_timeliness",
    "procurement_policy_effect",
)
# Each variant: the formula and the rounding of the formula rows it changes (the others stay as published).
VARIANTS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "as published": {},
    "powers, and, up, down": {
        BUDGET: (None, "{places: 1, mode: half_up}"),
        CONTRACTS: (
            "weight * (contracts_filed_on_time / contracts_total) ** 2 if contracts_total > 0 and "
            "contracts_filed_on_time >= 0 else weight",
            "{places: 2, mode: up}",
        ),
        PROCUREMENT: (
            "clamp(floor(sme_awarded_amount * 10 / max(sme_suitable_budget, 1)) / 10 + abs(-0.05), 0, weight)",
            "{places: 1, mode: down}",
        ),
    },
    "modulo, chains, or, floor mode": {
        BUDGET: (
            "weight * min(execution_rate, 100) / 100 - (execution_rate % 7) / 70",
            "{places: 2, mode: floor}",
        ),
        CONTRACTS: (
            "weight - (contracts_total - contracts_filed_on_time) % 3 * 0.125 if 0 <= contracts_filed_on_time "
            "< contracts_total <= 50 else ceil(contracts_total / 7) * 0.0625",
            "{places: 3, mode: half_up}",
        ),
        PROCUREMENT: (
            "(sme_awarded_amount >= sme_suitable_budget or sme_awarded_amount / (sme_suitable_budget + 1)) "
            "* weight",
            None,
        ),
    },
}


def _rules(folder: Path, changes: dict[str, tuple[str | None, str | None]]) -> Path:
    shutil.copytree(FIXTURE_RULES, folder)
    for ident, (formula, rounding) in changes.items():
        path = folder / "indicators" / f"{ident}.yaml"
        text = path.read_text(encoding="utf-8")
        for key, value in (("formula", formula), ("rounding", rounding)):
            if value is not None:
                text = re.sub(rf"(?m)^{key}: .*$", (f"{key}: {value}").replace("\\", "\\\\"), text, count=1)
        path.write_text(text, encoding="utf-8")
    return folder


def _percent(rng: random.Random) -> tuple[Any, str]:
    """An execution rate as a clerk types it: a number, or a fraction shown as a percentage."""
    value = rng.choice(
        [rng.randint(2, 100), rng.randint(101, 10000) / 100, rng.randint(1001, 100000) / 1000,
         100, 0, 98.885, 99.995, 12.345, 50.005, 1.005, 33.3333]
    )  # fmt: skip
    if value and rng.random() < 0.25:
        return float(Decimal(repr(value)) / 100), "0.00%"
    return value, "General"


def _values(rng: random.Random) -> dict[str, tuple[Any, str]]:
    total = rng.choice([0, 1, 3, 7, 8, 11, 22, 40, 200, rng.randint(1, 60)])
    filed = rng.choice([0, total, total // 2, 1 if total else 0, rng.randint(0, total)])
    budget = rng.choice([0, 1, 200, 369.0302, 12.5, rng.randint(1, 100000) / 100, rng.randint(1, 999)])
    awarded = rng.choice([0, budget, 1, 328.6084, 0.005, rng.randint(0, 200000) / 100, 2.675])
    return {
        "execution_rate": _percent(rng),
        "contracts_total": (total, "General"),
        "contracts_filed_on_time": (filed, "General"),
        "sme_suitable_budget": (budget, "General"),
        "sme_awarded_amount": (awarded, "General"),
    }


def _filled(template: Path, path: Path, values: dict[str, tuple[Any, str]]) -> Path:
    book = openpyxl.load_workbook(template)
    profile, sheet = book["基本情况"], book["指标"]
    for row in range(layout.FIRST_ROW, profile.max_row + 1):
        key = profile.cell(row=row, column=layout.P_KEY).value
        if key in ("department", "units"):
            profile.cell(row=row, column=layout.P_VALUE).value = "测试局" if key == "department" else 1
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        name = sheet.cell(row=row, column=layout.INPUT).value
        if name in values:
            cell = sheet.cell(row=row, column=layout.VALUE)
            cell.value, cell.number_format = values[name]
    book.save(path)
    return path


def _recalculated(paths: list[Path], out: Path) -> dict[str, dict[str, Any]]:
    """Each workbook as LibreOffice computes it: the value its 自评分 cell shows, by row id."""
    profile = out / "profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "".join(
            f'<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="{mode}" '
            'oor:op="fuse"><value>0</value></prop></item>\n'  # 0: recalculate always on load
            for mode in ("OOXMLRecalcMode", "ODFRecalcMode")
        )
        + "</oor:items>\n",
        encoding="utf-8",
    )
    assert OFFICE is not None
    subprocess.run(
        [OFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    shown = {}
    for path in paths:
        sheet = openpyxl.load_workbook(out / path.name, data_only=True)["指标"]
        rows = {sheet.cell(r, layout.ID).value: r for r in range(sheet.max_row, layout.FIRST_ROW - 1, -1)}
        shown[path.name] = {ident: sheet.cell(rows[ident], layout.SCORE).value for ident in ROWS}
    return shown


def _scores(path: Path, rules: Path) -> dict[str, Decimal]:
    result = runner.invoke(app, ["run", str(path), "--rules", str(rules), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout, parse_float=Decimal)["indicators"]
    return {row["id"]: Decimal(row["score"]) for row in rows if row["id"] in ROWS}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_score_an_office_suite_shows_is_score_run_s(variant: str, tmp_path: Path) -> None:
    rules = _rules(tmp_path / "rules", VARIANTS[variant])
    template = tmp_path / "template.xlsx"
    assert (
        runner.invoke(app, ["template", "--rules", str(rules), "--lang", "zh", "-o", str(template)]).exit_code
        == 0
    )
    rng = random.Random(f"{variant}-2022")
    filled = [_filled(template, tmp_path / f"filled-{n}.xlsx", _values(rng)) for n in range(24)]
    shown = _recalculated(filled, tmp_path / "out")
    for path in filled:
        expected = _scores(path, rules)
        assert _scores(tmp_path / "out" / path.name, rules) == expected  # the cached values are not read
        for ident in ROWS:
            value = shown[path.name][ident]
            assert isinstance(value, int | float), (path.name, ident, value)
            assert Decimal(repr(value)) == expected[ident], (
                variant,
                path.name,
                ident,
                value,
                expected[ident],
            )


REFUSED = [
    ("execution_rate", None, "General"),
    ("execution_rate", "九十", "General"),
    ("execution_rate", 0.934, "General"),  # a fraction typed for a percentage
    ("execution_rate", 934, "General"),  # over the rate's max
    ("contracts_total", 3.5, "General"),  # a count's decimals
    ("contracts_filed_on_time", 30, "General"),  # more than the contracts signed
    ("contracts_total", 0.5, "0%"),  # a count shown as a percentage
    ("sme_suitable_budget", -1, "General"),
    ("sme_awarded_amount", True, "General"),
]


def test_a_value_the_reader_refuses_shows_a_blank_score(tmp_path: Path) -> None:
    rules = _rules(tmp_path / "rules", {})
    template = tmp_path / "template.xlsx"
    assert (
        runner.invoke(app, ["template", "--rules", str(rules), "--lang", "zh", "-o", str(template)]).exit_code
        == 0
    )
    good = {"execution_rate": (93.4, "General"), "contracts_total": (22, "General"),
            "contracts_filed_on_time": (9, "General"), "sme_suitable_budget": (369.0302, "General"),
            "sme_awarded_amount": (328.6084, "General")}  # fmt: skip
    paths = [
        _filled(template, tmp_path / f"refused-{n}.xlsx", {**good, name: (value, shape)})
        for n, (name, value, shape) in enumerate(REFUSED)
    ]
    shown = _recalculated(paths, tmp_path / "out")
    rows = {"execution_rate": "budget_execution", "sme_suitable_budget": "procurement_policy_effect",
            "sme_awarded_amount": "procurement_policy_effect"}  # fmt: skip
    for path, (name, value, _) in zip(paths, REFUSED, strict=True):
        ident = rows.get(name, "contract_filing_timeliness")
        assert shown[path.name][ident] in (None, ""), (name, value, shown[path.name][ident])
        result = runner.invoke(app, ["run", str(path), "--rules", str(rules)])
        assert result.exit_code == 1 and "Traceback" not in result.output, (name, value, result.output)
    assert [shown[paths[0].name][ident] for ident in ROWS[1:]] == [0.41, 0.89]


def test_a_value_with_more_decimals_than_a_float_keeps_shows_a_blank_score(tmp_path: Path) -> None:
    """99.9999999999% scores 9.99 (truncated, exactly); a float computation would show 10: the cell shows none."""
    rules = _rules(tmp_path / "rules", {})
    template = tmp_path / "template.xlsx"
    done = runner.invoke(app, ["template", "--rules", str(rules), "--lang", "zh", "-o", str(template)])
    assert done.exit_code == 0
    values = {"execution_rate": (99.9999999999, "General"), "contracts_total": (22, "General"),
              "contracts_filed_on_time": (9, "General"), "sme_suitable_budget": (1, "General"),
              "sme_awarded_amount": (1, "General")}  # fmt: skip
    path = _filled(template, tmp_path / "long.xlsx", values)
    assert _scores(path, rules)[BUDGET] == Decimal("9.99")
    assert _recalculated([path], tmp_path / "out")[path.name][BUDGET] in (None, "")


SHARED = """
inputs:
  execution_target: {type: percent, min: 1, max: 100, label: 预算执行率目标, unit: "%"}
  year_end_balance: {type: number, min: 0, label: 年末结余, unit: 万元}
"""
READS_ELSEWHERE = {
    BUDGET: (
        "weight * min(budget_executed / budget_project * 100, execution_target) / execution_target"
        " if budget_project else weight",
        None,
    ),
    CONTRACTS: (
        "clamp(weight - year_end_balance / max(budget_total, 1) * 10, 0, weight)",
        "{places: 1, mode: half_up}",
    ),
}


def _profile_filled(template: Path, path: Path, profile_values: dict[str, Any], rng: random.Random) -> Path:
    _filled(template, path, _values(rng))
    book = openpyxl.load_workbook(path)
    sheet = book["基本情况"]
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        key = sheet.cell(row=row, column=layout.P_KEY).value
        if key in profile_values:
            sheet.cell(row=row, column=layout.P_VALUE).value = profile_values[key]
    book.save(path)
    return path


def test_a_row_reading_a_shared_input_or_the_budget_block_shows_score_run_s_score(tmp_path: Path) -> None:
    """The formula reads the cells of 基本情况 where the shared inputs and the budget block are typed."""
    rules = _rules(tmp_path / "rules", READS_ELSEWHERE)
    with (rules / "rubric.yaml").open("a", encoding="utf-8") as rubric:
        rubric.write(SHARED)
    template = tmp_path / "template.xlsx"
    done = runner.invoke(app, ["template", "--rules", str(rules), "--lang", "zh", "-o", str(template)])
    assert done.exit_code == 0, done.output
    rng = random.Random("shared-2022")
    filled = []
    for n in range(12):
        project = rng.choice([1000, 3.36, 0, 250.5, rng.randint(1, 5000)])
        executed = rng.choice([900, project, 0, 1.5, rng.randint(0, 6000)])
        figures = {
            "budget.total": rng.choice([1945.54, 0, 100, 12.5]), "budget.basic": 400,
            "budget.project": project, "budget.executed": executed,
            "shared.execution_target": rng.choice([95, 100, 80.5, 50]),
            "shared.year_end_balance": rng.choice([10, 0, 12.25, 300]),
        }  # fmt: skip
        filled.append(_profile_filled(template, tmp_path / f"shared-{n}.xlsx", figures, rng))
    shown = _recalculated(filled, tmp_path / "out")
    for path in filled:
        expected = _scores(path, rules)
        for ident in (BUDGET, CONTRACTS):
            value = shown[path.name][ident]
            assert isinstance(value, int | float), (path.name, ident, value)
            assert Decimal(repr(value)) == expected[ident], (path.name, ident, value, expected[ident])
