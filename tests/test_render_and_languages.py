"""Renderers as plug-ins, the terminal layout at every width, both languages, and what each command imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from cli import app
from scorer.render import RENDERERS, for_output
from scorer.render.options import RenderOptions
from scorer.render.table import render as table
from scorer.rounding import fmt
from scorer.rules.read import load_rules
from scorer.run import score_file

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
ZHENGWU = EXAMPLES / "2022-zhengwu-fuwu.yaml"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 100, 120, 160])
@pytest.mark.parametrize("example", ["2022-zhengwu-fuwu.yaml", "2022-suigang-targets.yaml"])
def test_the_terminal_view_fits_every_width_and_never_splits_a_number(
    example: str, width: int, lang: str
) -> None:
    result, _ = score_file(EXAMPLES / example)
    shown = table(result, RenderOptions(lang, False, width))
    assert max(cell_len(line) for line in shown.splitlines()) <= width
    for level in result.levels:  # every subtotal is shown whole, on one line
        assert re.search(rf"(?<![\d.]){re.escape(fmt(level.score))}(?![\d.])", shown), level.name
    assert re.search(rf"(?<![\d.]){re.escape(fmt(result.total))}(?![\d.])", shown)


def test_the_form_layout_is_kept_where_it_fits_and_a_grouped_list_is_used_where_it_does_not() -> None:
    result, _ = score_file(ZHENGWU)
    assert "┌" in table(result, RenderOptions("zh", False, 160))
    narrow = table(result, RenderOptions("zh", False, 80))
    assert "┌" not in narrow and "    9.88 / 10  部门预算资金支出率" in narrow


@pytest.mark.parametrize(
    ("name", "expected"), [("out.json", "json"), ("out.md", "markdown"), ("out.txt", "table"), ("-", "table")]
)
def test_the_output_extension_picks_the_renderer(name: str, expected: str) -> None:
    assert for_output(Path(name), None).name == expected
    assert for_output(Path(name), "json").name == "json"  # -f wins


def test_an_extension_no_renderer_claims_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "自评表.pdf"
    result = runner.invoke(app, ["run", str(ZHENGWU), "-o", str(target)])
    assert result.exit_code == 1
    known = ", ".join(ext for r in RENDERERS for ext in r.extensions)
    assert result.stderr.strip().endswith(
        f"no output format writes .pdf files (known: {known}); choose another extension or give -f"
    )
    assert not target.exists()


def test_output_by_extension_writes_that_format(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    assert runner.invoke(app, ["run", str(ZHENGWU), "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 94.2


def test_english_and_chinese_from_the_same_result() -> None:
    suigang = EXAMPLES / "2022-suigang-zhizao.yaml"  # its 合同备案时效性 reason is the rule's own wording
    en = json.loads(runner.invoke(app, ["run", str(suigang), "-f", "json", "--lang", "en"]).stdout)
    zh = json.loads(runner.invoke(app, ["run", str(suigang), "-f", "json", "--lang", "zh"]).stdout)
    row = {i["id"]: i for i in en["indicators"]}["contract_filing_timeliness"]
    assert row["reasons"] == [
        "In 2022, 22 contracts were signed, 9 of them filed on time; the share gives 0.41 points."
    ]
    row = {i["id"]: i for i in zh["indicators"]}["contract_filing_timeliness"]
    assert row["reasons"] == ["2022年共签订22份合同，其中9份按要求及时备案，按占比得0.41分。"]
    assert en["total"] == zh["total"] == 98.29 and en["grade"] == zh["grade"] == "优"
    en = json.loads(runner.invoke(app, ["run", str(ZHENGWU), "-f", "json", "--lang", "en"]).stdout)
    # what the department wrote is never translated
    assert {i["id"]: i for i in en["indicators"]}["pm_system_execution"]["reasons"] == [
        "我部门2022年未组织下属事业单位开展整体绩效自评，本项扣1分。"
    ]
    assert en["total"] == 94.2


def _markdown_header(**env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "run", str(ZHENGWU), "-f", "markdown"],
        capture_output=True,
        text=True,
        env={**_clean_env(), **env},
        cwd=ROOT,
        check=True,
    )
    return done.stdout


def test_the_language_comes_from_the_option_then_score_lang_then_the_locale() -> None:
    from scorer import i18n

    assert i18n.choose("en") == "en"
    assert "| 一级指标 |" in _markdown_header(LANG="zh_CN.UTF-8")
    assert "| Level 1 |" in _markdown_header(LANG="en_US.UTF-8")
    assert "| Level 1 |" in _markdown_header(LC_ALL="en_GB.UTF-8", LANG="zh_CN.UTF-8")
    assert "| 一级指标 |" in _markdown_header(LC_MESSAGES="zh_CN.UTF-8", LANG="en_US.UTF-8")
    assert "| Level 1 |" in _markdown_header(SCORE_LANG="en", LANG="zh_CN.UTF-8")


@pytest.mark.parametrize(
    "locale",
    [
        {},
        {"LANG": "C.UTF-8"},
        {"LANG": "C"},
        {"LC_ALL": "POSIX"},
        {"LANG": "de_DE.UTF-8"},
        {"SCORE_LANG": "fr"},
    ],
    ids=["unset-as-on-windows", "C.UTF-8", "C", "POSIX", "another-language", "unknown-SCORE_LANG"],
)
def test_chinese_unless_english_is_asked_for(locale: dict[str, str]) -> None:
    """A clerk's PC sets no locale (Windows sets none of these variables): documents and messages are Chinese."""
    assert "| 一级指标 |" in _markdown_header(**locale)
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "run", "missing.yaml"],
        capture_output=True,
        text=True,
        env={**_clean_env(), **locale},
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stderr
    assert "missing.yaml" in done.stderr
    assert re.search(r"[\u4e00-\u9fff]", done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def _clean_env() -> dict[str, str]:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("SCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    }


def test_every_command_takes_lang_and_has_clean_help() -> None:
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        shown = runner.invoke(app, [name, "--help", "--lang", "en"])
        assert shown.exit_code == 0, name
        assert "--lang" in shown.stdout, name
        assert "<str>" not in shown.stdout and "{" not in shown.stdout.split("\n")[0], name
    # help texts are written before options are parsed, so Chinese help needs its own process
    chinese = subprocess.run(
        [sys.executable, "-m", "scorer", "run", "--help", "--lang", "zh"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    assert chinese.startswith("用法：score run [OPTIONS] INPUTS") and "为一个部门打分" in chinese


def test_python_m_scorer_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and done.stdout.startswith("score ")


def test_json_output_does_not_load_the_terminal_machinery() -> None:
    probe = (
        "import sys, runpy; sys.argv = ['score', 'run', sys.argv[1], '-f', 'json'];"
        "import scorer.__main__ as m\n"
        "try: m.main()\n"
        "except SystemExit: pass\n"
        "loaded = [name for name in sys.modules if name in ('rich.table', 'rich.console', 'jsonschema')]\n"
        "print('LOADED', loaded, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(ZHENGWU)], capture_output=True, text=True, cwd=ROOT
    )
    assert "LOADED []" in done.stderr, done.stderr


def test_usage_errors_are_in_the_chosen_language() -> None:
    """A missing file, a stray argument, an unknown option, a wrong choice: each told in Chinese, exit 2."""
    import subprocess
    import sys

    cases = [
        (["run"], "缺少 'INPUTS'"),
        (["run", "a.yaml", "b"], "多余的参数：b"),
        (["report", "a.yaml", "--forc"], "没有这个选项：--forc（可用的选项：--format）"),
        (["run", "a.yaml", "-f", "foo"], "'foo' 不是可选值之一"),
        (["runn", "a.yaml"], "没有这个命令：'runn'（是否要用 'run'？）"),
        (["rules", "lst"], "没有这个命令：'lst'（是否要用 'list'？）"),
        (["xyzzy"], "没有这个命令：'xyzzy'\n"),
    ]
    for arguments, words in cases:
        proc = subprocess.run(
            [sys.executable, "-m", "scorer", *arguments, "--lang", "zh"], capture_output=True, text=True
        )
        assert proc.returncode == 2 and words in proc.stderr, proc.stderr
        assert "用法：score" in proc.stderr and "Error" not in proc.stderr


def test_a_group_called_with_nothing_shows_its_help_not_an_error() -> None:
    """`score rules` alone shows the group's help, as click does in English, not the help inside "错误："."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANG", "LC_ALL", "LANGUAGE", "LC_MESSAGES", "SCORE_LANG")
    }
    proc = subprocess.run([sys.executable, "-m", "scorer", "rules"], capture_output=True, text=True, env=env)
    assert proc.stderr.startswith("用法：score rules") and "list" in proc.stderr, proc.stderr
    assert "错误" not in proc.stderr and proc.stderr.count("用法：") == 1, proc.stderr


def test_a_row_printed_without_a_name_is_named_as_the_row_it_continues(tmp_path: Path) -> None:
    """The 1.5-point line under 采购意向公开合规性 has no name in the published tables: the form keeps it blank,
    a text that names rows one by one calls it the second line of the row above, never by its id."""
    import openpyxl

    rules = load_rules("2022")
    row = {i.id: i for i in rules.indicators}["procurement_intent_disclosure_2"]
    assert row.name == "" and row.title == "采购意向公开合规性（续）"
    text = runner.invoke(app, ["run", str(ZHENGWU), "--lang", "zh", "-f", "table"]).stdout
    assert "采购意向公开合规性（续）" in text and "procurement_intent_disclosure_2" not in text
    form = tmp_path / "自评表.xlsx"
    assert runner.invoke(app, ["run", str(ZHENGWU), "-o", str(form), "--lang", "zh"]).exit_code == 0
    cells = [c.value for line in openpyxl.load_workbook(form).active.iter_rows() for c in line]
    assert "采购意向公开合规性（续）" not in cells  # the form prints the line as published: without a name


def test_the_forms_goal_labels_have_room_beside_short_texts(tmp_path: Path) -> None:
    """年度整体绩效目标 in its narrow column takes three lines: a row sized for a one-line text alone would clip it."""
    import openpyxl
    import yaml

    data = yaml.safe_load((EXAMPLES / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8"))
    data["profile"] = {"goal": "短。", "achieved": "短。"}
    inputs, form = tmp_path / "short.yaml", tmp_path / "表.xlsx"
    inputs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(app, ["run", str(inputs), "-o", str(form), "--lang", "zh"]).exit_code == 0
    sheet = openpyxl.load_workbook(form).active
    row = next(c.row for line in sheet.iter_rows() for c in line if c.value == "年度整体绩效目标")
    width = sheet.column_dimensions["A"].width
    lines = -(-cell_len("年度整体绩效目标") // int(width - 1))  # as Excel wraps it: CJK characters count two
    assert (sheet.row_dimensions[row].height or 15) >= 13.5 * lines, (lines, sheet.row_dimensions[row].height)
