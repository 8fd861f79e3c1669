"""A plain hand-written scorer of the 2022 rubric: the baseline `score`'s engine is measured against.

Written from ../shared/RUBRIC-2022.md and the rule files' stated rules, not from the engine: one function, the
rubric's weights and roundings typed in, targets read by a small pattern that knows only the forms the
benchmark generates. The same exact arithmetic (fractions for ratios and means, one Decimal rounding per score).

`prepare(document)` turns an inputs document into plain tuples (not timed); `score(prepared)` is timed.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

WEIGHTS = {
    "output_targets": Decimal(20),
    "outcome_targets": Decimal(20),
    "budget_execution": Decimal(10),
    "ex_ante_evaluation": Decimal(3),
    "carryover_rate": Decimal(2),
    "financial_compliance": Decimal(2),
    "budget_disclosure": Decimal(2),
    "performance_disclosure": Decimal(2),
    "pm_system_building": Decimal(5),
    "pm_result_application": Decimal(3),
    "pm_system_execution": Decimal(7),
    "procurement_intent_disclosure": Decimal("0.5"),
    "procurement_intent_disclosure_2": Decimal("1.5"),
    "procurement_internal_control": Decimal(1),
    "procurement_compliance": Decimal(2),
    "contract_signing_timeliness": Decimal(3),
    "contract_filing_timeliness": Decimal(1),
    "procurement_policy_effect": Decimal(1),
    "asset_allocation_compliance": Decimal(2),
    "asset_income_remittance": Decimal(1),
    "asset_inventory": Decimal(1),
    "asset_data_quality": Decimal(2),
    "asset_management_compliance": Decimal(2),
    "fixed_asset_utilization": Decimal(2),
    "public_expense_control": Decimal(2),
    "three_public_expenses": Decimal(2),
}
CENT = Decimal("0.01")
ZERO = Decimal(0)
STRICT_REACHED = Fraction(99, 100)  # a strict bound reached but not passed counts as 99%
GRADES = [(Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差")]
_TARGET = re.compile(r"^(≥|≤|>|<|=)?(-?\d+(?:\.\d+)?)(.*)$")
_MONEY = {"万元": 10000, "亿元": 100000000, "元": 1}


def _amount(text: str) -> tuple[str, Fraction]:
    match = _TARGET.match(text)
    assert match, text
    sign, number, unit = match.groups()
    return sign or "=", Fraction(Decimal(number)) * _MONEY.get(unit, 1)


def prepare(document: dict[str, Any]) -> tuple[Any, ...]:
    """(override scores, deduction sums, targets, formula inputs) as plain exact values."""
    overrides: dict[str, Decimal] = {}
    deducted: dict[str, Decimal] = {}
    targets: dict[str, list[tuple[str, Fraction, Fraction]]] = {}
    values: dict[str, Decimal] = {}
    for row, entry in document.get("indicators", {}).items():
        if "override" in entry:
            overrides[row] = Decimal(str(entry["override"]["score"]))
        if "deductions" in entry:
            deducted[row] = sum((Decimal(str(d["points"])) for d in entry["deductions"]), ZERO)
        if "targets" in entry:
            targets[row] = [
                (_amount(t["target"])[0], _amount(t["target"])[1], _amount(t["actual"])[1])
                for t in entry["targets"]
            ]
        for key, value in entry.items():
            if key not in ("override", "deductions", "targets", "improvement"):
                values[key] = Decimal(str(value))
    return overrides, deducted, targets, values


def _completion(sign: str, goal: Fraction, actual: Fraction) -> Fraction:
    met = {
        "≥": actual >= goal,
        ">": actual > goal,
        "≤": actual <= goal,
        "<": actual < goal,
        "=": actual == goal,
    }[sign]
    if met:
        return Fraction(1)
    if actual == goal:
        closeness = Fraction(1)
    elif actual * goal <= 0:
        closeness = Fraction(0)
    else:
        closeness = min(abs(actual), abs(goal)) / max(abs(actual), abs(goal))
    return min(closeness, STRICT_REACHED) if sign in "<>" else closeness


def _exact_round(value: Fraction, mode: str) -> Decimal:
    """`value` to 2 places by `mode`, exactly (no 28-digit division before the rounding)."""
    hundredths = value * 100
    whole, rest = divmod(hundredths.numerator, hundredths.denominator)
    if mode == ROUND_HALF_UP and 2 * rest >= hundredths.denominator:
        whole += 1
    return Decimal(whole).scaleb(-2)


def score(prepared: tuple[Any, ...]) -> tuple[Decimal, str, dict[str, Decimal]]:
    """(total, grade, score by row) of one prepared department."""
    overrides, deducted, targets, values = prepared
    scores: dict[str, Decimal] = {}
    for row, weight in WEIGHTS.items():
        if row in overrides:
            scores[row] = overrides[row]
            continue
        if row == "budget_execution":
            rate = min(Fraction(values["execution_rate"]), Fraction(100))
            base = _exact_round(Fraction(weight) * rate / 100, ROUND_DOWN)
        elif row == "contract_filing_timeliness":
            signed, filed = values["contracts_total"], values["contracts_filed_on_time"]
            base = (
                _exact_round(Fraction(weight) * Fraction(filed) / Fraction(signed), ROUND_HALF_UP)
                if signed
                else weight
            )
        elif row == "procurement_policy_effect":
            suitable, awarded = values["sme_suitable_budget"], values["sme_awarded_amount"]
            share = min(Fraction(awarded) / Fraction(suitable), Fraction(1)) if suitable else Fraction(1)
            base = _exact_round(Fraction(weight) * share, ROUND_HALF_UP)
        elif row in targets:
            listed = targets[row]
            mean = sum((_completion(*t) for t in listed), Fraction(0)) / len(listed)
            base = _exact_round(Fraction(weight) * mean, ROUND_HALF_UP)
        else:
            base = weight
        scores[row] = max(base - deducted.get(row, ZERO), ZERO)
    total = sum(scores.values(), ZERO)
    grade = next(name for low, name in GRADES if total >= low)
    return total, grade, scores
