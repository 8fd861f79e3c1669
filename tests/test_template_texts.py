"""`score template` writes only what reads back: a declared target whose name or value is only control or
invisible characters is refused at its line, and an output named for a format template does not write (a CSV
sheet into `x.yaml`, YAML into `x.csv`) is refused, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
HEADER = "一级指标,二级指标,三级指标,年度指标值\n"


def _score(*args: str, cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        [*SCORE, *args, "--lang", "en"], capture_output=True, text=True, timeout=120, cwd=cwd
    )
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    ("row", "column", "shown"),
    [
        ("产出指标,数量指标,\x7f\x7f,100", "三级指标", "\\x7f\\x7f"),
        ("产出指标,数量指标,\x01\x1b\u2800,100", "三级指标", "\\x01\\x1b\\u2800"),
        ("产出指标,数量指标,办件量,\x7f", "年度指标值", "\\x7f"),
    ],
)
@pytest.mark.parametrize("output", ["t.xlsx", "t.yaml"])
def test_a_declared_target_of_only_control_characters_is_refused_at_its_line(
    tmp_path: Path, row: str, column: str, shown: str, output: str
) -> None:
    (tmp_path / "t.csv").write_text(
        HEADER + "产出指标,数量指标,办件量,≥100件\n" + row + "\n", encoding="utf-8"
    )
    code, err = _score("template", "--targets", "t.csv", "-o", output, cwd=tmp_path)
    assert code == 1 and not (tmp_path / output).exists()
    assert err.strip() == (
        f"error: t.csv:3: the {column} cell holds only control or invisible characters ('{shown}'), which would "
        "not read back: write it out, or leave the row out"
    )


@pytest.mark.parametrize(
    ("args", "known", "suffix"),
    [
        (["--batch", "-o", "x.yaml"], ".csv, .xlsx, .xlsm", ".yaml"),
        (["--batch", "-o", "x.json"], ".csv, .xlsx, .xlsm", ".json"),
        (["-o", "x.csv"], ".yaml, .yml, .xlsx, .xlsm", ".csv"),
        (["-o", "x"], ".yaml, .yml, .xlsx, .xlsm", "''"),
    ],
)
def test_an_output_extension_template_does_not_write_is_refused(
    tmp_path: Path, args: list[str], known: str, suffix: str
) -> None:
    code, err = _score("template", *args, cwd=tmp_path)
    assert code == 1 and list(tmp_path.iterdir()) == []
    assert (
        err.strip()
        == f"error: {args[-1]}: score template writes {known} files, not {suffix}: choose one of those extensions"
    )


@pytest.mark.parametrize("args", [["--batch", "-o", "x.csv"], ["--batch", "-o", "x.xlsx"], ["-o", "x.yml"]])
def test_the_extensions_template_writes_are_written(tmp_path: Path, args: list[str]) -> None:
    code, err = _score("template", *args, cwd=tmp_path)
    assert code == 0 and (tmp_path / args[-1]).stat().st_size > 0, err
