"""A character drawn as nothing (a zero-width space, a variation selector, a Hangul filler, U+2800) is shown as
its escape in every message, as a control character is: two department names that differ by one never look
alike on a screen or in a summary's list of problems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scorer.escape import one_line, plain, visible
from scorer.invisible import DRAWN_AS_NOTHING

from .conftest import ROOT, VALID_INPUTS

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def _score(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`score` as a clerk runs it: no locale set, so in Chinese."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "SCORE_LANG")}
    return subprocess.run([*SCORE, *args], capture_output=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.parametrize("hidden", ["\u200b", "\u2060", "\ufe0f", "\u3164", "\u2800", "\u00ad"])
def test_a_department_named_twice_with_a_hidden_character_is_told_apart(tmp_path: Path, hidden: str) -> None:
    (tmp_path / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID_INPUTS.replace("测试部门", f"测试{hidden}部门"), encoding="utf-8")
    done = _score(
        "batch", "a.yaml", "b.yaml", "--rules", "2022", "-o", "out.jsonl", "-o", "s.txt", cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr.decode()
    escape = one_line(hidden).encode()
    assert escape.startswith(b"\\") and hidden.encode() not in done.stderr
    assert b"b.yaml" in done.stderr and b"\xe6\xb5\x8b\xe8\xaf\x95" + escape in done.stderr  # 测试\u200b…
    summary = (tmp_path / "s.txt").read_bytes()  # the summary's list of refused departments says so too
    assert escape in summary and hidden.encode() not in summary


def test_a_key_with_a_zero_width_space_is_shown_with_it(tmp_path: Path) -> None:
    text = VALID_INPUTS.replace("contracts_total: 11", "contracts\u200b_total: 11")
    (tmp_path / "dept.yaml").write_text(text, encoding="utf-8")
    done = _score("run", "dept.yaml", "--rules", "2022", cwd=tmp_path)
    assert done.returncode == 1
    assert b"contracts\\u200b_total" in done.stderr and "\u200b".encode() not in done.stderr


def test_every_character_drawn_as_nothing_is_escaped_in_a_message_and_kept_in_a_document() -> None:
    for char in DRAWN_AS_NOTHING:
        shown = one_line(f"财{char}政局")
        assert char not in shown and shown.startswith("财\\") and shown.endswith("政局"), repr(char)
    assert plain("财政局\u3000（本级）\t") == "财政局\u3000（本级）\t"  # ordinary text as it is
    assert visible("财\u200b政局") == "财\u200b政局"  # a document's cell is the department's own text
