"""A hand-written JSON Lines pipeline of the 2022 rubric: what `score batch IN.jsonl -o OUT.jsonl` is measured against.

    python benchmarks/pipeline_2022.py IN.jsonl OUT.jsonl DIGEST VERSION

orjson reads each department (Contract 1), the integer scorer of `baseline_2022.py` scores it, and each result is
written as the line `score batch` writes (Contract 3, in Chinese), byte for byte: the benchmark compares the files.
The rubric's names, levels and reason templates are read once from the rule files (rules/guangzhou-huangpu-bumen/2022) as plain YAML;
a row the department leaves empty is serialised once and reused. It knows only the forms of departments.py:
anything else is refused, never guessed. Written for speed, as a careful programmer would write it by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import orjson
import yaml
from baseline_2022 import (
    EXECUTION,
    FILING,
    FULL,
    GRADES,
    POLICY,
    ROWS,
    TARGETS,
    base,
    completion,
    fixed,
    half_up,
    hundredths,
    mean_completion,
    prepare,
)

RULES = Path(__file__).resolve().parent.parent / "rules" / "guangzhou-huangpu-bumen" / "2022"
# The characters a terminal would act on (C1, bidi marks and overrides, line separators, BOM), as UTF-8: a line
# holding one has it written as a \\u escape, as every JSON output of `score` does.
ACTING = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf"
)
CHARACTERS = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def number(units: int, places: int = 2) -> int | float:
    """An exact decimal as the JSON number that prints it: an int when whole, else the nearest float (which
    prints as the shortest text reading back the same: the decimal itself, at most 15 digits)."""
    scale = 10**places
    return units // scale if units % scale == 0 else units / scale


def shown(units: int, places: int = 2) -> str:
    """As the tables print a number: no trailing zeros (17.30 → 17.3, 20.00 → 20)."""
    whole, part = divmod(units, 10**places)
    return f"{whole}.{part:0{places}d}".rstrip("0").rstrip(".") if part else str(whole)


def plain(text: Any) -> str:
    """A decimal as written ("92.10") as the tables print it ("92.1")."""
    return shown(*fixed(text))


class Rubric:
    """What the output names: each row's texts, the levels, the reason templates, read once."""

    def __init__(self, digest: str, version: str):
        rubric = yaml.load((RULES / "rubric.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        self.rows = {}
        for row in rubric["indicators"]:
            text = (RULES / "indicators" / f"{row}.yaml").read_text(encoding="utf-8")
            self.rows[row] = yaml.load(text, Loader=yaml.CSafeLoader)
        # (name, weight, its level-2 nodes as (name, weight, their rows)), in the rubric's order
        self.levels = [
            (
                level["name"],
                level["weight"],
                [
                    (
                        child["name"],
                        child["weight"],
                        [
                            r
                            for r, i in self.rows.items()
                            if (i["level1"], i["level2"]) == (level["name"], child["name"])
                        ],
                    )
                    for child in level["children"]
                ],
            )
            for level in rubric["levels"]
        ]
        self.head = {
            "rules": {
                "year": "2022",
                "digest": digest,
                "id": "guangzhou-huangpu-bumen",
                "provisional": False,
                "under_earlier_year": False,
                "partly_encoded": False,
            },
            "engine": {"name": "rubric-scorer", "version": version},
        }
        self.metric = self.rows["carryover_rate"]["metrics"][0]
        self.empty = {
            row: orjson.Fragment(orjson.dumps(self.row(row, weight, weight))) for row, weight, _ in ROWS
        }

    def row(self, row: str, weight: int, score: int, **given: Any) -> dict[str, Any]:
        rule = self.rows[row]
        return {
            "id": row,
            "name": rule.get("name", ""),
            "level1": rule["level1"],
            "level2": rule["level2"],
            "weight": number(weight),
            "score": number(score),
            "lost": number(weight - score),
            "reasons": given.get("reasons", []),
            "improvements": given.get("improvements", []),
            "overridden": given.get("overridden", False),
            "clamped": given.get("clamped", False),
            "notes": given.get("notes", []),
            "metrics": given.get("metrics", []),
            "targets": given.get("targets", []),
        }


def targets_scored(
    entry: dict[str, Any], listed: Any, weight: int, score: int
) -> tuple[list[str], list[Any]]:
    """The reasons (each target missed, then the mean) and the targets' lines of a targets row."""
    reasons, lines = [], []
    for written, (sign, goal, actual) in zip(entry["targets"], listed, strict=True):
        near = completion(sign, goal, actual)
        if near is None:
            shown_completion: int | float = 1
        else:
            ten_thousandths = min(half_up(near[0] * 10000, near[1]), 9999)  # a missed one never shows 1
            shown_completion = number(ten_thousandths, 4)
            reasons.append(
                f"“{written['name']}”未达标：目标{written['target']}，实际{written['actual'] or '—'}。"
            )
        lines.append(
            {
                "name": written["name"],
                "target": written["target"],
                "actual": written["actual"],
                "met": near is None,
                "completion": shown_completion,
                "judged": False,
                "category": written.get("category", ""),
                "reason": "",
            }
        )
    if score < weight:
        numerator, denominator = mean_completion(listed)
        reasons.append(f"按平均完成率{shown(half_up(numerator * 10000, denominator))}%计得{shown(score)}分。")
    return reasons, lines


def formula_reason(rubric: Rubric, row: str, entry: dict[str, Any], score: int) -> str:
    """The row's reason template, filled with its inputs as the tables print them."""
    values = {
        name: plain(value) for name, value in entry.items() if name not in ("deductions", "improvement")
    }
    return rubric.rows[row]["reason"]["zh"].format(year="2022", score=shown(score), **values)


def carryover(rubric: Rubric, entry: dict[str, Any]) -> list[dict[str, Any]]:
    if "carryover_amount" not in entry or "budget_total" not in entry:
        return []
    (amount, amount_places), (total, total_places) = (
        fixed(entry["carryover_amount"]),
        fixed(entry["budget_total"]),
    )
    value = None
    if total:  # amount / total × 100, to 2 places half up
        value = number(half_up(amount * 10**total_places * 10000, total * 10**amount_places))
    metric = rubric.metric
    return [{"id": metric["id"], "name": metric["name"], "value": value, "unit": metric["unit"]}]


def row_result(
    rubric: Rubric, row: str, weight: int, kind: int, entry: dict[str, Any], prepared: Any
) -> tuple[dict[str, Any], int]:
    """One row a department gave something for: its score and every reason, in the engine's order."""
    reasons: list[str] = []
    improvements: list[str] = []
    notes: list[str] = []
    given: dict[str, Any] = {"metrics": carryover(rubric, entry) if row == "carryover_rate" else []}
    if "override" in entry:
        override = entry["override"]
        score = hundredths(override["score"])
        reasons.append(override["reason"])
        if override.get("improvement"):
            improvements.append(override["improvement"])
        given["overridden"] = True
    else:
        score = base(kind, weight, row, prepared) if kind != FULL else weight
        if kind == TARGETS and "targets" in entry:
            reasons, given["targets"] = targets_scored(entry, prepared[5][row], weight, score)
        elif kind in (EXECUTION, FILING, POLICY) and score < weight:
            reasons.append(formula_reason(rubric, row, entry, score))
        before = score
        for deduction in entry.get("deductions", ()):
            score -= hundredths(deduction["points"])
            reasons.append(deduction["reason"])
            if deduction.get("improvement") and deduction["improvement"] not in improvements:
                improvements.append(deduction["improvement"])
        if score < 0:
            score, given["clamped"] = 0, True
            notes.append(f"扣分合计超过可得分 {shown(before)}，扣完为止，按0分计。")
    if entry.get("improvement") and entry["improvement"] not in improvements:
        improvements.append(entry["improvement"])
    data = rubric.row(row, weight, score, reasons=reasons, improvements=improvements, notes=notes, **given)
    return data, score


def result_line(rubric: Rubric, document: dict[str, Any]) -> bytes:
    """One department's result line, as `score batch` writes it."""
    prepared = prepare(document)
    given = document.get("indicators", {})
    rows, scores, total = [], {}, 0
    for row, weight, kind in ROWS:
        entry = given.get(row)
        if entry is None:
            rows.append(rubric.empty[row])
            scores[row] = weight
        else:
            data, scores[row] = row_result(rubric, row, weight, kind, entry, prepared)
            rows.append(data)
        total += scores[row]
    return _line(rubric, document, rows, scores, total)


def _line(
    rubric: Rubric, document: dict[str, Any], rows: list[Any], scores: dict[str, int], total: int
) -> bytes:
    grade = next(name for low, name in GRADES if total >= low)
    above = [(low, name) for low, name in GRADES if low > total]
    result = {
        "department": document["department"],
        "year": document["year"],
        **rubric.head,
        "units": document.get("units"),
        "budget": {key: number(*fixed(value)) for key, value in document.get("budget", {}).items()},
        "total": number(total),
        "max": 100,
        "grade": grade,
        "next_grade": {"grade": above[-1][1], "points_needed": number(above[-1][0] - total)}
        if above
        else None,
        "levels": _levels(rubric, scores),
        "indicators": rows,
        "language": "zh",
    }
    written = orjson.dumps(result)
    if ACTING.search(written) is not None:
        written = CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", written.decode()).encode()
    return written + b"\n"


def _levels(rubric: Rubric, scores: dict[str, int]) -> list[dict[str, Any]]:
    """Each level-1 node and its level-2 nodes with their subtotals."""
    levels = []
    for name, weight, children in rubric.levels:
        parts = [
            {"name": child, "weight": child_weight, "score": number(sum(scores[row] for row in rows))}
            for child, child_weight, rows in children
        ]
        points = sum(scores[row] for _, _, rows in children for row in rows)
        levels.append({"name": name, "weight": weight, "score": number(points), "children": parts})
    return levels


def main(source: str, sink: str, digest: str, version: str) -> int:
    rubric = Rubric(digest, version)
    with open(source, "rb") as lines, open(sink, "wb") as out:
        for line in lines:
            if line.strip():
                out.write(result_line(rubric, orjson.loads(line)))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
