"""Text from a file keeps its place: a line break in a name, reason, key or rule text never starts a new line
where a terminal shows one value a line (it is shown as ⏎), and whatever YAML `score` writes reads back, through
its own reader, as exactly the text it was given."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scorer.render.options import RenderOptions
from scorer.render.table import render as table
from scorer.run import score_file
from scorer.sources.yaml import load_yaml_file, parse_yaml
from scorer.sources.yaml_write import comment, quoted, scalar
from tests.history_agreeing import agree

from .conftest import VALID_INPUTS

runner = CliRunner()
TABLE = Path(__file__).resolve().parent / "fixtures" / "tables" / "000_145fdbc536c66fe0.txt"
BREAK = "\nZQ"  # what follows a line break inside a file's text: never at the start of a line shown

HOSTILE_INPUTS = (
    VALID_INPUTS.replace("department: 测试部门", 'department: "测试\\nZQ部门"')
    + '  pm_system_execution:\n    deductions:\n      - {points: 1, reason: "原因\\r\\nZQ说明", improvement: "改进\\nZQ措施"}\n'
    + '  budget_disclosure:\n    override: {score: 1, reason: "调整\\nZQ理由"}\n'
    + '  output_targets:\n    targets:\n      - {name: "走访\\nZQ次数", target: "≥50次", actual: "60次"}\n'
)


def hostile_rules(rules_copy) -> Path:  # type: ignore[no-untyped-def]
    """Rules whose title, level name, indicator name and reason template hold line breaks."""
    return rules_copy(
        {
            "rubric.yaml": ("title: 部门整体支出绩效自评表", 'title: "部门整体\\nZQ支出绩效自评表"'),
            "indicators/pm_system_execution.yaml": (
                "name: 绩效管理制度执行",
                'name: "绩效管理\\nZQ制度执行"',
            ),
        }
    )


def on_one_line(output: str) -> None:
    assert "⏎ ZQ" in output, output  # shown, and shown where it was written
    broken = [line for line in output.splitlines() if line.lstrip(" │|-").startswith("ZQ")]
    assert broken == [], output


def write_inputs(tmp_path: Path) -> Path:
    path = tmp_path / "dept.yaml"
    path.write_text(HOSTILE_INPUTS, encoding="utf-8")
    return path


def test_the_form_on_a_terminal_keeps_each_text_on_its_lines(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    rules, inputs = hostile_rules(rules_copy), write_inputs(tmp_path)
    for lang in ("zh", "en"):
        done = runner.invoke(app, ["run", str(inputs), "--rules", str(rules), "--lang", lang])
        assert done.exit_code == 0, done.output
        on_one_line(done.stdout)
        assert "测试 ⏎ ZQ部门" in done.stdout and "原因 ⏎ ZQ说明" in done.stdout
    result, _ = score_file(inputs, str(rules))
    for width in (60, 100):  # the grouped list of a narrow terminal
        on_one_line(table(result, RenderOptions("zh", False, width)))


def test_explain_keeps_a_step_a_line(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    done = runner.invoke(
        app, ["explain", str(write_inputs(tmp_path)), "--rules", str(hostile_rules(rules_copy))]
    )
    assert done.exit_code == 0, done.output
    on_one_line(done.stdout)


def test_the_batch_summary_and_the_history_keep_each_text_on_its_line(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    rules, inputs, db = hostile_rules(rules_copy), write_inputs(tmp_path), tmp_path / "h.sqlite"
    assert runner.invoke(app, ["batch", str(inputs), "--rules", str(rules), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as connection:  # last year, one point higher on the renamed indicator
        connection.execute("UPDATE departments SET year = 2021")
        connection.execute(
            "UPDATE indicator_scores SET score = '7' WHERE indicator IN "
            "(SELECT id FROM indicators WHERE indicator = 'pm_system_execution')"
        )
        agree(connection)
    connection.close()
    done = runner.invoke(app, ["batch", str(inputs), "--rules", str(rules), "--db", str(db), "--lang", "zh"])
    assert done.exit_code == 0, done.output
    on_one_line(done.stdout)
    assert "绩效管理 ⏎ ZQ制度执行 7.00→6.00" in done.stdout  # the indicators that moved since last year
    listed = runner.invoke(app, ["history", "--db", str(db)])
    on_one_line(listed.stdout)


def test_diff_and_test_keep_a_line_each(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    rules = hostile_rules(rules_copy)
    inputs = write_inputs(tmp_path)
    refused = tmp_path / "refused.yaml"
    refused.write_text(VALID_INPUTS + '  "budget\\nZQ": {}\n', encoding="utf-8")
    done = runner.invoke(app, ["diff", "2022", str(rules), "--inputs", str(inputs), "--inputs", str(refused)])
    assert done.exit_code == 0, done.output
    on_one_line(done.stdout)
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "case.yaml").write_text(
        'name: "一个\\nZQ案例"\nexpect: {total: 1}\ninputs:\n'
        + "".join(f"  {line}\n" for line in VALID_INPUTS.splitlines()),
        encoding="utf-8",
    )
    done = runner.invoke(app, ["test", str(cases), "--rules", str(rules)])
    assert done.exit_code == 1  # the case expects another total
    on_one_line(done.stdout)


def test_a_key_with_a_line_break_is_one_line_of_an_error(tmp_path: Path) -> None:
    for text in (
        VALID_INPUTS + '  "bad\\nZQkey": {}\n',  # an unknown indicator: in the message and in its place
        VALID_INPUTS + '"top\\nZQkey": 1\n',
        VALID_INPUTS.replace(
            "    execution_rate: 98.88", '    "execution\\nZQrate": 98.88\n    execution_rate: 1'
        ),
    ):
        path = tmp_path / "dept.yaml"
        path.write_text(text, encoding="utf-8")
        done = runner.invoke(app, ["run", str(path), "--rules", "2022"])
        assert done.exit_code == 1
        assert done.stderr.count("\n") == 1 and "⏎ ZQ" in done.stderr, done.stderr


def test_a_lint_problem_quoting_a_key_is_one_line(rules_copy) -> None:  # type: ignore[no-untyped-def]
    folder = rules_copy({"indicators/pm_system_execution.yaml": ("weight: 7", 'weight: 7\n"odd\\nZQkey": 1')})
    done = runner.invoke(app, ["lint", str(folder)])
    assert done.exit_code == 1
    on_one_line(done.stdout)


# ---- YAML written by score reads back as written ----

AWKWARD = [
    "删\x7f除",  # DEL
    "下\x85一行",  # NEL
    "行\u2028分隔",
    "段\u2029分隔",
    "\ufeff开头",
    "  前导空格",
    '引"号\\',
    "# 不是注释",
    "键: 值",
    "- 列表",
    "yes",
    "1.5",
    "C1\x9b控制",
    "非字符\ufffe",
    "表情😀",
]


def test_a_template_reads_back_every_declared_target_as_written(tmp_path: Path) -> None:
    rows = [f"数量指标\t{name}\t≥{i}次" for i, name in enumerate(AWKWARD, start=1)]
    table = tmp_path / "declared.tsv"
    table.write_text("二级指标\t三级指标\t年度指标值\n" + "\n".join(rows) + "\n", encoding="utf-8")
    written = tmp_path / "inputs.yaml"
    done = runner.invoke(app, ["template", "--targets", str(table), "-o", str(written)])
    assert done.exit_code == 0, done.output
    targets = load_yaml_file(written).data["indicators"]["output_targets"]["targets"]
    assert [t["name"] for t in targets] == [name.strip() for name in AWKWARD]  # a cell is read stripped
    assert [t["target"] for t in targets] == [f"≥{i}次" for i in range(1, len(AWKWARD) + 1)]


def test_a_template_of_rules_whose_texts_hold_line_breaks_reads_back(tmp_path: Path, rules_copy) -> None:  # type: ignore[no-untyped-def]
    plain = runner.invoke(app, ["template", "--rules", str(rules_copy(name="plain"))]).stdout
    odd = rules_copy(
        {
            "rubric.yaml": ("title: 部门整体支出绩效自评表", 'title: "部门\\nindicators: {}\\n# \\x7f"'),
            "indicators/pm_system_execution.yaml": (
                "name: 绩效管理制度执行",
                'name: "绩效\\u2028管理\\x85执行"',
            ),
        },
        name="odd",
    )
    done = runner.invoke(app, ["template", "--rules", str(odd)])
    assert done.exit_code == 0, done.output
    assert parse_yaml(done.stdout, "template").data == parse_yaml(plain, "template").data


def test_the_inputs_an_audited_table_states_read_back_as_the_table_says(tmp_path: Path) -> None:
    name = "广州开发区穗港智造合作区管理委员会"
    table = tmp_path / "表\x7f格.txt"
    table.write_text(
        TABLE.read_text(encoding="utf-8").replace(name, "委员会\x7f\u2028\x85\ufeff"), encoding="utf-8"
    )
    written = tmp_path / "o.yaml"
    done = runner.invoke(app, ["audit", str(table), "--to-inputs", str(written)])
    assert written.exists(), done.output
    assert load_yaml_file(written).data["department"] == "委员会\x7f\u2028\x85\ufeff"


@given(st.text())
def test_any_text_written_as_a_scalar_reads_back(text: str) -> None:
    assert parse_yaml(f"key: {quoted(text)}\n", "written").data == {"key": text}
    assert parse_yaml(f"key: {scalar(text)}\n", "written").data == {"key": text}
    assert parse_yaml(f"- {scalar(text)}\n", "written").data == [text]


@given(st.text())
def test_any_text_written_as_a_comment_stays_a_comment(text: str) -> None:
    assert parse_yaml(f"# {comment(text)}\nkey: 1  # {comment(text)}\n", "written").data == {"key": 1}
