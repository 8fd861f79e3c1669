"""A value that fits none of the forms a key takes (a rule's `reason`: a text, or a mapping {zh: …, en: …}) is
explained as the form it tried to be, or as the types expected: never the validator's dump of the value."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
REASON = 'reason: "{year}年平均预算执行率为{execution_rate}%，按执行率×权重得{score}分。"'


def _lint(folder: Path, lang: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [*SCORE, "lint", str(folder), "--lang", lang], capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr
    return done.returncode, [line.split("budget_execution.yaml:", 1)[-1] for line in done.stdout.splitlines()]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "15: [budget_execution] reason: missing required key 'zh'",
                "16: [budget_execution] reason.zhh: unknown key 'zhh' (did you mean 'zh'?); allowed here: zh",
            ],
        ),
        (
            "zh",
            [
                "15: [budget_execution] reason: 缺少必填的键名“zh”",
                "16: [budget_execution] reason.zhh: 未知的键名“zhh”（您是否想写“zh”？）；此处可用的键：zh",
            ],
        ),
    ],
)
def test_a_mapping_of_languages_with_a_wrong_key_is_explained_inside(
    rules_copy: Callable[..., Path], lang: str, expected: list[str]
) -> None:
    written = (
        'reason:\n  zhh: "{year}年的执行率为{execution_rate}%。"\n  en: "The rate was {execution_rate}%."'
    )
    folder = rules_copy({"indicators/budget_execution.yaml": (REASON, written)})
    code, lines = _lint(folder, lang)
    assert code == 1
    assert lines[:2] == expected


@pytest.mark.parametrize(("written", "shown"), [("[1, 2]", "a list"), ("12", "12")])
def test_a_value_of_no_form_names_the_types_expected(
    rules_copy: Callable[..., Path], written: str, shown: str
) -> None:
    folder = rules_copy({"indicators/budget_execution.yaml": (REASON, f"reason: {written}")})
    code, lines = _lint(folder, "en")
    assert code == 1
    assert lines[0] == f"15: [budget_execution] reason: expected text or a mapping, got {shown}"
