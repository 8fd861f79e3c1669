"""Values named in reasons are shown to the rubric's declared display places, and never as a value they are
not: a rate that is not 0 does not read 0%, one over 20% does not read 20%."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.rounding import Rounding

from .test_kind_categorical import DEPARTMENT, ILLUSTRATIVE

runner = CliRunner()


def _reason(tmp_path: Path, carryover: str, display: str = "") -> tuple[int, list[str], str]:
    folder = tmp_path / "rules"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ILLUSTRATIVE, folder)
    shutil.rmtree(folder / "golden")
    rubric = folder / "rubric.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("mode: half_up}", f"mode: half_up{display}}}", 1), encoding="utf-8")
    department = DEPARTMENT.replace("carryover_amount: 0,", f"carryover_amount: {carryover},")
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(
        department + "  satisfaction: {judgement: {grade: 好, score: 5, reason: 好。}}\n", "utf-8"
    )
    result = runner.invoke(app, ["run", str(inputs), "--rules", str(folder), "-f", "json"])
    if result.exit_code:
        return result.exit_code, [], result.stderr
    row = next(i for i in json.loads(result.stdout)["indicators"] if i["id"] == "carryover_bands")
    return 0, row["reasons"], ""


@pytest.mark.parametrize(
    ("carryover", "reason"),
    [
        (
            "20.00001",
            "结转结余率为≈20%，超过20%，不得分。",
        ),  # 4 places would print 20, inside the band it is not in
        ("20.5", "结转结余率为20.5%，超过20%，不得分。"),  # exact: shown as it is
        ("10.123456", "结转结余率为≈10.1235%，在10%-20%(含)之间，得2分。"),
    ],
)
def test_a_value_shown_rounded_says_so(tmp_path: Path, carryover: str, reason: str) -> None:
    code, reasons, err = _reason(tmp_path, carryover)
    assert code == 0, err
    assert reasons == [reason]


def test_a_declared_display_precision_shows_values_to_its_places(tmp_path: Path) -> None:
    code, reasons, err = _reason(tmp_path, "15.55", ", display: 1")
    assert code == 0, err
    assert reasons == ["结转结余率为≈15.6%，在10%-20%(含)之间，得2分。"]
    code, reasons, _ = _reason(tmp_path, "15.5", ", display: 1")
    assert reasons == ["结转结余率为15.5%，在10%-20%(含)之间，得2分。"]


def test_a_display_precision_out_of_range_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(ILLUSTRATIVE, folder)
    rubric = folder / "rubric.yaml"
    rubric.write_text(
        rubric.read_text("utf-8").replace("mode: half_up}", "mode: half_up, display: 9}"), "utf-8"
    )
    result = runner.invoke(app, ["lint", str(folder), "--lang", "en"])
    assert result.exit_code == 1 and "rubric.yaml:6: rounding.display: must be ≤ 6, got 9" in result.stdout


@pytest.mark.parametrize(
    ("display", "value", "shown"),
    [
        (None, Fraction(1, 300000), "≈0"),  # a rate that is not 0 never reads 0
        (None, Fraction(2, 3), "≈0.6667"),
        (None, Decimal("0.00001"), "0.00001"),  # a value as given is shown as given
        (None, Fraction(0), "0"),
        (2, Decimal("99.996"), "≈100"),  # nor one short of 100 as 100
        (2, Fraction(1, 4), "0.25"),
        (0, Decimal("-0.4"), "≈0"),
    ],
)
def test_show_marks_every_value_it_does_not_show_as_it_is(
    display: int | None, value: Decimal | Fraction, shown: str
) -> None:
    assert Rounding(2, "half_up", display).show(value) == shown
