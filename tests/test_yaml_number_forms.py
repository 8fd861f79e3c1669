"""YAML 1.1's other ways of writing a number (hexadecimal, octal, binary, digits grouped by `_`, sexagesimal
`1:30`) read as other numbers than a clerk or a maintainer sees: refused at their line, in inputs and rule files
alike, with the hint to write plain decimal digits. Plain numbers read as before."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT, VALID_INPUTS

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
FORMS = ["0x1", "0xB", "0o13", "0b1011", "013", "1_1", "+1_1", "1:30", "1_0.5", "1:30.5", "0x_b"]
HINT = "is not a plain number: YAML reads hexadecimal (0x), octal (0o, a leading 0), binary (0b)"


def _score(*args: str) -> tuple[int, str]:
    done = subprocess.run([*SCORE, *args, "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr


@pytest.mark.parametrize("form", FORMS)
def test_an_inputs_number_in_another_form_is_refused_at_its_line(tmp_path: Path, form: str) -> None:
    path = tmp_path / "dept.yaml"
    path.write_text(VALID_INPUTS.replace("contracts_total: 11", f"contracts_total: {form}"), encoding="utf-8")
    code, err = _score("run", str(path), "--rules", "2022")
    assert code == 1
    assert err.strip() == (
        f"error: {path}:7: [contract_filing_timeliness] contracts_total: '{form}' {HINT}, digits grouped by _ "
        "and times like 1:30 as other numbers than they look: write it as plain decimal digits, such as 10 or 9.88"
    )


@pytest.mark.parametrize("form", ["0xA", "0o12", "1_0", "0:10", "012"])
def test_a_rule_files_number_in_another_form_is_refused_at_its_line(
    rules_copy: Callable[..., Path], form: str
) -> None:
    folder = rules_copy({"indicators/budget_execution.yaml": ("weight: 10", f"weight: {form}")})
    done = subprocess.run([*SCORE, "lint", str(folder), "--lang", "en"], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"budget_execution.yaml:5: [budget_execution] weight: '{form}' {HINT}" in done.stdout


@pytest.mark.parametrize(("written", "total"), [("12", "12"), ("0", "0"), ("1.2e+1", "12"), ('"0x1"', None)])
def test_plain_numbers_and_quoted_text_read_as_before(
    tmp_path: Path, written: str, total: str | None
) -> None:
    path = tmp_path / "dept.yaml"
    text = VALID_INPUTS.replace("contracts_total: 11", f"contracts_total: {written}")
    path.write_text(
        text.replace("contracts_filed_on_time: 9", "contracts_filed_on_time: 0"), encoding="utf-8"
    )
    code, err = _score("run", str(path), "--rules", "2022", "-f", "json")
    if total is None:
        assert code == 1 and "'0x1' is not a number" in err and HINT not in err
    else:
        assert code == 0, err


@pytest.mark.parametrize("form", ["1_0", "9_8.88"])
def test_a_batch_sheets_number_with_underscores_is_not_read_as_another(tmp_path: Path, form: str) -> None:
    import csv

    code, err = _score("template", "--batch", "-o", str(tmp_path / "blank.csv"))
    assert code == 0, err
    labels, keys = list(csv.reader((tmp_path / "blank.csv").read_text(encoding="utf-8-sig").splitlines()))[:2]
    row = {"department": "财政局", "year": "2022", "budget_execution.execution_rate": form}
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([labels, keys, [row.get(key, "") for key in keys]])
    code, err = _score("batch", str(sheet), "-f", "csv")
    assert code == 1
    assert f"sheet.csv:3: [budget_execution] execution_rate: (财政局) '{form}' is not a number" in err


@pytest.mark.parametrize(
    ("key", "written", "whole"), [("units", "1.0e+3", 1000), ("units", "3.0", 3), ("year", "2.022e+3", 2022)]
)
def test_a_whole_number_written_with_a_point_or_an_exponent_is_written_out_whole(
    tmp_path: Path, key: str, written: str, whole: int
) -> None:
    """JSON Schema's integers include 1.0e+3: the department's units and year reach every output as whole numbers."""
    import json

    path = tmp_path / "dept.yaml"
    text = (
        VALID_INPUTS if f"\n{key}:" in VALID_INPUTS else VALID_INPUTS.replace("\nyear:", "\nunits: 1\nyear:")
    )
    lines = [f"{key}: {written}" if line.startswith(f"{key}:") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [*SCORE, "run", str(path), "--rules", "2022", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[key] == whole
