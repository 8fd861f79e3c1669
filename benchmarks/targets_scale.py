"""How long 10,000 declared targets take to score through the public path (not a test: timings vary by machine).

    python benchmarks/targets_scale.py [COUNT]

Writes an inputs file with COUNT targets (default 10,000) of the forms departments write, scores it with
`scorer.api.score_file` as `score run` does, and prints the time of each step: reading and judging the
targets should take about a second together; the rest is YAML parsing and the schema check.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml

# Benchmark the checkout this script lives in, not whichever copy of the package is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorer.inputs.read import read_inputs  # noqa: E402
from scorer.kinds.targets.judge import roll_up  # noqa: E402
from scorer.kinds.targets.read import read_target  # noqa: E402
from scorer.run import score_file  # noqa: E402
from scorer.sources.yaml import load_yaml_file  # noqa: E402

T = TypeVar("T")

# (target, actual) pairs in the forms of the 申报表, met and missed, one and several parts.
FORMS = [
    ("≥50次", "182次"), ("90%以上", "88.5%"), ("不超过3天", "2日"), ("0起", "1起"), (">95%", "95%"),
    ("工业90%以上，商贸服务业80%以上", "工业95%，商贸服务业78%"), ("≤1,000万元", "998.5万元"), ("5个工作日内", "6工作日"),
]  # fmt: skip


def inputs_document(count: int) -> dict[str, object]:
    targets = [
        {
            "name": f"指标{index}",
            "target": FORMS[index % len(FORMS)][0],
            "actual": FORMS[index % len(FORMS)][1],
        }
        for index in range(count)
    ]
    return {
        "department": "基准测试部门",
        "year": 2022,
        "indicators": {
            "budget_execution": {"execution_rate": 98.88},
            "contract_filing_timeliness": {"contracts_total": 11, "contracts_filed_on_time": 9},
            "procurement_policy_effect": {"sme_suitable_budget": 10, "sme_awarded_amount": 9},
            "output_targets": {"targets": targets},
        },
    }


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.yaml"
        path.write_text(yaml.safe_dump(inputs_document(count), allow_unicode=True), encoding="utf-8")
        total, (result, rules) = timed(lambda: score_file(path))
        parsing, doc = timed(lambda: load_yaml_file(path))
    checking, _ = timed(lambda: read_inputs(doc, rules))
    indicator = next(i for i in rules.indicators if i.id == "output_targets")
    spec = indicator.targets
    assert spec is not None
    items = doc.data["indicators"]["output_targets"]["targets"]
    reading, targets = timed(lambda: [read_target(item, spec.categories) for item in items])
    judging, _ = timed(lambda: roll_up(spec.roll_up, indicator.weight, targets))

    row = next(i for i in result.indicators if i.id == "output_targets")
    print(f"{count} targets: output_targets {row.score} / {row.weight}")
    print(f"score_file, as `score run` does:  {total:.2f} s")
    print(f"  parsing the YAML                {parsing:.2f} s")
    print(f"  checking the inputs             {checking:.2f} s  (the schema, then reading the targets)")
    print(f"    reading the targets           {reading:.2f} s")
    print(f"  judging and rolling up          {judging:.2f} s")


def timed(step: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
