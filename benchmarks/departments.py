"""Varied 2022 departments, generated deterministically from a seed, as inputs documents (Contract 1).

Each department gets: a budget; the three formula rows (now and then an override instead); 0–6 declared targets
under each of the two target rows, in the forms departments write ("≥50次", "≤3天", ">95%", "=12项",
"≥1200万元"), met or missed by varying margins; deductions with reasons on some of the other rows (sometimes
more than the weight); evidence ratios and improvement texts here and there. Numbers are written as text with
their places, exactly as a department would, so that every reader sees the same decimals.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

DEDUCTION_ROWS = [
    ("ex_ante_evaluation", 3),
    ("carryover_rate", 2),
    ("financial_compliance", 2),
    ("budget_disclosure", 2),
    ("performance_disclosure", 2),
    ("pm_system_building", 5),
    ("pm_result_application", 3),
    ("pm_system_execution", 7),
    ("procurement_intent_disclosure", Decimal("0.5")),
    ("procurement_intent_disclosure_2", Decimal("1.5")),
    ("procurement_internal_control", 1),
    ("procurement_compliance", 2),
    ("contract_signing_timeliness", 3),
    ("asset_allocation_compliance", 2),
    ("asset_income_remittance", 1),
    ("asset_inventory", 1),
    ("asset_data_quality", 2),
    ("asset_management_compliance", 2),
    ("fixed_asset_utilization", 2),
    ("public_expense_control", 2),
    ("three_public_expenses", 2),
]
POINTS = ["0.5", "1", "1.5", "2", "0.25", "3"]
# (prefix, unit, typical goal range, places of the numbers)
TARGET_FORMS = [
    ("≥", "次", (10, 500), 0),
    ("≤", "天", (1, 30), 0),
    (">", "%", (80, 99), 1),
    ("=", "项", (1, 40), 0),
    ("≥", "万元", (50, 5000), 2),
    ("<", "个工作日", (2, 15), 0),
    ("≥", "%", (85, 100), 2),
]


def _number(rng: random.Random, low: float, high: float, places: int) -> str:
    units = rng.randint(int(low * 10**places), int(high * 10**places))
    return str(Decimal(units).scaleb(-places))


def _target(rng: random.Random, index: int) -> dict[str, str]:
    prefix, unit, (low, high), places = rng.choice(TARGET_FORMS)
    goal = Decimal(_number(rng, low, high, places))
    roll = rng.random()
    if roll < 0.55:
        actual = goal  # met exactly (or, for a strict bound, reached but not passed)
        if prefix in (">", "≥") and rng.random() < 0.6:
            actual = goal + Decimal(rng.randint(1, 20)).scaleb(-places)
        elif prefix in ("<", "≤") and goal > 1 and rng.random() < 0.6:
            actual = goal - Decimal(rng.randint(1, int(goal) if places == 0 else 9)).scaleb(-places)
    else:  # missed by up to 40%
        factor = Decimal(rng.randint(60, 140)) / 100
        actual = (goal * factor).quantize(Decimal(1).scaleb(-places))
    if unit == "%" and actual > 100:
        actual = Decimal(100)
    actual = max(actual, Decimal(0))
    return {"name": f"指标{index + 1}", "target": f"{prefix}{goal}{unit}", "actual": f"{actual}{unit}"}


def department(rng: random.Random, number: int) -> dict[str, Any]:
    basic = Decimal(_number(rng, 100, 9000, 2))
    project = Decimal(_number(rng, 0, 20000, 2))
    indicators: dict[str, Any] = {}
    for row in ("output_targets", "outcome_targets"):
        count = rng.choice([0, 2, 3, 4, 5, 6])
        entry: dict[str, Any] = {}
        if count:
            entry["targets"] = [_target(rng, i) for i in range(count)]
        if rng.random() < 0.15:
            entry["deductions"] = [{"points": rng.choice(POINTS), "reason": "年初设置指标值偏低。"}]
        if entry:
            indicators[row] = entry
    indicators["budget_execution"] = {"execution_rate": _number(rng, 55, 100, 2)}
    total = rng.randint(0, 40)
    indicators["contract_filing_timeliness"] = {
        "contracts_total": total,
        "contracts_filed_on_time": rng.randint(0, total),
    }
    if rng.random() < 0.1:
        indicators["procurement_policy_effect"] = {
            "override": {"score": _number(rng, 0, 1, 2), "reason": "自评表未列示中小企业采购金额。"}
        }
    else:
        suitable = Decimal(_number(rng, 0, 800, 4)) if rng.random() < 0.9 else Decimal(0)
        awarded = (suitable * Decimal(rng.randint(40, 130)) / 100).quantize(Decimal("0.0001"))
        indicators["procurement_policy_effect"] = {
            "sme_suitable_budget": str(suitable),
            "sme_awarded_amount": str(awarded),
        }
    for row, _weight in DEDUCTION_ROWS:
        if rng.random() < 0.12:
            count = 1 if rng.random() < 0.85 else 2
            deductions = [
                {
                    "points": rng.choice(POINTS),
                    "reason": f"{row}存在问题{k + 1}。",
                    "improvement": "加强管理。",
                }
                for k in range(count)
            ]
            indicators[row] = {"deductions": deductions}
    if rng.random() < 0.3:
        entry = indicators.setdefault("carryover_rate", {})
        entry["carryover_amount"] = _number(rng, 0, 900, 2)
        entry["budget_total"] = str(basic + project)
    if rng.random() < 0.2:
        indicators["pm_result_application"] = {
            **indicators.get("pm_result_application", {}),
            "improvement": "进一步加强绩效结果应用。",
        }
    return {
        "department": f"测试部门{number:07d}",
        "year": 2022,
        "units": rng.randint(1, 6),
        "budget": {"total": str(basic + project), "basic": str(basic), "project": str(project)},
        "indicators": indicators,
    }


def departments(count: int, seed: int = 2022) -> Iterator[dict[str, Any]]:
    """`count` departments, the same ones for the same seed."""
    rng = random.Random(seed)
    for number in range(count):
        yield department(rng, number)
