"""The 申报表's 绩效指标 block, pasted as Word and Excel copy it, keeps every declared target, or refuses the
rows it cannot read at their lines: a row is never dropped, and a category is never taken for a name."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.sources.yaml import parse_yaml

runner = CliRunner()
TABLES = Path(__file__).parent / "fixtures" / "declared"
HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值\n"

# The 22 targets the seed 001 declares, as its published 自评表 (seed 000) lists them.
QUANTITY = [("走访及接待企业次数", "≥50次"), ("政策宣讲、产销对接等活动次数", "≥6场"),
            ("促进经济发展负责企业政策宣传覆盖率", "工业90%以上，商贸服务业80%以上"),
            ("制定并更新产业项目等地图次数", "≥4"), ("闲置物业摸查台账次数", "≥12"),
            ("建立工业土地产出效益台账次数", "≥1"), ("更新区域地块台账次数", "≥12"), ("全年支付次数", "4次"),
            ("园区内重大公共治安案发数", "0起"), ("赴其他地区考察招商次数", "1次"),
            ("市招商项目库的入库项目数", "5个"), ("落地项目筹建数", "5个"), ("开展区域宣传推广次数", "1次")]  # fmt: skip
DECLARED = (
    [("数量指标", name, target) for name, target in QUANTITY]
    + [("质量指标", "协调问题反馈率", "≥90%"), ("质量指标", "办公用房清洁卫生覆盖率", "100%"),
       ("质量指标", "保安日常巡查覆盖率", "100%"), ("时效指标", "按时发放经费及时率", "100%"),
       ("社会效益指标", "档案正常使用年限", "≥10年"), ("社会效益指标", "办公用房面积超标率", "0%"),
       ("社会效益指标", "治安监控覆盖率", "100%"), ("满意度指标", "信息系统用户满意度", "≥95%"), ("满意度指标", "辖内青少年满意率", "≥95%")]
)  # fmt: skip


def _declared(table: Path) -> list[tuple[str, str, str]]:
    result = runner.invoke(app, ["template", "--rules", "2022", "--targets", str(table)])
    assert result.exit_code == 0, result.output
    indicators = parse_yaml(result.stdout, "<template>").data["indicators"]
    return [
        (item["category"], item["name"], item["target"])
        for ident in ("output_targets", "outcome_targets")
        for item in (indicators.get(ident) or {}).get("targets") or []
    ]


def test_the_block_as_word_copies_it_keeps_every_target() -> None:
    assert _declared(TABLES / "001-targets-word.txt") == DECLARED


def test_the_block_as_excel_saves_it_keeps_every_target() -> None:
    percent = {"100%": "100.00%", "0%": "0.00%"}  # LibreOffice stored them as numbers shown as percentages
    assert _declared(TABLES / "001-targets-excel.csv") == [(c, n, percent.get(v, v)) for c, n, v in DECLARED]


def test_merged_cells_repeated_on_every_row_read_as_blank_ones(tmp_path: Path) -> None:
    lines = (TABLES / "001-targets-word.txt").read_text("utf-8").splitlines()
    level1, category, repeated = "", "", [lines[0]]
    for line in lines[1:]:  # Word's other way with a merged cell: its text on every row it spans
        cells = line.split("\t") + [""] * 6
        if cells[1] == "" and cells[2] == "" and cells[3] and level1:
            cells[1], cells[2] = level1, category
        level1, category = cells[1] or level1, cells[2] if cells[2].endswith("指标") else category
        repeated.append("\t".join(cells[:6]))
    table = tmp_path / "repeated.txt"
    table.write_text("\n".join(repeated) + "\n", "utf-8")
    assert _declared(table) == DECLARED


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            "\t产出指标\t数量指标\t走访次数\t≥50次\t\n",
            "'走访次数' has no 年度指标值",
        ),  # only the 实施周期 value
        ("\t\t数量指标\t走访次数\t\t\n", "'走访次数' has no 年度指标值"),
        ("\t走访次数\t≥50次\t≥40次\t≥30次\t\n", "out of their columns"),  # shifted, three values
        ("\t\t数量指标\t≥50次\t≥50次\t≥50次\n", "a value ('≥50次') where the target's name"),
        ("\t\t环保指标\t走访次数\t≥50次\t≥50次\n", "category '环保指标' is none of"),
    ],
)
def test_a_row_that_cannot_be_read_whole_is_refused_at_its_line(tmp_path: Path, row: str, words: str) -> None:
    good = "\t产出指标\t数量指标\t甲\t1次\t1次\n"
    table = tmp_path / "targets.txt"
    table.write_text(HEADER + good + row + good.replace("甲", "乙"), "utf-8")
    result = runner.invoke(app, ["template", "--rules", "2022", "--targets", str(table)])
    assert result.exit_code == 1, result.output
    assert "targets.txt:3: " in result.stderr and words in result.stderr, result.stderr
    assert result.stderr.count("targets.txt:") == 1, result.stderr


def test_every_unreadable_row_is_told_at_once(tmp_path: Path) -> None:
    table = tmp_path / "targets.txt"
    table.write_text(HEADER + "\t\t数量指标\t甲\t\t\n\t\t质量指标\t乙\t1次\t\n\t\t\t丙\t\t\n", "utf-8")
    result = runner.invoke(app, ["template", "--rules", "2022", "--targets", str(table)])
    assert result.exit_code == 1
    assert [line.split("targets.txt:")[1].split(":")[0] for line in result.stderr.splitlines()] == [
        "2",
        "3",
        "4",
    ]


def test_a_row_shifted_whole_reads_its_values_in_the_header_s_order(tmp_path: Path) -> None:
    table = tmp_path / "targets.txt"
    table.write_text(HEADER + "\t产出指标\t数量指标\t甲\t1次\t1次\n\t\t乙\t≥50次\t≥40次\t\n", "utf-8")
    assert _declared(table) == [("数量指标", "甲", "1次"), ("数量指标", "乙", "≥40次")]


def test_the_whole_form_pasted_is_read_from_the_block_s_header(tmp_path: Path) -> None:
    """What stands above the 绩效指标 block (the form's title, budget and goals) is not a target; lines are the
    file's own."""
    table = tmp_path / "申报表.txt"
    above = "## 部门整体预算绩效目标申报表\n\n部门名称\t某局\t\t\n总体绩效目标\t目标1：做好服务\n"
    table.write_text(above + HEADER + "\t产出指标\t数量指标\t甲\t1次\t1次\n\t\t\t乙\t\t\n", "utf-8")
    result = runner.invoke(app, ["template", "--rules", "2022", "--targets", str(table)])
    assert result.exit_code == 1 and "申报表.txt:7: the target '乙' has no 年度指标值" in result.stderr, (
        result.output
    )
    table.write_text(above + HEADER + "\t产出指标\t数量指标\t甲\t1次\t1次\n", "utf-8")
    assert _declared(table) == [("数量指标", "甲", "1次")]
