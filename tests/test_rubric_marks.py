"""A provisional rubric (its sources not recorded), or an earlier year's rubric scoring a later department, is
said in every output: the terminal, JSON, the 自评表 (title and foot), the 自评报告, explain, and every batch
summary. Run as users run `score`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from cli import app

from .conftest import EXAMPLES

runner = CliRunner()
LINE = "provisional rubric: guangzhou-huangpu-bumen/2023 has no recorded sources yet"
EARLIER = "scored under 2022's rubric (guangzhou-huangpu-bumen/2022): 2023 has no released rubric"


def score(*args: str) -> tuple[str, str]:
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


@pytest.fixture
def provisional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 2023 department, and the 2023 rubric written by `score rules new` (provisional)."""
    monkeypatch.chdir(tmp_path)
    runner.invoke(
        app, ["rules", "new", "guangzhou-huangpu-bumen/2023", "--from", "guangzhou-huangpu-bumen/2022"]
    )
    text = (
        (EXAMPLES / "2022-zhengwu-fuwu.yaml")
        .read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2023", 1)
    )
    (tmp_path / "depts").mkdir()
    (tmp_path / "depts" / "a.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "depts" / "a.yaml"


RULES = ("--rules", "guangzhou-huangpu-bumen/2023")


def test_the_terminal_json_markdown_and_explain_say_it(provisional: Path) -> None:
    out, _ = score("run", str(provisional), *RULES)
    assert "(provisional rubric)" in out and LINE in out
    out, _ = score("run", str(provisional), *RULES, "-f", "json")
    assert json.loads(out)["rules"]["provisional"] is True
    out, _ = score("run", str(provisional), *RULES, "-f", "markdown")
    assert "(provisional rubric)" in out.splitlines()[0] and LINE in out
    out, _ = score("explain", str(provisional), *RULES)
    assert out.startswith(LINE)


def test_the_official_table_says_it_in_its_title_and_at_its_foot(provisional: Path, tmp_path: Path) -> None:
    _, err = score("run", str(provisional), *RULES, "-o", str(tmp_path / "t.xlsx"))
    assert LINE in err  # with -o the terminal still says it
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "(provisional rubric)" in cells[0]
    assert LINE in cells[-1]


def test_the_report_says_it_under_its_title(provisional: Path, tmp_path: Path) -> None:
    score("report", str(provisional), *RULES, "-o", str(tmp_path / "r.docx"))
    paragraphs = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    assert any(LINE in paragraph for paragraph in paragraphs[:3])
    out, _ = score("report", str(provisional), *RULES, "-f", "markdown")
    assert LINE in out.split("\n## ")[0]


@pytest.mark.parametrize("suffix", ["csv", "txt", "html", "xlsx"])
def test_every_batch_summary_says_it(provisional: Path, tmp_path: Path, suffix: str) -> None:
    text = provisional.read_text(encoding="utf-8").replace("department: ", "department: 另一", 1)
    provisional.with_name("b.yaml").write_text(text, encoding="utf-8")
    target = tmp_path / f"summary.{suffix}"
    score("batch", str(provisional.parent), *RULES, "-o", str(target))
    if suffix == "xlsx":
        book = openpyxl.load_workbook(target)
        text = " ".join(
            str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value
        )
    else:
        text = target.read_text(encoding="utf-8-sig")
    assert LINE in text


def test_an_earlier_years_rubric_is_said_everywhere_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        (EXAMPLES / "2022-zhengwu-fuwu.yaml")
        .read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2023", 1)
    )
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    out, _ = score("run", str(path), "--rules", "2022")
    assert "(under 2022's rubric)" in out and EARLIER in out
    _, err = score("run", str(path), "--rules", "2022", "-o", str(tmp_path / "t.xlsx"))
    assert EARLIER in err
    out, _ = score("batch", str(path), "--rules", "2022", "-f", "csv")
    assert EARLIER in out
    out, _ = score("run", str(path), "--rules", "2022", "-f", "json")
    assert json.loads(out)["rules"]["under_earlier_year"] is True and json.loads(out)["year"] == 2023


def test_an_earlier_department_than_the_rubric_is_still_refused(tmp_path: Path) -> None:
    text = (
        (EXAMPLES / "2022-zhengwu-fuwu.yaml")
        .read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2021", 1)
    )
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), "--rules", "2022", "--lang", "en"])
    assert result.exit_code == 1 and "the inputs are for 2021, but the rules are for 2022" in result.stderr


def test_a_released_rubric_carries_no_mark(tmp_path: Path) -> None:
    out, _ = score("run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"))
    assert "provisional" not in out and "scored under" not in out
    out, _ = score("run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-f", "json")
    rules = json.loads(out)["rules"]
    assert rules["provisional"] is False and rules["under_earlier_year"] is False
    assert rules["id"] == "guangzhou-huangpu-bumen" and rules["year"] == "2022"
    assert (
        rules["digest"] == "sha256:972d389bfdaf409d0c6c6ed9a3d402fd3401e1b593d29a2d27c5c1166ba0802e"
    )  # as before the move


def test_an_audit_under_a_provisional_rubric_says_it(provisional: Path, tmp_path: Path) -> None:
    score("run", str(provisional), *RULES, "-o", str(tmp_path / "t.xlsx"))
    out, _ = score("audit", str(tmp_path / "t.xlsx"), *RULES)
    assert LINE in out
    out, _ = score("audit", str(tmp_path / "t.xlsx"), *RULES, "-f", "json")
    assert '"provisional": true' in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_never_takes_an_earlier_years_rubric_by_default(tmp_path: Path, jobs: str) -> None:
    text = (
        (EXAMPLES / "2022-zhengwu-fuwu.yaml")
        .read_text(encoding="utf-8")
        .replace("year: 2022", "year: 2023", 1)
    )
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "d"), "-j", jobs, "--lang", "en"])
    assert result.exit_code == 1
    assert "a.yaml:4: year: no released rules for the year 2023" in result.stderr
    assert "--rules guangzhou-huangpu-bumen/2022" in result.stderr and "score rules new" in result.stderr
    named = runner.invoke(app, ["batch", str(tmp_path / "d"), "-j", jobs, "--rules", "2022", "--lang", "en"])
    assert named.exit_code == 0 and EARLIER in named.stdout
