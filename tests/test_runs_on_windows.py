"""Nothing on the path of `template`, `run`, `report` and `audit` assumes a POSIX system. Where Windows is not at
hand, its differences are simulated: the flags and calls it lacks removed, the flag it needs recorded, and the
refusal to replace a file another program holds open raised as Windows raises it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.rules import cache

from .conftest import EXAMPLES, ROOT, VALID_INPUTS

runner = CliRunner()
EXAMPLE = EXAMPLES / "2022-zhengwu-fuwu.yaml"
TABLE = Path(__file__).parent / "fixtures" / "tables" / "003_0ab128b708fd7b30.txt"
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
FAKE_BINARY = 1 << 30  # a bit no system uses: stands for Windows' O_BINARY, taken off before the real open


def _commands(tmp_path: Path) -> list[list[str]]:
    return [
        ["template", "--rules", "2022", "--from", str(EXAMPLE), "-o", str(tmp_path / "自评输入.xlsx")],
        ["run", str(EXAMPLE), "-o", str(tmp_path / "自评表.xlsx")],
        ["run", str(tmp_path / "自评输入.xlsx"), "-o", str(tmp_path / "由工作簿.xlsx")],
        ["report", str(EXAMPLE), "-o", str(tmp_path / "自评报告.docx")],
        ["audit", str(TABLE), "--to-inputs", str(tmp_path / "复核.yaml")],
    ]


def _each_command_works(tmp_path: Path) -> None:
    for command in _commands(tmp_path):
        result = runner.invoke(app, [*command, "--lang", "zh"])
        assert result.exit_code == 0, (command, result.output)
    for name in ("自评输入.xlsx", "自评表.xlsx", "由工作簿.xlsx", "自评报告.docx"):
        assert zipfile.ZipFile(tmp_path / name).testzip() is None  # whole, byte for byte
    assert not list(tmp_path.glob(".score-*"))


def test_the_commands_work_without_the_posix_only_flags_and_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_NOFOLLOW", "fchmod", "getuid"):
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.setattr(
        cache, "_SUPPORTED", False
    )  # what the rules cache finds on such a system when imported
    _each_command_works(tmp_path)


def test_every_file_read_or_written_is_opened_in_binary_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a descriptor opened without O_BINARY turns CRLF into LF and stops at 0x1A: a workbook read or
    written that way is damaged."""
    opened: list[tuple[str, int]] = []
    real_open: Callable[..., int] = os.open

    def recording_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        opened.append((str(path), flags))
        return real_open(path, flags & ~FAKE_BINARY, *args, **kwargs)

    monkeypatch.setenv("SCORE_NO_CACHE", "1")  # the rules cache is off where O_NOFOLLOW is missing (Windows)
    monkeypatch.setattr(os, "O_BINARY", FAKE_BINARY, raising=False)
    monkeypatch.setattr(os, "open", recording_open)
    _each_command_works(tmp_path)
    ours = (
        str(tmp_path),
        str(EXAMPLES),
        str(TABLE),
    )  # openpyxl's scratch files are tempfile's (O_BINARY there)
    files = [(path, flags) for path, flags in opened if path.startswith(ours) and not Path(path).is_dir()]
    assert any(path.endswith("自评输入.xlsx") for path, _ in files)  # read back by `run`
    assert any(".score-" in path for path, _ in files)  # written
    assert [path for path, flags in files if not flags & FAKE_BINARY] == []


def _held_open(times: int) -> Callable[..., None]:
    """os.replace as Windows answers while another program (Excel) holds the target open, `times` times."""
    real_replace = os.replace
    left = [times]

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if left[0] > 0 and not kwargs and Path(target).exists():
            left[0] -= 1
            error = PermissionError(13, "The process cannot access the file because it is being used")
            error.winerror = 32  # type: ignore[attr-defined]
            raise error
        real_replace(source, target, **kwargs)

    return replace


def test_a_file_held_open_a_moment_is_replaced_once_it_is_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "自评表.xlsx"
    out.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", _held_open(2))  # a virus scanner, for a moment
    result = runner.invoke(app, ["run", str(EXAMPLE), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out) and not list(tmp_path.glob(".score-*"))


def test_a_file_open_in_excel_is_told_and_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "自评表.xlsx"
    out.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", _held_open(100))
    result = runner.invoke(app, ["run", str(EXAMPLE), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 1, result.output
    assert "自评表.xlsx" in result.stderr and "正被其他程序（如 Excel 或 WPS）打开" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"old" and not list(tmp_path.glob(".score-*"))


def test_output_redirected_in_chinese_windows_code_page_shows_every_sign(tmp_path: Path) -> None:
    """Redirected on a Chinese Windows, standard output is code page 936 (GBK): Chinese, but no ✓ or ⏎. Those
    few signs are escaped, visibly; the table is not refused for them."""
    inputs = tmp_path / "dept.yaml"
    inputs.write_text(
        VALID_INPUTS
        + '  asset_inventory:\n    deductions:\n      - {points: 0.5, reason: "未盘点✓\\n另一行"}\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [*SCORE, "run", str(inputs), "--lang", "zh"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert "资产盘点情况：失 0.5 分（未盘点\\u2713 \\u23ce 另一行）" in done.stdout.decode("gbk")
    ascii_only = subprocess.run(
        [*SCORE, "run", str(inputs)], capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}
    )
    assert (
        ascii_only.returncode == 1 and b"PYTHONIOENCODING" in ascii_only.stderr
    )  # no Chinese: told, as before
