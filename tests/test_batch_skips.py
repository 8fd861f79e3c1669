"""What no output of a batch reads is not worked out: `score batch IN.jsonl -o OUT.jsonl` words no reason for
the summary's losses and sums no subtotal, yet writes the same lines, refuses the same departments with the same
messages, and a summary asked for beside it still shows every loss."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.batch import summary as summary_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from departments import departments  # noqa: E402

runner = CliRunner()


def _batch(tmp_path: Path) -> Path:
    documents = list(departments(40, 11))
    lines = [json.dumps(d, ensure_ascii=False) for d in documents]
    lines.insert(5, '{"department": "坏", "year": 2022, "indicators": {"carryover_rate": {"deductions": 3}}}')
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _no_wording(*_: object) -> str:
    raise AssertionError("a reason worded for a summary no output reads")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_lines_alone_word_no_reason_for_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    source = _batch(tmp_path)
    both = runner.invoke(
        app, ["batch", str(source), "-o", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "s.txt")]
    )
    assert both.exit_code == 1, both.output  # the bad line is refused
    monkeypatch.setattr(summary_module, "pattern", _no_wording)
    alone = runner.invoke(app, ["batch", str(source), "-o", str(tmp_path / "b.jsonl"), "--jobs", "1"])
    assert alone.exit_code == 1, alone.output
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert alone.stderr.replace("b.jsonl", "") == both.stderr.replace("a.jsonl", "").replace(
        f"已写入 {tmp_path / 's.txt'}\n", ""
    ).replace(f"wrote {tmp_path / 's.txt'}\n", "")
    if jobs == "2":  # the workers too: the lines are the same, in the same order
        two = runner.invoke(app, ["batch", str(source), "-o", str(tmp_path / "c.jsonl"), "--jobs", "2"])
        assert two.exit_code == 1, two.output
        assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()


def test_a_summary_beside_json_lines_still_counts_every_loss(tmp_path: Path) -> None:
    from scorer.batch.run import BatchRun, run_batch
    from scorer.rules.read import load_rules

    source, rules = _batch(tmp_path), load_rules("2022")
    full = run_batch([source], rules, "zh", BatchRun(summarised=True))
    lean = run_batch([source], rules, "zh", BatchRun(summarised=False))
    assert full.losing() and not lean.losing()
    assert [e.department for e in full.entries] == [e.department for e in lean.entries]
    assert full.scored == lean.scored == 40 and len(full.refusals) == len(lean.refusals) == 1
    assert full.mean_total() == lean.mean_total() and full.distribution() == lean.distribution()


def test_a_reason_given_twice_in_one_department_counts_once(tmp_path: Path) -> None:
    from scorer.batch.run import BatchRun, run_batch
    from scorer.rules.read import load_rules

    twice = [{"points": "0.5", "reason": "未评估。"}, {"points": "1", "reason": "未评估。"}]
    lines = list(departments(2, 5))
    for document in lines:
        document["indicators"]["ex_ante_evaluation"] = {"deductions": twice}
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines), encoding="utf-8")
    summary = run_batch([source], load_rules("2022"), "zh", BatchRun())
    losses = summary.losses["ex_ante_evaluation"]
    assert (losses.departments, losses.points, losses.top()) == (2, Decimal(3), [("未评估。", 2)])
