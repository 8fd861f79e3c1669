"""A hand-written exact scorer of the 2022 rubric in integers, written for speed: what `score` is measured against.

Written from the rule files' stated rules (rules/guangzhou-huangpu-bumen/2022), not from the engine. Every score is a whole number of
hundredths (the rubric's 2 places); a ratio is a pair of integers; each score is rounded once, by integer division,
as its row declares (half up; budget_execution truncates). Numbers are read from their decimal text into integers
scaled by a power of ten; targets are read by a small left-to-right scan that knows the forms departments write
(`≥50次`, `>95.5%`, `≤1200.50万元`), and refuses any other.

`prepare(document)` reads an inputs document (Contract 1) into plain integers and tuples, as the engine's reader
makes a `Department` (not timed); `score(prepared)` is timed. `benchmarks/pipeline_2022.py` writes its results.
"""

from __future__ import annotations

from typing import Any

# (row, weight in hundredths, how its base score is worked out), in the rubric's order.
TARGETS, EXECUTION, FILING, POLICY, FULL = range(5)
ROWS: tuple[tuple[str, int, int], ...] = (
    ("output_targets", 2000, TARGETS),
    ("outcome_targets", 2000, TARGETS),
    ("budget_execution", 1000, EXECUTION),
    ("ex_ante_evaluation", 300, FULL),
    ("carryover_rate", 200, FULL),
    ("financial_compliance", 200, FULL),
    ("budget_disclosure", 200, FULL),
    ("performance_disclosure", 200, FULL),
    ("pm_system_building", 500, FULL),
    ("pm_result_application", 300, FULL),
    ("pm_system_execution", 700, FULL),
    ("procurement_intent_disclosure", 50, FULL),
    ("procurement_intent_disclosure_2", 150, FULL),
    ("procurement_internal_control", 100, FULL),
    ("procurement_compliance", 200, FULL),
    ("contract_signing_timeliness", 300, FULL),
    ("contract_filing_timeliness", 100, FILING),
    ("procurement_policy_effect", 100, POLICY),
    ("asset_allocation_compliance", 200, FULL),
    ("asset_income_remittance", 100, FULL),
    ("asset_inventory", 100, FULL),
    ("asset_data_quality", 200, FULL),
    ("asset_management_compliance", 200, FULL),
    ("fixed_asset_utilization", 200, FULL),
    ("public_expense_control", 200, FULL),
    ("three_public_expenses", 200, FULL),
)
GRADES = ((9000, "优"), (8000, "良"), (6000, "中"), (0, "差"))
SIGNS = ("≥", "≤", ">", "<", "=")
DIGITS = "0123456789."


def fixed(text: Any) -> tuple[int, int]:
    """A plain decimal (text or int) as (units, places): "92.07" → (9207, 2). Anything else is refused."""
    if type(text) is int:
        return text, 0
    whole, dot, part = text.partition(".")
    if not (whole.isdigit() and (part.isdigit() or not dot)):
        raise ValueError(f"not a plain decimal: {text!r}")
    return int(whole + part), len(part)


def hundredths(text: Any) -> int:
    """Points or a score, exactly, in hundredths; refused when it has more than 2 places."""
    units, places = fixed(text)
    if places > 2:
        raise ValueError(f"more than 2 places: {text!r}")
    return units * 10 ** (2 - places)


def amount(text: str) -> tuple[str, int, int, str]:
    """A target or actual as (sign, units, places, unit): "≥1200.5万元" → ("≥", 12005, 1, "万元")."""
    sign = text[0] if text[:1] in SIGNS else ""
    body = text[len(sign) :]
    unit = body.lstrip(DIGITS)
    units, places = fixed(body[: len(body) - len(unit)])
    return sign, units, places, unit


def target(goal_text: str, actual_text: str) -> tuple[str, int, int]:
    """(sign, goal, actual) brought to the same scale; the units must be the same."""
    sign, goal, goal_places, unit = amount(goal_text)
    _, actual, actual_places, actual_unit = amount(actual_text)
    if actual_unit != unit or not sign:
        raise ValueError(f"not a target this scorer reads: {goal_text!r} against {actual_text!r}")
    if goal_places < actual_places:
        goal *= 10 ** (actual_places - goal_places)
    else:
        actual *= 10 ** (goal_places - actual_places)
    return sign, goal, actual


def prepare(document: dict[str, Any]) -> tuple[Any, ...]:
    """(execution rate, contracts, SME amounts, overrides, deductions, targets), all integers."""
    rows = document.get("indicators", {})
    overrides, deducted, targets = {}, {}, {}
    for row, entry in rows.items():
        if "override" in entry:
            overrides[row] = hundredths(entry["override"]["score"])
        if "deductions" in entry:
            deducted[row] = sum(hundredths(d["points"]) for d in entry["deductions"])
        if "targets" in entry:
            targets[row] = tuple(target(t["target"], t["actual"]) for t in entry["targets"])
    rate = fixed(rows["budget_execution"]["execution_rate"])
    filing = rows["contract_filing_timeliness"]
    contracts = (filing["contracts_total"], filing["contracts_filed_on_time"])
    sme = rows.get("procurement_policy_effect", {})
    policy = None
    if "override" not in sme:
        suitable, awarded = fixed(sme["sme_suitable_budget"]), fixed(sme["sme_awarded_amount"])
        policy = (suitable[0] * 10 ** awarded[1], awarded[0] * 10 ** suitable[1])
    return rate, contracts, policy, overrides, deducted, targets


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up to a whole number (both ≥ 0, denominator > 0)."""
    whole, rest = divmod(numerator, denominator)
    return whole + (2 * rest >= denominator)


def completion(sign: str, goal: int, actual: int) -> tuple[int, int] | None:
    """None when met; else how close the actual came, as (numerator, denominator) below 1. A strict bound
    reached but not passed counts 99%, and a nearer miss of a strict bound no more than that."""
    if sign == "≥":
        if actual >= goal:
            return None
    elif sign == "≤":
        if actual <= goal:
            return None
    elif sign == ">":
        if actual > goal:
            return None
    elif sign == "<":
        if actual < goal:
            return None
    elif actual == goal:
        return None
    if actual == goal:
        near = (1, 1)
    elif actual <= 0 or goal <= 0:
        near = (0, 1)
    else:
        near = (actual, goal) if actual < goal else (goal, actual)
    if (sign == ">" or sign == "<") and near[0] * 100 > 99 * near[1]:
        return 99, 100
    return near


def mean_completion(listed: tuple[tuple[str, int, int], ...]) -> tuple[int, int]:
    """The mean completion of the listed targets (a met one completes 1) as (numerator, denominator)."""
    numerator, denominator = 0, 1
    for sign, goal, actual in listed:
        near = completion(sign, goal, actual)
        if near is None:
            numerator += denominator
        else:
            numerator = numerator * near[1] + near[0] * denominator
            denominator *= near[1]
    return numerator, denominator * len(listed)


def base(kind: int, weight: int, row: str, prepared: tuple[Any, ...]) -> int:
    """A row's score before deductions, in hundredths, rounded once as the row declares."""
    rate, contracts, policy, _, _, targets = prepared
    if kind == TARGETS:
        listed = targets.get(row)
        if not listed:
            return weight
        numerator, denominator = mean_completion(listed)
        return half_up(weight * numerator, denominator)
    if kind == EXECUTION:  # weight × min(rate, 100) / 100, truncated
        units, places = rate
        return min(weight * units // (100 * 10**places), weight)
    if kind == FILING:
        signed, filed = contracts
        return half_up(weight * filed, signed) if signed else weight
    if kind == POLICY:
        suitable, awarded = policy
        return half_up(weight * awarded, suitable) if suitable and awarded < suitable else weight
    return weight


def score(prepared: tuple[Any, ...]) -> tuple[int, str, list[int]]:
    """(total, grade, each row's score) of one prepared department; scores in hundredths."""
    overrides, deducted = prepared[3], prepared[4]
    scores = []
    for row, weight, kind in ROWS:
        if row in overrides:
            scores.append(overrides[row])
            continue
        points = base(kind, weight, row, prepared) if kind != FULL else weight
        lost = deducted.get(row)
        scores.append(0 if lost is not None and lost > points else points - (lost or 0))
    total = sum(scores)
    return total, grade_of(total), scores


def grade_of(total: int) -> str:
    for low, name in GRADES:
        if total >= low:
            return name
    return GRADES[-1][1]
