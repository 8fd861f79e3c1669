"""`score audit` vouches only for what it recomputed: a formula row below its weight whose reason leaves out the
figures the rule needs is an error (the table is not consistent), and a score cell is a number only with nothing
but ordinary spaces around it (a line separator or a joiner beside 9.88 is a doubt). The published tables still
audit clean.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TABLES = ROOT / "tests" / "fixtures" / "tables"
SEED = TABLES / "003_0ab128b708fd7b30.txt"
FIGURES = "根据我部门年度平均执行率通报情况，我部门2022年平均执行率为98.88%。"
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def _audit(path: Path) -> tuple[int, str]:
    done = subprocess.run(
        [*SCORE, "audit", str(path), "--lang", "en"], capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout + done.stderr


def _doctored(tmp_path: Path, old: str, new: str) -> Path:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "table.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", sorted(TABLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_the_published_tables_still_audit_consistent(seed: Path) -> None:
    code, out = _audit(seed)
    assert code == 0 and "consistent" in out, out


@pytest.mark.parametrize("reason", ["支出进度略慢。", "见附件"])
def test_a_formula_score_its_reason_gives_no_figures_for_is_not_vouched_for(
    tmp_path: Path, reason: str
) -> None:
    code, out = _audit(_doctored(tmp_path, FIGURES, reason))
    assert code == 1 and "consistent:" not in out
    assert (
        "table.txt:15: [部门预算资金支出率] Reasons for lost points: the score 9.88 is below the weight, but the "
        "reason does not state the figures the rule needs (年度平均预算执行率), so it cannot be recomputed"
        in out
    ), out


@pytest.mark.parametrize("mark", ["\u2028", "\u2029", "\u0085", "\u2060", "\u200b", "\u180e", "\u2800"])
@pytest.mark.parametrize("before", [True, False])
def test_a_score_with_an_invisible_character_beside_it_is_a_doubt(
    tmp_path: Path, mark: str, before: bool
) -> None:
    cell = mark + "9.88" if before else "9.88" + mark
    code, out = _audit(_doctored(tmp_path, "\t9.88\t", f"\t{cell}\t"))
    assert (
        code == 1
        and "table.txt:15: [部门预算资金支出率] Score: '" in out
        and "cannot be read as a number" in out
    )
