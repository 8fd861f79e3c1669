"""Problems are data (a location, a message as a `Fact`, a severity), worded only where they are shown, in the
language chosen there: a batch's workers, the readers and the checks say what is wrong, never in which words."""

from __future__ import annotations

import ast
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from scorer.errors import Problem, UserError
from scorer.facts import Fact, Joined
from scorer.i18n import speaking
from scorer.inputs.read import load_inputs
from scorer.render.problems import as_dict, line, ordered
from scorer.rules.read import load_rules

from .conftest import ROOT, VALID_INPUTS

SCORER = ROOT / "scorer"
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]

# Below the renderers, the packages that read and check (layers 0–9 of docs/architecture.md).
BELOW_RENDER = [
    *(SCORER / name for name in ("version.py", "facts.py", "immutable.py", "numbers.py", "rounding.py")),
    *(SCORER / name for name in ("escape.py", "invisible.py", "errors.py")),
    *(SCORER / name for name in ("sources", "formula", "kinds", "rules", "inputs", "engine")),
]
# The modules there that word text, each with why. The vocabulary readers match what a clerk's file says
# against the catalogue's words in every language: they word each header in each language, by name.
WORDING = {
    "scorer/inputs/workbook.py": "reads the clerk's workbook: its sheets and columns named in either language",
    "scorer/inputs/columns.py": "reads a batch sheet's header (and writes it): its labels in either language",
    "scorer/inputs/read.py": "knows the template's stand-in department name in either language",
    "scorer/kinds/stated.py": "reads a table's reasons against the catalogue's wording in each language",
    "scorer/kinds/alternatives.py": "rows(…, lang): the template's and workbook's row, in the language asked",
    "scorer/kinds/graded.py": "rows(…, lang): the template's and workbook's row, in the language asked",
    "scorer/kinds/categorical.py": "rows(…, lang): the template's and workbook's row, in the language asked",
}
# errors.py words a problem for `str()` alone: tracebacks and logs, in the current language.
FOR_LOGS = {"scorer/errors.py"}


def _modules() -> list[Path]:
    return sorted(p for root in BELOW_RENDER for p in ([root] if root.is_file() else root.rglob("*.py")))


def _wording_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text("utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "say")
    ]


def test_below_the_renderers_problems_are_said_as_facts_not_worded() -> None:
    worded = {}
    for path in _modules():
        name = path.relative_to(ROOT).as_posix()
        calls = _wording_calls(path)
        if name in FOR_LOGS:
            continue
        if name in WORDING:  # a vocabulary reader words only in a language it names, never the current one
            calls = [c for c in calls if len(c.args) < 2]
        if calls:
            worded[name] = [c.lineno for c in calls]
    assert not worded, f"words chosen below the renderers (say a fact instead): {worded}"


def test_the_listed_readers_still_word_text() -> None:
    """The list above stays true: a module that no longer words anything leaves it."""
    for name in WORDING:
        assert _wording_calls(ROOT / name), f"{name} words nothing: take it off the list"


def _refused(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_inputs(path, load_rules("2022"))
    return raised.value.problems


def test_a_problem_is_data_and_worded_in_the_language_each_output_asks(tmp_path: Path) -> None:
    broken = VALID_INPUTS.replace("contracts_total: 11", "contracts_total: 11\n    contracts_totl: 3")
    (problem,) = _refused(tmp_path, broken)
    assert isinstance(problem.message, Fact | Joined)
    assert pickle.loads(pickle.dumps(problem)) == problem  # what a batch worker sends back
    english, chinese = line(problem, "en"), line(problem, "zh")
    assert "unknown key 'contracts_totl'" in english and "contracts_total" in english
    assert "未知的键" in chinese and "contracts_totl" in chinese
    with speaking("zh"):  # the language chosen elsewhere does not decide an output's words
        assert line(problem, "en") == english
        assert as_dict(problem, "en")["message"] == english.split(": ", 2)[-1]
    assert as_dict(problem, "zh")["key"] == "schema.unknown_key"


def test_the_problems_of_one_line_are_in_the_order_of_their_words_in_each_language(tmp_path: Path) -> None:
    one_line = "  budget_execution: {execution_rate: [1], reasn: x, improvment: y}"
    broken = VALID_INPUTS.replace("  budget_execution:\n    execution_rate: 98.88", one_line)
    problems = _refused(tmp_path, broken)
    assert len({p.location.line for p in problems}) == 1 and len(problems) == 3
    shown = {
        lang: [str(as_dict(p, lang)["message"]) for p in ordered(problems, lang)] for lang in ("zh", "en")
    }
    assert all(words == sorted(words) for words in shown.values()), shown
    assert [m[:2] for m in shown["en"]] == ["ex", "un", "un"], shown  # expected a number, unknown key…


def _score(*args: str, cwd: Path, env_lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    env["SCORE_LANG"] = env_lang
    return subprocess.run([*SCORE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.parametrize(("lang", "other", "words"), [("en", "zh", "unknown key"), ("zh", "en", "未知的键")])
def test_a_batchs_workers_send_problems_worded_in_the_language_of_the_command(
    tmp_path: Path, lang: str, other: str, words: str
) -> None:
    for index in range(3):
        text = VALID_INPUTS.replace("测试部门", f"部门{index}")
        if index == 1:
            text = text.replace("contracts_total: 11", "contracts_total: 11\n    contracts_totl: 3")
        (tmp_path / f"d{index}.yaml").write_text(text, encoding="utf-8")
    done = _score(
        "--lang", lang, "batch", "d0.yaml", "d1.yaml", "d2.yaml", "--rules", "2022", "--jobs", "2",
        "-o", "out.jsonl", cwd=tmp_path, env_lang=other,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr


def test_lint_json_names_each_problems_catalogue_key(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    source = ROOT / "tests" / "fixtures" / "rules" / "2022"
    for path in source.rglob("*"):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    indicator = folder / "indicators" / "budget_execution.yaml"
    indicator.write_text(indicator.read_text("utf-8") + "wieght: 3\n", encoding="utf-8")
    done = _score("lint", str(folder), "-f", "json", cwd=tmp_path, env_lang="en")
    assert done.returncode == 1, done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert [p["key"] for p in problems] == ["schema.unknown_key"], problems
    assert {"path", "line", "indicator", "field", "severity", "message"} <= set(problems[0])
