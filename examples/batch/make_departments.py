"""Write a district's worth of departments' inputs to try `score batch` on: varied, deterministic, with some broken.

    python examples/batch/make_departments.py 批量示例/            # 40 YAML files, 2 of them broken
    python examples/batch/make_departments.py 批量.jsonl --count 1000 --broken 0
    python examples/batch/make_departments.py 批量.csv
    python examples/batch/make_departments.py 另一区.jsonl --district 示例二区 --seed 7    # other names, other figures
    python examples/batch/make_departments.py 2023年/ --year 2023                     # the same departments, a year on

Each department is built from the published tables in examples/ (their deductions and reasons), with its own
budget execution rate, contracts, SME procurement and deductions drawn from a seeded generator, so that the same
command always writes the same files. A broken department has a rate that is not a number ("很高") or misses an
input its formula needs; `score batch` lists it with its file and line, and scores the others. The names are
distinct within a run (`示例区发展和改革局`, past 40 `示例区发展和改革局（第2组）`); `--district` gives another set of
names, so that two generated sets in one batch are not taken for duplicates. What was written, and which
departments were broken on purpose, is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

BUREAUS = (
    "发展和改革局", "工业和信息化局", "科技局", "商务局", "教育局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "规划和自然资源局", "生态环境分局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "文化广电旅游局",
    "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理和综合执法局",
    "政务服务数据管理局", "投资促进局", "金融工作局", "知识产权局", "信访局", "档案馆", "机关事务管理局", "人民防空办公室",
    "国有资产监督管理局", "港务局", "粮食和物资储备局", "体育局", "林业和园林局", "供销合作联社", "地方志办公室", "外事局",
)  # fmt: skip
REASONS = {
    "output_targets": "因部分项目年初设置指标值偏低扣除相应分值。",
    "outcome_targets": "部分效益指标未达到年初目标值。",
    "pm_system_execution": "未组织下属事业单位开展整体绩效自评。",
    "asset_allocation_compliance": "配置资产超出现有编制数。",
    "budget_disclosure": "部门预算公开不及时。",
    "procurement_compliance": "个别采购项目未按规定履行程序。",
}
# The weights of the rows above (rules/guangzhou-huangpu-bumen/2022): a sheet gives each row's 自评分, as the form asks.
WEIGHTS = {"output_targets": 20, "outcome_targets": 20, "pm_system_execution": 7, "asset_allocation_compliance": 2,
           "budget_disclosure": 2, "procurement_compliance": 2}  # fmt: skip
IMPROVEMENTS = {
    "output_targets": "提高绩效指标编制质量，完善指标值设置。",
    "pm_system_execution": "组织下属事业单位开展整体绩效自评。",
}


def department(number: int, rng: random.Random, district: str = "示例区", year: int = 2022) -> dict[str, Any]:
    name = f"{district}{BUREAUS[(number - 1) % len(BUREAUS)]}"
    if number > len(BUREAUS):
        name += f"（第{(number - 1) // len(BUREAUS) + 1}组）"
    weak = rng.random() ** 2  # most departments do well, a few do not
    total = Decimal(rng.randint(80_000, 2_000_000)) / 100
    basic = (total * Decimal(rng.randint(20, 60)) / 100).quantize(Decimal("0.01"))
    contracts = rng.randint(0, 30)
    suitable = Decimal(rng.randint(0, 50_000)) / 100
    rate = 100 - Decimal(rng.randint(0, int(400 + 3_500 * weak))) / 100
    indicators: dict[str, Any] = {
        "budget_execution": {"execution_rate": rate},
        "contract_filing_timeliness": {
            "contracts_total": contracts,
            "contracts_filed_on_time": contracts - rng.choice((0, 0, 0, 1, 2))
            if contracts > 2
            else contracts,
        },
        "procurement_policy_effect": {
            "sme_suitable_budget": suitable,
            "sme_awarded_amount": (suitable * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01")),
        },
    }
    for ident, reason in REASONS.items():
        if rng.random() < 0.15 + 0.6 * weak:
            most = 12 if ident.endswith("_targets") else 2
            points = max(
                Decimal("0.5"),
                (Decimal(rng.randint(1, most * 10)) / 10 * Decimal(weak + 0.2)).quantize(Decimal("0.5")),
            )
            deduction = {"points": min(points, Decimal(most)), "reason": reason}
            if ident in IMPROVEMENTS:
                deduction["improvement"] = IMPROVEMENTS[ident]
            indicators[ident] = {"deductions": [deduction]}
    return {
        "department": name,
        "year": year,
        "units": rng.randint(1, 12),
        "budget": {"total": total, "basic": basic, "project": total - basic},
        "indicators": indicators,
    }


def departments(
    count: int, broken: int, seed: int = 2022, district: str = "示例区", year: int = 2022
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    made = [department(number, rng, district, year) for number in range(1, count + 1)]
    for which, index in enumerate(_broken_positions(count, broken)):
        if which % 2 == 0:
            made[index]["indicators"]["budget_execution"]["execution_rate"] = "很高"
        else:
            del made[index]["indicators"]["contract_filing_timeliness"]["contracts_total"]
    return made


BREAKS = (
    "budget_execution.execution_rate = '很高' (not a number)",
    "contract_filing_timeliness.contracts_total left out",
)


def broken_ones(count: int, broken: int) -> list[tuple[int, str]]:
    """The positions (from 1) of the departments broken on purpose, with how."""
    return [(index + 1, BREAKS[which % 2]) for which, index in enumerate(_broken_positions(count, broken))]


def _broken_positions(count: int, broken: int) -> list[int]:
    """Spread through the batch: for 40 departments and 2 broken, the 13th and the 27th."""
    return [(i + 1) * count // (broken + 1) - 1 + i for i in range(broken)] if broken else []


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != int(value) else int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _yaml(data: dict[str, Any]) -> str:
    # JSON is YAML: every value written as JSON reads back exactly (numbers of at most two places).
    return (
        "\n".join(f"{key}: {json.dumps(_plain(value), ensure_ascii=False)}" for key, value in data.items())
        + "\n"
    )


def _row(data: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"department": data["department"], "year": data["year"], "units": data["units"]}
    for key, value in data["budget"].items():
        row[f"budget.{key}"] = value
    for ident, entry in data["indicators"].items():
        for key, value in entry.items():
            if key == "deductions":
                # 自评分: the weight less the loss
                row[f"{ident}.score"] = WEIGHTS[ident] - value[0]["points"]
                row[f"{ident}.reason"] = value[0]["reason"]
                if "improvement" in value[0]:
                    row[f"{ident}.improvement"] = value[0]["improvement"]
            else:
                row[f"{ident}.{key}"] = value
    return row


def write(target: Path, made: list[dict[str, Any]]) -> None:
    if target.suffix == ".jsonl":
        with target.open("w", encoding="utf-8") as handle:
            for data in made:
                handle.write(json.dumps(_plain(data), ensure_ascii=False) + "\n")
    elif target.suffix == ".csv":
        rows = [_row(data) for data in made]
        keys = list(dict.fromkeys(key for row in rows for key in row))
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, keys)
            writer.writeheader()
            writer.writerows(rows)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for number, data in enumerate(made, start=1):
            (target / f"{number:03d}.yaml").write_text(_yaml(data), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="a folder (YAML files), or a .jsonl or .csv file")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--broken", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--district", default="示例区", help="the names' prefix (default 示例区)")
    parser.add_argument("--year", type=int, default=2022, help="the departments' year (default 2022)")
    args = parser.parse_args()
    made = departments(args.count, args.broken, args.seed, args.district, args.year)
    write(args.target, made)
    where = {".jsonl": "line", ".csv": "row"}.get(args.target.suffix)
    print(f"wrote {len(made)} departments ({args.district}…, {args.year}) to {args.target}")
    for number, how in broken_ones(args.count, args.broken):
        place = f"{where} {number + (1 if where == 'row' else 0)}" if where else f"{number:03d}.yaml"
        print(f"  broken on purpose: {place} {made[number - 1]['department']}: {how}")


if __name__ == "__main__":
    main()
