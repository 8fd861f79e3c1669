"""A 自评报告 a director signs: placeholders in plain words, "nothing here" marks read as nothing, and a blank
marked 待填写 only where the department wrote nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
HEAD = """department: 测试部门
year: 2022
indicators:
  budget_execution: {execution_rate: 98.88, improvement: "%s"}
  contract_filing_timeliness: {contracts_total: 3, contracts_filed_on_time: 3}
  procurement_policy_effect: {sme_suitable_budget: 10, sme_awarded_amount: 10}
"""
NARRATIVE = {
    "report.key_tasks": "部门年度重点工作任务",
    "report.results": None,  # falls back to profile.achieved
    "report.performance_management": "绩效管理",
    "report.procurement_management": "采购管理",
    "report.asset_management": "资产管理",
    "profile.goal": "部门整体支出绩效目标",
}
NOTHING = ["/", "无", "—", "-", "／", "——", " / ", "无。", "暂无", "N/A", "－", "\u3000/\u3000"]


def report(tmp_path: Path, text: str, out: str = "r.md", lang: str = "zh") -> str:
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["report", str(tmp_path / "d.yaml"), "-o", str(tmp_path / out), "--lang", lang])
    assert done.exit_code == 0, done.output
    if out.endswith(".docx"):
        return "\n".join(p.text for p in Document(str(tmp_path / out)).paragraphs)
    return (tmp_path / out).read_text(encoding="utf-8")


def with_profile(fields: dict[str, str], improvement: str = "") -> str:
    groups: dict[str, list[str]] = {}
    for key, value in fields.items():
        group, name = key.split(".")
        groups.setdefault(group, []).append(f"  {name}: {value!r}".replace("'", '"'))
    return (HEAD % improvement) + "".join(f"{g}:\n" + "\n".join(lines) + "\n" for g, lines in groups.items())


@pytest.mark.parametrize("out", ["r.md", "r.docx"])
@pytest.mark.parametrize("mark", NOTHING)
def test_a_nothing_here_mark_is_read_as_nothing(tmp_path: Path, mark: str, out: str) -> None:
    fields = dict.fromkeys(NARRATIVE, mark) | {"profile.achieved": "全面完成。", "profile.shortfall": mark}
    fields |= {"report.problems": mark, "report.improvements": mark}
    text = report(tmp_path, with_profile(fields, improvement=mark), out)
    paragraphs = [line.strip("* ") for line in text.splitlines() if line.strip()]
    assert mark.strip() not in paragraphs
    for what in filter(None, NARRATIVE.values()):
        assert f"【待填写：{what}】" in paragraphs
    assert "全面完成。" in paragraphs  # 完成情况 stands in for the results the department left at "/"
    assert "【待填写：下一步改进措施】" in paragraphs
    assert not any(re.match(r"\d+\. .*：" + re.escape(mark.strip()) + "$", line) for line in paragraphs)
    assert (
        "1. 部门预算资金支出率失 0.12 分：2022年平均预算执行率为98.88%，按执行率×权重得9.88分。" in paragraphs
    )


def test_text_that_only_starts_with_a_mark_is_kept(tmp_path: Path) -> None:
    fields = {
        "report.key_tasks": "/ 见附件",
        "report.problems": "无重大问题。",
        "profile.goal": "-1. 提高效率",
    }
    text = report(tmp_path, with_profile(fields, improvement="无须改进"))
    assert "/ 见附件" in text and "无重大问题。" in text and "-1. 提高效率" in text
    assert "1. 部门预算资金支出率：无须改进" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("out", ["r.md", "r.docx"])
def test_no_placeholder_names_a_field_of_the_inputs_file(tmp_path: Path, lang: str, out: str) -> None:
    text = report(tmp_path, HEAD % "", out, lang)
    blanks = re.findall(r"【待填写：([^】]*)】|\[To be written: ([^\]]*)\]", text)
    assert len(blanks) >= 8
    for zh, en in blanks:
        what = zh or en
        assert not re.search(r"[A-Za-z_]+_[A-Za-z_]+|\bbudget:|\btotal\b|\bexecuted\b|\bprofile\b", what), (
            what
        )
        if lang == "zh":
            assert not re.search(r"[A-Za-z]", what), what


@pytest.mark.parametrize("out", ["r.md", "r.docx"])
def test_only_what_was_not_written_is_marked_blank(tmp_path: Path, out: str) -> None:
    given = report(tmp_path, (HEAD % "") + "budget: {total: 1945.54}\n", out)
    assert "全年预算数 1,945.54 万元。" in given
    assert "【待填写：执行数】" in given and "【待填写：全年预算数、执行数】" not in given
    spent = report(tmp_path, (HEAD % "") + "budget: {executed: 1800}\n", out)
    assert "全年执行数 1,800.00 万元。" in spent and "【待填写：全年预算数】" in spent
    zero = report(tmp_path, (HEAD % "") + "budget: {total: 0, executed: 0}\n", out)
    assert "全年预算数 0.00 万元，执行数 0.00 万元。" in zero and "待填写：全年预算数" not in zero


def test_a_lost_point_whose_reason_is_a_mark_asks_for_the_reason(tmp_path: Path) -> None:
    text = (HEAD % "") + '  pm_system_execution:\n    deductions:\n      - {points: 1, reason: "/"}\n'
    shown = report(tmp_path, text)
    assert "**2. 绩效管理制度执行失 1 分：【待填写：未达标原因】。**" in shown
