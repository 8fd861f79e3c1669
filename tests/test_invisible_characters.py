"""The characters drawn as nothing (scorer/invisible.py) never make two departments of one, and a text made only
of them is empty: a property test over the whole set, and the command answering as users see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scorer.escape import is_blank
from scorer.inputs.model import department_key
from scorer.invisible import DRAWN_AS_NOTHING, drawn_as_nothing
from scorer.sources.xlsx_open import sheet_key

from .conftest import VALID_INPUTS

INVISIBLE = sorted(DRAWN_AS_NOTHING | {chr(c) for c in range(0x110000) if drawn_as_nothing(chr(c))})
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


def test_the_set_holds_unicode_default_ignorables_and_the_blank_braille_pattern() -> None:
    for (
        char
    ) in "\u2800\u115f\u1160\u3164\uffa0\u180b\u180e\u180f\ufe00\ufe0f\U000e0000\U000e0fff\u034f\u00ad":
        assert drawn_as_nothing(char), f"U+{ord(char):04X}"
    assert not any(drawn_as_nothing(c) for c in " \u3000\t\n财A")  # white space is collapsed, not removed


@given(NAMES, st.lists(st.tuples(st.integers(0, 12), st.sampled_from(INVISIBLE)), min_size=1, max_size=4))
def test_inserting_characters_drawn_as_nothing_never_changes_the_key(
    name: str, inserted: list[tuple[int, str]]
) -> None:
    spelled = name
    for place, char in inserted:
        spelled = spelled[:place] + char + spelled[place:]
    assert department_key(spelled) == department_key(name)
    assert sheet_key(spelled) == sheet_key(name)


@given(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=6))
def test_a_text_of_only_such_characters_is_blank(chars: list[str]) -> None:
    assert is_blank("".join(chars)) and department_key("".join(chars)) == ""


@pytest.mark.parametrize("mark", ["\u2800", "\u3164", "\U000e0041", "\U0001d173", "\u2064"])
def test_a_batch_takes_a_name_with_such_a_character_for_the_same_department(
    tmp_path: Path, mark: str
) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    for file, name in (("a.yaml", "财政局"), ("b.yaml", f"财政{mark}局")):
        text = VALID_INPUTS.replace(
            "department: 测试部门", f"department: {json.dumps(name, ensure_ascii=False)}"
        )
        (folder / file).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(folder), "-f", "csv", "--lang", "en"])
    assert result.exit_code == 1, result.output
    (refusal,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "b.yaml:" in refusal and "is already in this batch (from " in refusal


@pytest.mark.parametrize("name", ["\u2800", "\u2800\u3164 \U000e0020", "\u1160\ufe0f"])
def test_a_department_named_only_with_such_characters_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "a.yaml"
    text = VALID_INPUTS.replace("department: 测试部门", f"department: {json.dumps(name, ensure_ascii=False)}")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"error: {path}:1: department: must not be empty: write the department's name (部门名称)"
    )


@pytest.mark.parametrize("reason", ["\u200b", "\u2800", "\u3164\u3164", "\u2028", "\U000e0020"])
def test_an_audited_reason_of_only_such_characters_is_no_reason(tmp_path: Path, reason: str) -> None:
    table = Path(__file__).resolve().parent / "fixtures" / "tables" / "003_0ab128b708fd7b30.txt"
    rows = [line.split("\t") for line in table.read_text(encoding="utf-8").split("\n")]
    (row,) = [r for r in rows if len(r) > 8 and r[4] == "资产配置合规性"]  # 1 of 2 points, with its reason
    row[8] = reason
    path = tmp_path / "table.txt"
    path.write_text("\n".join("\t".join(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert (
        f"{path}:33: [资产配置合规性] Reasons for lost points: 1 point lost without a reason" in result.stdout
    )
