"""Lint's messages on a copy of the illustrative rubric broken on purpose: each names the lines at fault and, where
one exists, the change that fixes it (bands swapped, gaps, overlaps, misspelt names, uncovered alternatives and
ranges, guarded divisions whose fallback decides the score)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.i18n import speaking
from scorer.maintain.lint import lint
from tests.test_kinds import ILLUSTRATIVE

B0 = '    - {from: 95, to: 100, ends: "[]", points: 10}\n'
B2 = '    - {from: 80, to: 90, ends: "[)", points: 6, reason: x}\n'
B3 = '    - {from: 0, to: 80, ends: "()", points: 3, reason: y}\n'
GUARDED = "  of: carryover_amount / budget_total * 100 if budget_total else 0\n"

CASES = [
    # the two swapped lines are blamed (the first, naming the second), not the correctly ordered ones after them
    ("two bands swapped", "execution_bands", [(B0, ""), ('    - {from: 80, to: 90,', B0 + '    - {from: 80, to: 90,')],
     ["execution_bands.yaml:15: [execution_bands] bands.items[0]: this band [90, 95) and the next, [95, 100] (bands.items[1]), are out of order: the bands run from high to low; swap them"]),
    ("the last two bands swapped", "execution_bands",
     [('    - {from: 80, to: 90, ends: "[)", points: 6, reason: {zh: "预算执行率为{value}%，在80%(含)-90%之间，得{points}分。", en: "Budget execution of {value}% lies in [80%, 90%): {points} points."}}\n', ""),
      ('    - {from: 0, to: 80, ends: "()", points: 3, reason: "预算执行率为{value}%，低于80%，得{points}分。"}\n', B3 + B2)],
     ["execution_bands.yaml:17: [execution_bands] bands.items[2]: this band (0, 80) and the next, [80, 90) (bands.items[3]), are out of order: the bands run from high to low; swap them"]),
    ("a misspelt name in a gate is said once", "targets_gate", [("  - when: not targets_set", "  - when: not target_set")],
     ["targets_gate.yaml:15: [targets_gate] gates[0].when: name 'target_set' is not defined (did you mean 'targets_set'?)"]),
    ("alternatives leaving values out", "execution_by_type",
     [("      when: project_budget > 0\n", "      when: project_budget > 5\n"),
      ("      name: 按基本支出执行率\n", "      name: 按基本支出执行率\n      when: project_budget > 0 and project_budget <= 5\n")],
     ["execution_by_type.yaml:15: [execution_by_type] alternatives: no alternative applies when project_budget = 0: add an option without 'when' (it applies otherwise), or widen a condition"]),
    ("bands' range narrower than the input's", "execution_bands",
     [("  of: execution_rate\n", "  of: execution_rate\n  range: {min: 0, max: 100}\n"), ("{type: percent, min: 0, max: 100,", "{type: percent, min: 0, max: 120,")],
     ["execution_bands.yaml:14: [execution_bands] bands.range: the bands' range leaves out values input 'execution_rate' may take ((100, 120]): such a figure would be refused; widen range, or narrow the input's min and max"]),
    ("a guarded division's fallback decides the score", "carryover_bands",
     [("  of: carryover_amount / budget_total * 100\n", GUARDED), ("{type: number, min: 0.01,", "{type: number, min: 0,")],
     ["carryover_bands.yaml:14: [carryover_bands] bands.of: when 'budget_total' is 0 the value is taken as 0 and that decides the score, silently: make the budget_total = 0 case explicit, e.g. not_applicable (or gates) with 'when: budget_total == 0' and its reason"]),
    ("a guarded division whose zero case is explicit", "carryover_bands",
     [("  of: carryover_amount / budget_total * 100\n", GUARDED), ("{type: number, min: 0.01,", "{type: number, min: 0,"),
      ("bands:\n", "not_applicable:\n  - {when: budget_total == 0, reason: 无预算，不适用。}\nbands:\n")],
     []),
]  # fmt: skip


def _broken(tmp_path: Path, indicator: str, edits: list[tuple[str, str]]) -> Path:
    import shutil

    folder = tmp_path / "illustrative"
    shutil.copytree(ILLUSTRATIVE, folder)
    path = folder / "indicators" / f"{indicator}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("what", "indicator", "edits", "expected"), CASES, ids=[c[0] for c in CASES])
def test_lint_names_the_lines_at_fault_and_the_fix(
    what: str, indicator: str, edits: list[tuple[str, str]], expected: list[str], tmp_path: Path
) -> None:
    folder = _broken(tmp_path, indicator, edits)
    with speaking("en"):
        report = lint([str(folder)])
    got = [str(p).replace(str(folder / "indicators") + "/", "") for p in report.problems]
    assert [line for line in got if "schema" not in line] == expected


def test_the_fix_a_gap_message_suggests_closes_it(tmp_path: Path) -> None:
    """Independent check: applying either suggested change leaves lint clean."""
    broken = [('{from: 90, to: 95, ends: "[)", points: 8', '{from: 91, to: 95, ends: "[)", points: 8')]
    with speaking("en"):
        message = str(lint([str(_broken(tmp_path / "a", "execution_bands", broken))]).problems[0])
    assert "make [91, 95) start at 90 (inclusive" in message and "end this one at 91 (exclusive" in message
    for fix in (
        [
            ('{from: 90, to: 95, ends: "[)", points: 8', '{from: 90, to: 95, ends: "[)", points: 8')
        ],  # start at 90
        [(broken[0][0], broken[0][1]), ('{from: 80, to: 90, ends: "[)"', '{from: 80, to: 91, ends: "[)"')],
    ):
        assert lint([str(_broken(tmp_path / str(len(fix)), "execution_bands", fix))]).problems == []


def test_the_messages_speak_chinese(tmp_path: Path) -> None:
    folder = _broken(
        tmp_path,
        "execution_bands",
        [('{from: 90, to: 95, ends: "[)", points: 8', '{from: 91, to: 95, ends: "[)", points: 8')],
    )
    with speaking("zh"):
        message = str(lint([str(folder)]).problems[0])
    assert "请让 [91, 95) 起于 90(含)，或让本区间止于 91(不含)" in message
