"""With -o the document goes to its file, and the terminal still says the total, the grade and every warning."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

SCORE = [sys.executable, "-m", "scorer"]
CAPPED = """department: 测试部门
year: 2022
indicators:
  budget_execution: {execution_rate: 100}
  contract_filing_timeliness: {contracts_total: 3, contracts_filed_on_time: 3}
  procurement_policy_effect: {sme_suitable_budget: 10, sme_awarded_amount: 10}
  financial_compliance:
    deductions:
      - {points: 1.5, reason: 甲。}
      - {points: 1.5, reason: 乙。}
"""


def score(tmp_path: Path, *args: str, lang: str = "") -> subprocess.CompletedProcess[str]:
    """As a clerk runs it: no locale set unless English is asked for."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCORE_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    if lang:
        env["SCORE_LANG"] = lang
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([*SCORE, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)


@pytest.mark.parametrize(
    ("command", "out"),
    [("run", "x.md"), ("run", "x.xlsx"), ("run", "x.json"), ("report", "x.docx"), ("report", "x.md")],
)
def test_a_capped_deduction_is_said_on_the_terminal(tmp_path: Path, command: str, out: str) -> None:
    (tmp_path / "d.yaml").write_text(CAPPED, encoding="utf-8")
    done = score(tmp_path, command, "d.yaml", "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert "总分 98 / 100，评价等级 优" in lines
    assert any("财务管理合规性" in line and "扣完为止" in line for line in lines), lines
    assert (tmp_path / out).stat().st_size > 0


def test_an_override_is_said_in_english_when_asked(tmp_path: Path) -> None:
    done = score(tmp_path, "run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-o", "x.md", lang="en")
    assert done.returncode == 0, done.stderr
    assert "Total 94.2 / 100, grade 优 (Excellent)" in done.stderr.splitlines()
    assert any(line.startswith("※ ") and "set by the evaluator" in line for line in done.stderr.splitlines())


def test_a_blank_scored_full_marks_by_the_rule_is_said(
    tmp_path: Path, rules_copy: Callable[..., Path]
) -> None:
    rules = rules_copy({"indicators/budget_execution.yaml": ("on_missing: error", "on_missing: full_marks")})
    text = CAPPED.replace("  budget_execution: {execution_rate: 100}\n", "").split("  financial_compliance")[
        0
    ]
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    done = score(tmp_path, "report", "d.yaml", "--rules", str(rules), "-o", "r.docx")
    assert done.returncode == 0, done.stderr
    assert any("未提供年度平均预算执行率" in line and "计满分" in line for line in done.stderr.splitlines())


def test_a_department_text_in_a_warning_stays_on_one_line_and_inert(tmp_path: Path) -> None:
    text = CAPPED.replace("reason: 甲。", 'reason: "甲\\n\\e[31m"') + (
        '  pm_system_execution:\n    override: {score: 1, reason: "评价人\\n调整\\e[2J"}\n'
    )
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    done = score(tmp_path, "run", "d.yaml", "-o", "x.md")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr
    assert any("评价人 ⏎ 调整\\x1b[2J" in line for line in done.stderr.splitlines()), done.stderr


def test_a_deduction_a_scoring_kind_capped_is_said(tmp_path: Path) -> None:
    """A declarative kind says its cap among the reasons; the terminal says it too."""
    import yaml

    rules = ROOT / "tests" / "fixtures" / "rules" / "illustrative"
    data = yaml.safe_load((rules / "golden" / "band-edges-b.yaml").read_text(encoding="utf-8"))["inputs"]
    data["indicators"]["audit_findings"] = {"audit_problems": 4, "criticisms": 5}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = score(tmp_path, "run", "d.yaml", "--rules", str(rules), "-o", "x.md")
    assert done.returncode == 0, done.stderr
    assert any("扣完为止，实扣 3 分" in line for line in done.stderr.splitlines()), done.stderr
