"""A plain start: `score` imports what the command asked needs, and its help speaks the chosen language whole."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scorer.cli.app import COMMANDS

from .conftest import ROOT


def _score(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    """`score ARGS` as a clerk's PC runs it: no locale set, a terminal of `columns` columns."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "scorer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env | {"COLUMNS": str(columns)},
        timeout=60,
    )


_COMMANDS = [name.rpartition(".")[2] for name in COMMANDS]
_SUBCOMMANDS = [("rules", "list"), ("rules", "new"), ("accounts", "add")]


@pytest.mark.parametrize("words", [(name,) for name in _COMMANDS] + _SUBCOMMANDS, ids=" ".join)
@pytest.mark.parametrize("columns", [60, 100])
def test_chinese_help_has_no_english_marker_at_any_width(words: tuple[str, ...], columns: int) -> None:
    """typer's own words ("[default: results.sqlite]", "[required]") are put in Chinese before the help is wrapped,
    so a marker split over two lines is Chinese too."""
    shown = _score(*words, "--help", columns=columns)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("用法：score "), shown.stdout
    folded = " ".join(shown.stdout.split())  # the words as read, whatever the wrapping
    for english in ("default:", "required]", "Usage:", "Options", "Arguments", "Show this message"):
        assert english not in folded, (english, shown.stdout)


def test_a_default_is_worded_in_chinese() -> None:
    shown = _score("history", "--help", columns=60).stdout
    unwrapped = "".join(shown.split())
    assert "[默认：results.sqlite]" in unwrapped and "[默认：text]" in unwrapped, shown


def test_english_help_keeps_typers_words() -> None:
    shown = _score("history", "--help", "--lang", "en", columns=200).stdout
    assert "[default: results.sqlite]" in shown and shown.startswith("Usage: score history"), shown
