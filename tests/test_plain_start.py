"""A plain start: `score` imports what the command asked needs, and its help speaks the chosen language whole."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys

import pytest
from msgspec.structs import replace

from scorer.cli.app import COMMANDS
from scorer.engine.score import score
from scorer.inputs.read import load_inputs
from scorer.rules.model import Grade, Level
from scorer.rules.read import load_rules

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


@pytest.mark.parametrize("words", [()] + [(name,) for name in _COMMANDS] + _SUBCOMMANDS, ids=" ".join)
@pytest.mark.parametrize("columns", [60, 100])
def test_chinese_help_has_no_english_marker_at_any_width(words: tuple[str, ...], columns: int) -> None:
    """typer's own words ("[default: results.sqlite]", "[required]") are put in Chinese before the help is wrapped,
    so a marker split over two lines is Chinese too."""
    shown = _score(*words, "--help", columns=columns)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("用法：score "), shown.stdout
    folded = " ".join(shown.stdout.split())  # the words as read, whatever the wrapping
    for english in ("default:", "required]", "Usage:", "Options", "Arguments", "Show this message", "range>"):
        assert english not in folded, (english, shown.stdout)
    # An English sentence: typer's own, left untold.
    sentence = re.search(r"[A-Za-z]+ [a-z]+ [a-z]+ [a-z]+", folded)
    assert sentence is None, (sentence, shown.stdout)


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


# The dataclasses a `score run` may still create: types with per-field options a msgspec Struct has no
# equivalent of (fields left out of equality, or worked out after construction).
_DATACLASSES_KEPT = {
    "scorer.engine.result.IndicatorResult",
}


def test_a_run_creates_only_the_dataclasses_that_need_to_be_ones() -> None:
    """Each dataclass costs some 0.4 ms to create at every start; the model's other types are frozen Structs."""
    probe = (
        "import sys; sys.argv = ['score', *sys.argv[1:]]\n"
        "import scorer.__main__ as entry\n"
        "try:\n    entry.command()\nexcept SystemExit:\n    pass\n"
        "made = sorted(f'{name}.{key}' for name, module in list(sys.modules.items()) if name.startswith('scorer')\n"
        "    for key, value in vars(module).items()\n"
        "    if isinstance(value, type) and value.__module__ == name and '__dataclass_fields__' in vars(value))\n"
        "print('MADE', *made, file=sys.stderr)"
    )
    example = str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml")
    done = subprocess.run(
        [sys.executable, "-c", probe, "run", example, "--rules", "2022", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("MADE"))
    assert set(line.split()[1:]) <= _DATACLASSES_KEPT, line


def test_the_structs_keep_what_the_dataclasses_promised() -> None:
    """Immutable, compared and hashed by value, changed only by a copy (`msgspec.structs.replace`), pickled for
    a batch's workers."""
    rules = load_rules("2022")
    department = load_inputs(ROOT / "examples" / "2022-zhengwu-fuwu.yaml", rules)
    result = score(rules, department)
    level, grade, band = rules.levels[0], rules.grades[0], result.bands[0]
    for value, name in [
        (department, "name"),
        (result, "total"),
        (level, "weight"),
        (rules.rounding, "places"),
    ]:
        with pytest.raises(AttributeError):
            setattr(value, name, getattr(value, name))
    assert level == Level(level.name, level.weight, level.children) and hash(level) == hash(
        Level(level.name, level.weight, level.children)
    )
    assert {grade: 1}[Grade(grade.name, grade.min, grade.max)] == 1
    assert band != replace(band, reached=not band.reached) and band == replace(band)
    changed = replace(department, name="另一个部门")
    assert (
        changed.name == "另一个部门"
        and department.name != changed.name
        and changed.indicators is department.indicators
    )
    assert pickle.loads(pickle.dumps(result)) == result and pickle.loads(pickle.dumps(rules)) == rules
    assert score(rules, department) == result and repr(level).startswith("Level(name=")
