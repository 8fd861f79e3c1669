"""`score template` for a draft rules folder gives a command that works and labels inputs by when they are asked
for; `score diff` shows a changed 指标解释 or English name; English says "1 point"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.i18n import speaking, t
from tests.test_kinds import ILLUSTRATIVE

runner = CliRunner()


def _draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: dict[str, tuple[str, str]] | None = None
) -> str:
    folder = tmp_path / "rules" / "draft"
    shutil.copytree(ILLUSTRATIVE, folder)
    for indicator, (old, new) in (edits or {}).items():
        path = folder / "indicators" / f"{indicator}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "rules/draft"


def test_the_headers_command_works_for_a_draft_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _draft(tmp_path, monkeypatch)
    result = runner.invoke(app, ["template", "--rules", rules])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "score schema" in x)
    command = line[line.index("score schema") :].split(",")[0].split()[1:]
    assert command[:3] == ["schema", "--rules", rules]
    ran = runner.invoke(app, command)  # the hinted command, run as written
    assert ran.exit_code == 0, ran.output + ran.stderr
    assert Path(command[command.index("-o") + 1]).is_file()


def test_inputs_are_labelled_by_when_they_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _draft(
        tmp_path,
        monkeypatch,
        {"execution_bands": ("{type: percent, min: 0, max: 100, label: 预算执行率", "{type: percent, min: 0, max: 100, optional: true, label: 预算执行率")},
    )  # fmt: skip
    text = runner.invoke(app, ["template", "--rules", rules]).output
    lines = text.splitlines()
    rate = next(x for x in lines if "execution_rate:" in x)
    assert rate.startswith("    execution_rate:") and "fill in" in rate and "optional" not in rate
    total = next(x for x in lines if "targets_total:" in x)
    assert "needed unless 'not targets_set' holds" in total
    project = next(x for x in lines if "project_rate:" in x)
    assert "needed when 'project_budget > 0' holds" in project


def test_only_deductions_rows_are_said_to_score_by_deductions() -> None:
    text = runner.invoke(app, ["template", "--rules", "2022"]).output
    for line in text.splitlines():
        if line.startswith("  # output_targets:") or line.startswith("  # outcome_targets:"):
            assert "deductions" not in line and "targets" in line
    assert any(
        "scored by deductions" in line for line in text.splitlines()
    )  # the deductions rows still say so


def test_diff_shows_a_changed_explanation_and_english_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _draft(
        tmp_path,
        monkeypatch,
        {"execution_bands": ("explanation: 部门预算实际支出与预算数的比率。", "explanation: 部门预算实际支出与预算数之比。\nname_en: Budget execution")},
    )  # fmt: skip
    result = runner.invoke(app, ["diff", str(ILLUSTRATIVE), new, "--inputs", new + "/golden"])
    assert result.exit_code == 0, result.output
    assert (
        "explanation (指标解释): 部门预算实际支出与预算数的比率。 → 部门预算实际支出与预算数之比。"
        in result.output
    )
    assert "English name: none → Budget execution" in result.output


def test_english_says_one_point() -> None:
    with speaking("en"):
        assert t("reason.band", value=95, band="[90, 95)", points=1).endswith(": 1 point.")
        assert t("reason.band", value=95, band="[90, 95)", points=2).endswith(": 2 points.")
        assert t("reason.band", value=95, band="[90, 95)", points=0).endswith(": 0 points.")
    with speaking("zh"):
        assert "1" in t("reason.band", value=95, band="[90, 95)", points=1)
