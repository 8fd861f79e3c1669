"""Where a batch's departments come from: JSON Lines, CSV and XLSX sheets (from `score template --batch`), globs;
each refusal located at its line, row or cell, and one broken department never stopping the others."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer import i18n
from scorer.batch.run import jsonl_to_jsonl
from scorer.batch.sources import expand
from scorer.batch.stream import Refused, Scored, score_stream
from scorer.rules.model import RuleSet
from scorer.run import score_file
from tests.conftest import VALID_INPUTS

runner = CliRunner()
VALID = {
    "department": "测试部门",
    "year": 2022,
    "indicators": {
        "budget_execution": {"execution_rate": 98.88},
        "contract_filing_timeliness": {"contracts_total": 11, "contracts_filed_on_time": 9},
        "procurement_policy_effect": {"sme_suitable_budget": 10, "sme_awarded_amount": 9},
    },
}


YAML_OF_ROW = """department: 甲局
year: 2022
indicators:
  budget_execution: {execution_rate: 96.5}
  contract_filing_timeliness: {contracts_total: 12, contracts_filed_on_time: 11}
  procurement_policy_effect: {sme_suitable_budget: 200, sme_awarded_amount: 180}
  asset_allocation_compliance: {override: {score: 1, reason: 配置资产超出现有编制数。}}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files are named as the user typed them: relative to the working folder


def outcomes(paths: list[Path], rules: RuleSet) -> list[Scored | Refused]:
    return list(score_stream(expand(paths, rules), rules))


def test_json_lines_refuse_a_bad_line_and_score_the_rest(tmp_path: Path, rules_2022: RuleSet) -> None:
    lines = [json.dumps(VALID, ensure_ascii=False), "", '{"department": "x", "department": "y"}', "{not json",
             '{"department": "z", "year": 2022, "indicators": {"budget_execution": {"execution_rate": NaN}}}',
             json.dumps({**VALID, "department": "第二个部门"}, ensure_ascii=False)]  # fmt: skip
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = outcomes([path], rules_2022)
    assert [type(o).__name__ for o in found] == ["Scored", "Refused", "Refused", "Refused", "Scored"]
    refused = [str(o.problems[0]) for o in found if isinstance(o, Refused)]
    assert refused[0].startswith("d.jsonl:3:") and "'department' appears twice" in refused[0]
    assert refused[1].startswith("d.jsonl:4:") and "JSON syntax error" in refused[1]
    assert refused[2].startswith("d.jsonl:5:")
    scored = [o.result for o in found if isinstance(o, Scored)]
    (tmp_path / "same.yaml").write_text(VALID_INPUTS, encoding="utf-8")  # the same department as a YAML file
    expected = score_file(tmp_path / "same.yaml", "2022")[0].total
    assert [r.total for r in scored] == [expected, expected]


def test_json_lines_refuse_an_unpaired_surrogate_escape_and_write_the_rest(rules_2022: RuleSet) -> None:
    """JSON may escape half of a UTF-16 pair alone; no file can hold what it reads as. Its line is refused at its
    number (as the YAML reader refuses the escape), a pair is one character, and the others are written."""
    plain = json.dumps(VALID, ensure_ascii=False)
    lines = [
        plain,
        plain.replace("测试部门", "测试\\ud800部门"),  # a high half alone
        json.dumps({**VALID, "indicators": {**VALID["indicators"], "ex_ante_evaluation": {
            "deductions": [{"points": 1, "reason": "未评估\udfff"}]}}}),  # a low half alone, all escaped
        plain.replace("测试部门", "\\ud83d\\ude00部门"),  # a pair: 😀
        json.dumps({**VALID, "department": "全部转义的部门"}),  # every CJK character escaped, no surrogate
    ]  # fmt: skip
    out = io.StringIO()
    refused = jsonl_to_jsonl(lines, out, rules_2022, lang="en", display="d.jsonl")
    assert [(r.source.where, str(r.problems[0])) for r in refused] == [
        (2, "d.jsonl:2: a text holds an unpaired \\u escape (\\ud800), which stands for no character: check "
            "the program that wrote the file"),
        (3, "d.jsonl:3: a text holds an unpaired \\u escape (\\udfff), which stands for no character: check "
            "the program that wrote the file"),
    ]  # fmt: skip
    written = [json.loads(line)["department"] for line in out.getvalue().splitlines()]
    assert written == ["测试部门", "😀部门", "全部转义的部门"]
    out.getvalue().encode("utf-8")  # every line can be saved


def test_jsonl_to_jsonl_keeps_the_order_and_returns_the_refused(rules_2022: RuleSet) -> None:
    lines = [json.dumps({**VALID, "department": f"部门{n}"}, ensure_ascii=False) for n in range(5)]
    lines.insert(2, "[]")
    out = io.StringIO()
    refused = jsonl_to_jsonl(lines, out, rules_2022, lang="en")
    assert [json.loads(line)["department"] for line in out.getvalue().splitlines()] == [
        f"部门{n}" for n in range(5)
    ]
    assert [o.source.where for o in refused] == [3]


def test_csv_rows_are_located_by_row_and_an_unknown_column_is_named(
    tmp_path: Path, rules_2022: RuleSet
) -> None:
    header = "department,year,budget_execution.execution_rate,contract_filing_timeliness.contracts_total,"
    header += (
        "contract_filing_timeliness.contracts_filed_on_time,procurement_policy_effect.sme_suitable_budget,"
    )
    header += "procurement_policy_effect.sme_awarded_amount,pm_system_execution.deduction,pm_system_execution.reason"
    rows = ["甲局,2022,98.88%,11,9,10,9,1,未组织下属单位自评", "乙局,2022,很高,11,9,10,9,,", "丙局,2022,95,11,12,10,9,,",
            ",,,,,,,,", "丁局,2022,95,11,9,10,9,1,"]  # fmt: skip
    path = tmp_path / "d.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    found = outcomes([path], rules_2022)
    assert [type(o).__name__ for o in found] == ["Scored", "Refused", "Refused", "Refused"]
    first = found[0]
    assert isinstance(first, Scored)
    assert [str(i.score) for i in first.result.indicators if i.id == "pm_system_execution"] == ["6"]
    messages = [str(p) for o in found if isinstance(o, Refused) for p in o.problems]
    assert messages[0].startswith("d.csv:3: [budget_execution] execution_rate:")
    assert messages[1].startswith("d.csv:4: [contract_filing_timeliness] contracts_filed_on_time:")
    assert messages[2].startswith("d.csv:6: [pm_system_execution] deductions[0].reason:")
    path.write_text("department,year,budget_execution.execution_rat\n甲局,2022,98\n", encoding="utf-8")
    (refused,) = outcomes([path], rules_2022)
    assert isinstance(refused, Refused)
    assert "budget_execution.execution_rate" in str(refused.problems[0])  # did you mean


def test_a_gbk_csv_from_excel_on_chinese_windows_is_read(tmp_path: Path, rules_2022: RuleSet) -> None:
    path = tmp_path / "d.csv"
    text = "department,year,budget_execution.execution_rate,contract_filing_timeliness.contracts_total,"
    text += (
        "contract_filing_timeliness.contracts_filed_on_time,procurement_policy_effect.sme_suitable_budget,"
    )
    text += "procurement_policy_effect.sme_awarded_amount\n某某局,2022,98.88,11,9,10,9\n"
    path.write_bytes(text.encode("gb18030"))
    (found,) = outcomes([path], rules_2022)
    assert isinstance(found, Scored) and found.result.department == "某某局"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_batch_template_is_filled_and_scored(tmp_path: Path, rules_2022: RuleSet, suffix: str) -> None:
    target = tmp_path / f"批量{suffix}"
    done = runner.invoke(app, ["template", "--batch", "--lang", "zh", "-o", str(target)])
    assert done.exit_code == 0, done.output
    values = {"department": "甲局", "year": 2022, "budget_execution.execution_rate": 96.5,
              "contract_filing_timeliness.contracts_total": 12, "contract_filing_timeliness.contracts_filed_on_time": 11,
              "procurement_policy_effect.sme_suitable_budget": 200, "procurement_policy_effect.sme_awarded_amount": 180,
              "asset_allocation_compliance.override": 1, "asset_allocation_compliance.reason": "配置资产超出现有编制数。"}  # fmt: skip
    if suffix == ".csv":
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        labels, keys = [line.split(",") for line in raw.decode("utf-8-sig").splitlines()]
        assert labels[0] == "部门名称" and keys[0] == "department"
        row = [str(values.get(key, "")) for key in keys]
        target.write_text(raw.decode("utf-8-sig") + ",".join(row) + "\r\n", encoding="utf-8-sig")
        where = "批量.csv:3"
    else:
        from openpyxl import load_workbook

        book = load_workbook(target)
        sheet = book["部门"]
        keys = [cell.value for cell in sheet[2]]
        assert sheet.cell(row=1, column=1).value == "部门名称"
        assert sheet.data_validations.dataValidation  # Excel's own checks on the number columns
        for column, key in enumerate(keys, start=1):
            if key in values:
                sheet.cell(row=3, column=column, value=values[key])
        book.save(target)
        where = "批量.xlsx:部门!A3"
    (found,) = outcomes([target], rules_2022)
    assert isinstance(found, Scored), found
    result = found.result
    assert found.source.place.endswith(where)
    assert [i.overridden for i in result.indicators if i.id == "asset_allocation_compliance"] == [True]
    same = tmp_path / "same.yaml"  # the same department as a YAML inputs file
    same.write_text(YAML_OF_ROW, encoding="utf-8")
    expected = score_file(same, "2022")[0]
    assert [(i.id, i.score) for i in result.indicators] == [(i.id, i.score) for i in expected.indicators]
    assert result.total == expected.total


def test_a_glob_that_matches_nothing_is_noted_and_a_missing_file_refused_by_the_library(
    tmp_path: Path, rules_2022: RuleSet
) -> None:
    (tmp_path / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    empty: list[str] = []
    paths = [tmp_path / "*.yaml", tmp_path / "nothing-*.yaml", tmp_path / "empty", tmp_path / "gone.yaml"]
    found = list(score_stream(expand(paths, rules_2022, empty=empty), rules_2022))
    assert [type(o).__name__ for o in found] == ["Scored", "Refused"]
    assert "not found" in str(found[1].problems[0]).lower()  # type: ignore[union-attr]
    assert empty == [str(tmp_path / "nothing-*.yaml"), "empty"]


def test_the_command_says_a_missing_path_before_any_work_and_warns_of_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    code, out = _batch("a.yaml", "gone.yaml", "-o", "s.html")
    assert code == 1 and "gone.yaml: no such file or folder" in out and "refused" not in out
    assert not (tmp_path / "s.html").exists()
    code, out = _batch("a.yaml", "nothing-*.yaml", "-o", "s.html")
    assert code == 1 and "warning: nothing-*.yaml: no input found" in out
    assert (tmp_path / "s.html").exists()
    code, out = _batch("empty", "-o", "e.html", "-o", "e.jsonl")
    assert code == 1 and "warning: empty: no input found" in out and "no input found at all" in out
    assert not (tmp_path / "e.html").exists() and not (tmp_path / "e.jsonl").exists()


def test_a_folder_is_searched_recursively_and_lists_hidden_and_lock_files_unread(
    tmp_path: Path, rules_2022: RuleSet
) -> None:
    for name in ("b/1.yaml", "b/c/2.yml", ".hidden/3.yaml", "b/~$4.xlsx", "b/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(VALID_INPUTS, encoding="utf-8")
    sources = list(expand([tmp_path], rules_2022))
    assert [(Path(s.display).name, s.kind) for s in sources] == [
        (".hidden", "other"), ("1.yaml", "file"), ("2.yml", "file"), ("notes.txt", "table"), ("~$4.xlsx", "other")
    ]  # fmt: skip


def test_text_from_files_is_escaped_in_the_html(tmp_path: Path) -> None:
    hostile = {**VALID, "department": '</script><script>alert("x")</script><img src=x>'}
    (tmp_path / "d.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    done = runner.invoke(app, ["batch", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "r.html")])
    assert done.exit_code == 0, done.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in html
    data = html.split('id="batch-data">')[1].split("</script>")[0]
    assert json.loads(data)["ranking"][0]["department"] == hostile["department"]


def test_a_csv_cell_that_excel_would_run_is_kept_as_text(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text(
        json.dumps({**VALID, "department": "=HYPERLINK(1)"}) + "\n", encoding="utf-8"
    )
    done = runner.invoke(app, ["batch", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "r.csv")])
    assert done.exit_code == 0, done.output
    assert "'=HYPERLINK(1)" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_an_xlsx_to_the_terminal_is_refused_before_any_work(tmp_path: Path) -> None:
    done = runner.invoke(app, ["batch", str(tmp_path), "-f", "xlsx"])
    assert done.exit_code == 1


SHEET_HEAD = (
    "department,year,budget_execution.execution_rate,contract_filing_timeliness.contracts_total,"
    "contract_filing_timeliness.contracts_filed_on_time,procurement_policy_effect.sme_suitable_budget,"
    "procurement_policy_effect.sme_awarded_amount,pm_system_execution.deduction,pm_system_execution.reason\n"
)
SHEET_ROWS = "某某局,2022,98.88,11,9,10,9,,\n另一局,2022,97,10,10,10,10,0.5,个别项目未按规定履行程序。\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_a_csv_in_any_encoding_excel_saves_is_read(tmp_path: Path, rules_2022: RuleSet, codec: str) -> None:
    path = tmp_path / "d.csv"
    raw = (SHEET_HEAD + SHEET_ROWS).encode(codec)
    if (
        codec == "utf-16-be"
    ):  # Python's codec writes no mark for the explicit byte order: give one as Excel does
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    found = outcomes([path], rules_2022)
    assert [o.result.department for o in found if isinstance(o, Scored)] == ["某某局", "另一局"], found


def _batch(*args: str) -> tuple[int, str]:
    done = runner.invoke(app, ["batch", *args, "--rules", "2022", "--lang", "en"])
    return done.exit_code, done.output


def test_an_unreadable_csv_is_one_refusal_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(SHEET_HEAD + SHEET_ROWS, encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((SHEET_HEAD + "Café é,2022,98,11,9,10,9,,\n").encode("latin-1"))
    stray = tmp_path / "stray.csv"  # UTF-8 with one byte broken on the third line
    stray.write_bytes(
        (SHEET_HEAD + SHEET_ROWS).encode("utf-8").replace("另一局".encode(), b"\xe5\x8f\xff\xe5\xb1\x80")
    )
    for broken, line, words in ((latin, 2, "neither UTF-8 nor GB18030"), (stray, 3, "not valid UTF-8")):
        code, out = _batch(str(broken), str(good))
        assert code == 1 and "internal error" not in out.lower(), out
        assert f"{broken.name}:{line}: " in out and words in out
        assert "1 departments refused (2 scored" in out


def test_big5_is_refused_rather_than_read_as_garbled_gbk(tmp_path: Path, rules_2022: RuleSet) -> None:
    path = tmp_path / "big5.csv"
    rows = "臺北市政府財政局,2022,98.88,11,9,10,9,0.5,個別採購項目未按規定履行程序，導致績效降低。\n"
    path.write_bytes((SHEET_HEAD + rows).encode("big5"))
    assert (SHEET_HEAD + rows).encode("big5").decode("gb18030")  # the bytes read as GB text without an error
    (found,) = outcomes([path], rules_2022)
    assert isinstance(found, Refused) and "Big5" in str(found.problems[0])
    simplified = tmp_path / "gbk.csv"  # simplified Chinese in GBK that happens to be valid Big5 is still read
    simplified.write_bytes((SHEET_HEAD + SHEET_ROWS).encode("gbk"))
    (SHEET_HEAD + SHEET_ROWS).encode("gbk").decode("big5")
    assert all(isinstance(o, Scored) for o in outcomes([simplified], rules_2022))


def test_a_utf16_json_lines_file_is_one_refusal(tmp_path: Path, rules_2022: RuleSet) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes((json.dumps(VALID, ensure_ascii=False) + "\n").encode("utf-16"))
    (found,) = outcomes([path], rules_2022)
    assert isinstance(found, Refused) and "UTF-16" in str(found.problems[0])


def test_a_blank_cell_of_a_batch_workbook_is_named_by_its_column_and_department(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "批量.xlsx"
    assert runner.invoke(app, ["template", "--batch", "--lang", "zh", "-o", str(target)]).exit_code == 0
    book = load_workbook(target)
    sheet = book["部门"]
    keys = [cell.value for cell in sheet[2]]
    values = {"department": "甲局", "year": 2022, "contract_filing_timeliness.contracts_total": 12,
              "contract_filing_timeliness.contracts_filed_on_time": 11,
              "procurement_policy_effect.sme_suitable_budget": 200, "procurement_policy_effect.sme_awarded_amount": 180,
              "budget_execution.improvement": "加快支出进度", "pm_system_execution.reason": "未按制度执行"}  # fmt: skip
    for column, key in enumerate(keys, start=1):
        if key in values:
            sheet.cell(row=3, column=column, value=values[key])
    book.save(target)
    blank = "部门!" + sheet.cell(row=3, column=keys.index("budget_execution.execution_rate") + 1).coordinate
    points = "部门!" + sheet.cell(row=3, column=keys.index("pm_system_execution.deduction") + 1).coordinate
    code, out = _batch(str(target.name))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(lines) == 2, out
    missing = next(line for line in lines if "budget_execution.execution_rate" in line)
    assert missing.startswith(
        f"error: 批量.xlsx:{blank}: [部门预算资金支出率] budget_execution.execution_rate: (甲局) "
    )
    assert "budget_execution.override" in missing and "budget_execution.reason" in missing
    assert (
        "indicators" not in missing and "override with" not in missing
    )  # the sheet's columns, not YAML keys
    incomplete = next(line for line in lines if "pm_system_execution" in line)
    assert f"批量.xlsx:{points}: " in incomplete and "pm_system_execution.deduction" in incomplete


def test_a_json_syntax_error_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    from scorer.errors import UserError
    from scorer.sources.jsonl import parse_line

    for text, words in (
        ('{department: "x"}', "键名"),
        ('{"department": "x"} 1', "多余内容"),
        ('{"a": }', "应有一个值"),
    ):
        try:
            i18n.set_language("zh")
            parse_line(text, "d.jsonl", 3)
        except UserError as exc:
            assert "d.jsonl:3: JSON 语法错误：" in str(exc) and words in str(exc), str(exc)
        else:
            raise AssertionError(text)
        finally:
            i18n.set_language(None)
