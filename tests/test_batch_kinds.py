"""A batch sheet asks for every kind's inputs: the illustrative rubric's golden departments, written one a row
into a CSV sheet (graded picks, chosen alternatives, yes/no answers and all), score to their worked-out totals."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from cli import app
from scorer.inputs.columns import columns
from scorer.rules.read import load_rules

ILLUSTRATIVE = Path(__file__).parent / "fixtures" / "rules" / "illustrative"


def _flat(entry: dict[str, Any], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_every_kind_is_scored_from_a_batch_sheet(tmp_path: Path) -> None:
    rules = load_rules(str(ILLUSTRATIVE))
    keys = [column.key for column in columns(rules, "zh")]
    cases = []
    for path in sorted((ILLUSTRATIVE / "golden").glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "refused" in path.name or "inputs" not in case:
            continue
        inputs = case["inputs"]
        row = {"department": f"{inputs['department']}-{path.stem}", "year": inputs["year"]}
        for ident, entry in (inputs.get("indicators") or {}).items():
            row.update(_flat(entry or {}, f"{ident}."))
        assert set(row) <= set(keys), set(row) - set(keys)  # every input has its column
        cases.append((row, case["expect"]["total"]))
    assert len(cases) >= 8
    sheet = tmp_path / "批量.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=keys)
        writer.writeheader()
        for row, _ in cases:
            writer.writerow(
                {
                    key: ("是" if value is True else "否" if value is False else value)
                    for key, value in row.items()
                }
            )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(sheet), "--rules", str(ILLUSTRATIVE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    totals = {
        json.loads(line)["department"]: json.loads(line)["total"]
        for line in out.read_text("utf-8").splitlines()
    }
    for row, total in cases:
        assert totals[row["department"]] == total, row["department"]
