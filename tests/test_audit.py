"""`score audit`: the published tables audit clean, a copy with one number changed is caught at its row, a
workbook written by `score run` reads back clean, and `--to-inputs` re-scores to the published totals.

The oracles are the published tables themselves (their printed totals and rows, found by their text), the
engine's own scores of the examples, and the rule files' formulas; never the audit's own output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.audit.facts import stated_deduction, stated_values
from scorer.audit.files import audit_file
from scorer.facts import rule_reason
from scorer.rounding import fmt
from scorer.rules.model import RuleSet
from scorer.run import score_file
from tests.conftest import EXAMPLES

TABLES = Path(__file__).resolve().parent / "fixtures" / "tables"
SUIGANG = TABLES / "000_145fdbc536c66fe0.txt"  # 穗港智造合作区管理委员会: 98.29, no grade ticked
ZHENGWU = TABLES / "003_0ab128b708fd7b30.txt"  # 政务服务数据管理局: 94.2, 优 ticked


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> tuple[int, dict]:
    code, out, _ = _run(*args, "-f", "json")
    return code, json.loads(out)


def _printed_total(path: Path) -> Decimal:
    """The total as the table prints it on its 总分 line (the last number there)."""
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if "总分" in line)
    return Decimal(re.findall(r"\d+(?:\.\d+)?", re.sub(r"<[^>]+>", "", line))[-1])


def _line_of(text: str, words: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if words in line)


def _doctored(tmp_path: Path, source: Path, change: Callable[[str], str]) -> tuple[Path, str]:
    text = source.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the change must alter the table"
    path = tmp_path / f"doctored-{source.name}"
    path.write_text(changed, encoding="utf-8")
    return path, changed


def _findings(data: dict) -> list[dict]:
    return [f for table in data["tables"] for f in table["findings"] if f["severity"] == "error"]


# ---- the published tables ----


@pytest.mark.parametrize("table", [SUIGANG, ZHENGWU], ids=["000", "003"])
def test_a_published_table_audits_clean(table: Path) -> None:
    code, data = _json(str(table))
    assert code == 0, _findings(data)
    (result,) = data["tables"]
    assert result["consistent"] and _findings(data) == []
    assert Decimal(str(result["total"])) == _printed_total(table)
    assert Decimal(str(result["rescored_total"])) == _printed_total(table)
    assert len(result["matched"]) == 26  # every indicator of the 2022 rules found its row


def test_the_untidy_table_is_read_row_by_row() -> None:
    """Seed 000 shifts cells left, leaves names out and repeats its header: each indicator still finds its
    row, on the line where the table prints it."""
    result = audit_file(SUIGANG)
    text = SUIGANG.read_text(encoding="utf-8")
    assert result.matched["carryover_rate"] == _line_of(
        text, "部门（单位）当年度结转结余与当年度预算总额的比率"
    )
    assert result.matched["asset_income_remittance"] == _line_of(text, "资产收益上缴的及时性")
    assert result.matched["procurement_intent_disclosure_2"] == _line_of(text, "\t1.5\t\t1.5")
    assert result.table.year == 2022 and result.table.units == 1
    assert result.table.budget["total"] == Decimal("1945.54")


def test_an_unticked_grade_is_a_note_not_a_fault() -> None:
    code, out, _ = _run(str(SUIGANG), "--lang", "en")
    assert code == 0
    assert "no grade is ticked" in out and "'优'" in out


# ---- one number changed ----

# (table, what to change, the words of the row it is on, the finding's key)
DOCTORED = [
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("\t0.82\t", "\t0.83\t").replace("94.2", "94.21"),
        "合同备案时效性",
        "audit.formula",
        id="a-formula-score",
    ),
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("\t9.88\t", "\t9.89\t").replace("94.2", "94.21"),
        "部门预算资金支出率",
        "audit.rounding_slip",
        id="a-rounding-slip",
    ),
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("\t94.2", "\t94.3"),
        "总分",
        "audit.total",
        id="the-total",
    ),
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("√优", "□优").replace("□良", "√良"),
        "评价等级",
        "audit.grade",
        id="the-grade",
    ),
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("\t6\t我部门", "\t5\t我部门").replace("94.2", "93.2"),
        "绩效管理制度执行",
        "audit.deduction_stated",
        id="a-deduction",
    ),
    pytest.param(
        ZHENGWU,
        lambda s: s.replace("合同备案时效性\t1\t", "合同备案时效性\t2\t"),
        "合同备案时效性",
        "audit.weight",
        id="a-weight",
    ),
    pytest.param(
        SUIGANG,
        lambda s: s.replace("平均支出进度为89.92%", "平均支出进度为88.92%"),
        "部门预算资金支出率",
        "audit.formula",
        id="a-stated-rate",
    ),
    pytest.param(
        SUIGANG,
        lambda s: s.replace("其中9份", "其中10份"),
        "合同备案时效性",
        "audit.formula",
        id="a-stated-count",
    ),
    pytest.param(
        SUIGANG,
        lambda s: s.replace("328.6084万", "318.6084万"),
        "采购政策效能",
        "audit.formula",
        id="a-stated-sme-amount",
    ),
    pytest.param(
        SUIGANG,
        lambda s: s.replace("得8.99分", "得8.98分"),
        "部门预算资金支出率",
        "audit.score_stated",
        id="a-stated-score",
    ),
    pytest.param(
        SUIGANG,
        lambda s: re.sub(r"(采购合同签订时效性\t3\t[^\t]*\t)3\t", r"\g<1>2.5\t", s).replace("98.29", "97.79"),
        "采购合同签订时效性",
        "audit.no_reason",
        id="points-lost-without-reason",
    ),
    pytest.param(
        SUIGANG,
        lambda s: s.replace(
            "\t2\t反映部门（单位）资产管理是否合规。\t2\t", "\t2\t反映部门（单位）资产管理是否合规。\t2.5\t"
        ),
        "资产管理合规性",
        "audit.score_range",
        id="a-score-above-its-weight",
    ),
]


@pytest.mark.parametrize(("table", "change", "row", "key"), DOCTORED)
def test_one_altered_number_is_caught_at_its_row(
    tmp_path: Path, table: Path, change: Callable[[str], str], row: str, key: str
) -> None:
    path, text = _doctored(tmp_path, table, change)
    code, data = _json(str(path))
    assert code == 1
    found = [(f["key"], f["line"]) for f in _findings(data)]
    assert (key, _line_of(text, row)) in found, found


def test_the_findings_are_said_in_both_languages(tmp_path: Path) -> None:
    path, text = _doctored(tmp_path, ZHENGWU, lambda s: s.replace("\t94.2", "\t94.3"))
    line = _line_of(text, "总分")
    code_en, english, _ = _run(str(path), "--lang", "en")
    code_zh, chinese, _ = _run(str(path), "--lang", "zh")
    assert code_en == code_zh == 1
    assert (
        f"{path.name}:{line}:" in english
        and "the total is printed as 94.3; the rows add up to 94.2" in english
    )
    assert f"{path.name}:{line}:" in chinese and "总分印为 94.3，各行得分合计为 94.2" in chinese


def test_a_renamed_row_is_named_as_unmatched(tmp_path: Path) -> None:
    def rename(text: str) -> str:
        return text.replace("资产盘点情况", "固定资产清查").replace(
            "反映单位是否每年按要求进行资产盘点。", ""
        )

    path, text = _doctored(tmp_path, ZHENGWU, rename)
    code, data = _json(str(path))
    assert code == 1
    keys = {(f["key"], f["line"]) for f in _findings(data)}
    assert ("audit.row_unknown", _line_of(text, "固定资产清查")) in keys
    assert "audit.row_missing" in {key for key, _ in keys}


@pytest.mark.parametrize(("printed", "consistent"), [("46.38", True), ("46.39", False)])
def test_a_printed_subtotal_is_added_up(tmp_path: Path, printed: str, consistent: bool) -> None:
    """A 小计 row under 整体效能 (19 + 17.5 + 9.88 = 46.38 in the published rows)."""

    def add_subtotal(text: str) -> str:
        lines = text.split("\n")
        after = _line_of(text, "部门预算资金支出率")
        return "\n".join([*lines[:after], f"\t\t整体效能小计\t\t\t\t\t{printed}\t\t\t", *lines[after:]])

    path, text = _doctored(tmp_path, ZHENGWU, add_subtotal)
    code, data = _json(str(path))
    assert (code == 0) is consistent
    if not consistent:
        assert [(f["key"], f["line"]) for f in _findings(data)] == [
            ("audit.subtotal", _line_of(text, "整体效能小计"))
        ]


# ---- the text as it is pasted ----


def test_a_gbk_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(ZHENGWU.read_text(encoding="utf-8").encode("gb18030"))
    code, data = _json(str(path))
    assert code == 0 and data["tables"][0]["total"] == 94.2


@pytest.mark.parametrize("table", [SUIGANG, ZHENGWU], ids=["000", "003"])
def test_a_copy_without_padding_or_with_windows_line_ends_reads_the_same(tmp_path: Path, table: Path) -> None:
    """Without the trailing tabs of padded rows no two lines are joined (the total and grade lines stay apart)."""
    text = table.read_text(encoding="utf-8")
    unpadded = tmp_path / "unpadded.txt"
    unpadded.write_text("\n".join(line.rstrip("\t") for line in text.splitlines()), encoding="utf-8")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    for path in (unpadded, crlf):
        code, data = _json(str(path))
        assert code == 0, _findings(data)
        assert Decimal(str(data["tables"][0]["total"])) == _printed_total(table)


def test_a_line_break_inside_a_cell_continues_the_row(tmp_path: Path) -> None:
    """A reason broken over two lines, as Word copies it (no quotes), and as Excel copies it (quoted)."""
    word, text = _doctored(
        tmp_path, ZHENGWU, lambda s: s.replace("本项扣1分。", "本项扣1分。\n（详见自评报告）", 1)
    )
    code, data = _json(str(word))
    assert code == 0, _findings(data)
    excel = tmp_path / "excel.txt"
    excel.write_text(
        text.replace(
            "我部门2022年未组织下属事业单位开展整体绩效自评，本项扣1分。\n（详见自评报告）",
            '"我部门2022年未组织\n下属事业单位开展整体绩效自评，本项扣1分。"',
        ),
        encoding="utf-8",
    )
    code, data = _json(str(excel))
    assert code == 0, _findings(data)
    # A finding after the broken row still names the line it stands on.
    doctored, changed = _doctored(tmp_path, word, lambda s: s.replace("\t0.82\t", "\t0.83\t"))
    _, data = _json(str(doctored))
    assert ("audit.formula", _line_of(changed, "合同备案时效性")) in {
        (f["key"], f["line"]) for f in _findings(data)
    }


# ---- workbooks ----


def _workbook(tmp_path: Path, example: str, lang: str) -> Path:
    path = tmp_path / f"{example}-{lang}.xlsx"
    result = CliRunner().invoke(
        app, ["run", str(EXAMPLES / f"{example}.yaml"), "-o", str(path), "--lang", lang]
    )
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", ["2022-zhengwu-fuwu", "2022-suigang-zhizao", "2022-suigang-targets"])
def test_a_workbook_written_by_score_run_audits_clean(tmp_path: Path, example: str, lang: str) -> None:
    path = _workbook(tmp_path, example, lang)
    expected, _ = score_file(EXAMPLES / f"{example}.yaml")
    code, data = _json(str(path))
    assert code == 0, _findings(data)
    (table,) = data["tables"]
    assert Decimal(str(table["total"])) == expected.total
    assert Decimal(str(table["rescored_total"])) == expected.total


def test_an_altered_workbook_cell_is_named_by_sheet_and_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _workbook(tmp_path, "2022-suigang-zhizao", "zh")
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "合同备案时效性")
    score = sheet.cell(row=cell.row, column=8)
    assert score.value == 0.41
    score.value = 0.5
    book.save(path)
    code, data = _json(str(path))
    assert code == 1
    found = {(f["key"], f["line"]) for f in _findings(data)}
    assert ("audit.formula", f"{sheet.title}!H{cell.row}") in found
    assert "audit.total" in {key for key, _ in found}


def test_a_department_workbook_with_other_offsets_and_merges(tmp_path: Path) -> None:
    """The pasted table typed into a workbook of the department's own: two rows and a column further in,
    level names in merged cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部门自评"
    rows = [line.split("\t") for line in ZHENGWU.read_text(encoding="utf-8").splitlines()]
    for r, cells in enumerate(rows, start=3):
        for c, value in enumerate(cells, start=2):
            if value:
                number = re.fullmatch(r"\d+(\.\d+)?", value)
                sheet.cell(row=r, column=c, value=float(value) if number else value)
    header = next(r for r, cells in enumerate(rows, start=3) if cells[0] == "一级指标")
    sheet.merge_cells(start_row=header + 1, start_column=2, end_row=header + 9, end_column=2)
    path = tmp_path / "department.xlsx"
    book.save(path)
    code, data = _json(str(path))
    assert code == 0, _findings(data)
    assert data["tables"][0]["total"] == 94.2


# ---- --to-inputs ----


@pytest.mark.parametrize("table", [SUIGANG, ZHENGWU], ids=["000", "003"])
def test_the_inputs_a_table_states_re_score_to_its_published_total(tmp_path: Path, table: Path) -> None:
    out = tmp_path / "inputs.yaml"
    code, _, _ = _run(str(table), "--to-inputs", str(out))
    assert code == 0
    result, _ = score_file(out)
    assert result.total == _printed_total(table)


def test_the_inputs_keep_the_facts_and_reasons(tmp_path: Path) -> None:
    import yaml

    out = tmp_path / "inputs.yaml"
    _run(str(ZHENGWU), "--to-inputs", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["department"] == "广州市黄埔区政务服务数据管理局（广州开发区行政审批局）"
    assert data["year"] == 2022 and data["units"] == 3
    indicators = data["indicators"]
    # "公开招标项目共11项，其中2项未…备案": 11 contracts, 2 late → 9 on time.
    assert indicators["contract_filing_timeliness"]["contracts_total"] == 11
    assert indicators["contract_filing_timeliness"]["contracts_filed_on_time"] == 9
    assert indicators["budget_execution"]["execution_rate"] == 98.88
    (deduction,) = indicators["pm_system_execution"]["deductions"]
    assert deduction["points"] == 1 and "本项扣1分" in deduction["reason"]


def test_to_inputs_takes_one_table(tmp_path: Path) -> None:
    code, _, err = _run(str(SUIGANG), str(ZHENGWU), "--to-inputs", str(tmp_path / "x.yaml"))
    assert code == 2 and "one table" in err


# ---- reading the facts a reason states ----


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reason_written_from_the_rule_template_reads_back(rules_2022: RuleSet, lang: str) -> None:
    for indicator_id, values in [
        ("budget_execution", {"execution_rate": "91.5"}),
        ("contract_filing_timeliness", {"contracts_total": "30", "contracts_filed_on_time": "17"}),
        ("procurement_policy_effect", {"sme_suitable_budget": "1200.5", "sme_awarded_amount": "800.25"}),
    ]:
        indicator = rules_2022.indicator(indicator_id)
        assert indicator is not None
        reason = rule_reason(indicator.reason_templates, {**values, "year": "2023", "score": "0.57"})
        text = reason.template(lang).render(dict(reason.values))
        read = stated_values(indicator, text)
        assert {k: fmt(v) for k, v in read.items()} == {**values, "score": "0.57"}


def test_stated_deductions_are_summed() -> None:
    assert stated_deduction("未公开扣0.5分；逾期扣除1分。") == Decimal("1.5")
    assert stated_deduction("按比例扣") is None


# ---- files that are not tables ----


def test_an_unreadable_table_is_refused_with_one_message(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一份说明，不是自评表。\n", encoding="utf-8")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    for path in (binary, empty, prose, fake):
        code, out, err = _run(str(path))
        assert code == 1 and "Traceback" not in err
        assert err.count("\n") == 1 and path.name in err
    code, out, err = _run(str(binary), str(ZHENGWU))
    assert code == 1 and "consistent" in out and binary.name in err


def test_a_huge_line_is_read(tmp_path: Path) -> None:
    path, _ = _doctored(
        tmp_path, ZHENGWU, lambda s: s.replace("本项扣1分。", "本项扣1分。" + "1、" * 400_000, 1)
    )
    code, data = _json(str(path))
    assert code == 0, _findings(data)


def test_control_characters_in_cells_are_shown_escaped(tmp_path: Path) -> None:
    path, _ = _doctored(tmp_path, ZHENGWU, lambda s: s.replace("资产盘点情况", "资产\x1b[31m盘点\u202e情况"))
    code, out, _ = _run(str(path))
    assert code == 0  # the row is still known by its explanation; its odd name is noted
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31m" in out and "\\u202e" in out
    code, raw, _ = _run(str(path), "-f", "json")
    assert "\x1b" not in raw and "\u202e" not in raw
    notes = [f for t in json.loads(raw)["tables"] for f in t["findings"] if f["severity"] == "note"]
    assert any("\x1b" in f["message"] for f in notes)


def test_a_unicode_text_table_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"  # Excel's "Unicode text": UTF-16 with its mark, tab-separated
    path.write_bytes(ZHENGWU.read_text(encoding="utf-8").encode("utf-16"))
    code, data = _json(str(path))
    assert code == 0 and data["tables"][0]["total"] == 94.2
