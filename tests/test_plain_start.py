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


def _modules_after(*args: str) -> set[str]:
    """The command modules a `score ARGS` process imported, as the console script runs it."""
    probe = (
        "import sys; sys.argv = ['score', *sys.argv[1:]]\n"
        "import scorer.__main__ as entry\n"
        "try:\n    entry.command()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', *sorted(name for name in sys.modules if name.startswith('scorer.cli.')), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES"))
    return set(line.split()[1:]) & set(COMMANDS)


def test_a_command_imports_its_own_module_only() -> None:
    example = str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml")
    assert _modules_after("run", example, "--rules", "2022", "-f", "json") == {"scorer.cli.run"}
    assert _modules_after("rules", "list") == {"scorer.cli.rules"}


@pytest.mark.parametrize("args", [("--help",), ("rn", "x.yaml"), ("--lang", "en", "run", "--help")])
def test_help_and_anything_else_see_every_command(args: tuple[str, ...]) -> None:
    assert _modules_after(*args) == set(COMMANDS)
    shown = _score("--help", columns=200)
    assert all(f" {name.rpartition('.')[2]} " in shown.stdout for name in COMMANDS), shown.stdout
