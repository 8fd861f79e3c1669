"""The command line: one test per exit code, and the contracts users and outside checks rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scorer.run
from cli import app

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
ZHENGWU = str(EXAMPLES / "2022-zhengwu-fuwu.yaml")
SUIGANG = str(EXAMPLES / "2022-suigang-zhizao.yaml")


def test_exit_0_table_mirrors_the_official_form() -> None:
    result = runner.invoke(app, ["run", ZHENGWU, "--rules", "2022", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("一级指标", "二级指标", "三级指标", "得分", "未达标原因", "改进措施"):
        assert header in out
    assert "94.2" in out
    assert "√优 90分≤得分≤100分； □良 80分≤得分<90分； □中 60分≤得分<80分； □差 得分<60分" in out
    assert "主要失分" in out and "已达最高等级：优" in out
    assert "※" in out  # the override is flagged


def test_json_is_contract_3() -> None:
    result = runner.invoke(app, ["run", ZHENGWU, "--rules", "2022", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 94.2 and data["max"] == 100 and data["grade"] == "优"
    assert data["rules"]["year"] == "2022" and data["rules"]["digest"].startswith("sha256:")
    assert data["levels"][0] == {
        "name": "履职效能",
        "weight": 50,
        "score": 46.38,
        "children": [{"name": "整体效能", "weight": 50, "score": 46.38}],
    }
    row = next(i for i in data["indicators"] if i["id"] == "budget_execution")
    assert {k: row[k] for k in ("name", "level1", "level2", "weight", "score", "lost", "overridden")} == {
        "name": "部门预算资金支出率",
        "level1": "履职效能",
        "level2": "整体效能",
        "weight": 10,
        "score": 9.88,
        "lost": 0.12,
        "overridden": False,
    }
    assert '"score": 9.88,' in result.stdout  # printed exactly, never 9.879999


def test_markdown_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "自评表.md"
    result = runner.invoke(
        app, ["run", SUIGANG, "--rules", "2022", "-f", "markdown", "-o", str(target), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "| 一级指标 | 分值 | 二级指标 |" in text
    assert "| **总分** | **100** |  |  |  |  | **98.29** |" in text
    assert result.stdout == ""


def test_rules_default_to_the_inputs_year() -> None:
    result = runner.invoke(app, ["run", SUIGANG, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 98.29


def test_rules_may_be_a_folder() -> None:
    result = runner.invoke(
        app,
        ["run", SUIGANG, "--rules", str(ROOT / "rules" / "guangzhou-huangpu-bumen" / "2022"), "-f", "json"],
    )
    assert result.exit_code == 0, result.output


def test_exit_1_for_a_file_that_does_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "missing.yaml"), "--rules", "2022"])
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'missing.yaml'}: file not found\n"


def test_exit_1_for_a_mistake_in_the_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(SUIGANG).read_text(encoding="utf-8").replace("execution_rate:", "executon_rate:"), "utf-8"
    )
    result = runner.invoke(app, ["run", str(bad), "--rules", "2022"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {bad}:13: [budget_execution] executon_rate: unknown key 'executon_rate' (did you mean 'execution_rate'?)"
    )


def test_exit_1_refuses_to_overwrite_the_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "dept.yaml"
    original = Path(SUIGANG).read_text(encoding="utf-8")
    inputs.write_text(original, encoding="utf-8")
    result = runner.invoke(app, ["run", str(inputs), "-o", str(inputs)])
    assert result.exit_code == 1
    assert "refusing to write over an input file" in result.stderr
    assert inputs.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    "args",
    [["run", SUIGANG, "--rules", "2099"], ["run", SUIGANG, "--format", "pdf"], ["run"], ["frobnicate"]],
)
def test_exit_2_for_wrong_usage(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


def test_exit_3_for_a_bug_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(scorer.run, "score", broken)
    result = runner.invoke(app, ["run", SUIGANG])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output


def test_the_real_command_exits_1_with_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "department: x\nindicators:\n  budget_execution:\n\texecution_rate: 1\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "run", str(broken), "--rules", "2022"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {broken}:4: YAML syntax error")
    assert "use spaces, not tabs" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_command_has_help() -> None:
    for command in app.registered_commands:
        assert command.callback is not None and command.help, command.name


@pytest.mark.parametrize(
    ("command", "fmt", "name"),
    [("run", "json", "x.xlsx"), ("run", "xlsx", "x.json"), ("report", "markdown", "r.docx")],
)
def test_a_format_that_disagrees_with_a_documents_extension_is_refused(
    tmp_path: Path, command: str, fmt: str, name: str
) -> None:
    """JSON written into a .xlsx would be a file Excel refuses to open: the -f and the -o extension must agree
    where either is a binary document, and nothing is written."""
    target = tmp_path / name
    result = runner.invoke(
        app, [command, SUIGANG, "--rules", "2022", "-f", fmt, "-o", str(target), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    assert f"-f {fmt} disagrees with the -o extension {target.suffix}" in result.output
    assert not target.exists()
