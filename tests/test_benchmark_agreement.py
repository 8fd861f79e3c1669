"""The scoring benchmark's checks, on a few departments: the engine, the hand-written exact scorer and GoRules ZEN
(when installed) agree on every total, grade and row score; the real `score batch IN.jsonl -o OUT.jsonl` writes
the bytes of the hand-written pipeline, text a terminal would act on included; and a difference is found."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scorer.rules.model import RuleSet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import baseline_2022  # noqa: E402
import end_to_end  # noqa: E402
import scoring  # noqa: E402
from departments import departments  # noqa: E402


def test_the_scorers_agree_on_every_row(rules_2022: RuleSet) -> None:
    documents = list(departments(150, 11))
    documents[0]["indicators"]["budget_execution"]["execution_rate"] = "92.071"  # more places than generated
    assert scoring.check_agreement(documents, rules_2022) == 0


def test_a_disagreement_is_found(rules_2022: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baseline_2022, "half_up", lambda numerator, denominator: numerator // denominator)
    assert scoring.check_agreement(list(departments(40, 11)), rules_2022) > 0


def test_score_batch_writes_the_bytes_of_the_hand_written_pipeline(tmp_path: Path) -> None:
    documents = list(departments(25, 5))
    documents[2]["department"] = '局\u202e<b>"x"\\\x85\u2028'  # bidi, markup, quotes, C1, separator
    documents[3]["indicators"].setdefault("ex_ante_evaluation", {})["deductions"] = [
        {"points": "1", "reason": "未评估\u202e「 」\n\t\u0007"}
    ]
    commands = end_to_end.pipelines(tmp_path, documents, 1, set())  # exits when the bytes differ
    assert list(commands) == [end_to_end.REAL, "hand-written pipeline"]
    written = (tmp_path / "hand.jsonl").read_bytes()
    assert written == (tmp_path / "score.jsonl").read_bytes() and written.count(b"\n") == 25
    assert b"\\u202e" in written and b"\\u0085" in written and "\u202e".encode() not in written


def test_files_that_differ_are_named(tmp_path: Path) -> None:
    files = [tmp_path / name for name in ("a.jsonl", "b.jsonl", "c.jsonl")]
    for path, text in zip(files, (b"{}\n", b"{}\n", b"{} \n"), strict=True):
        path.write_bytes(text)
    assert end_to_end.differing(files) == ["c.jsonl"]


def test_a_refused_department_stops_the_benchmark(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"(?s)score.* batch .* failed \(1\):.*execution_rate"):
        end_to_end.pipelines(tmp_path, [{"department": "局", "year": 2022}], 1, set())
