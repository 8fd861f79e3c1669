"""The rows a golden case names that its rubric does not have, each at its line in the case; where the rubric
took the row out (`remove:` among its changes), the message says so and where. `score test` fails the case with
these messages before scoring it, and `score lint` says them for the cases in a rubric's own `golden/` folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorer.errors import Problem, UserError, did_you_mean
from scorer.facts import fact
from scorer.rules.model import RuleSet
from scorer.sources.yaml import YamlDocument, load_yaml_file

# Where a case names rows: its inputs (unless it expects a refusal), and what it expects of them.
_EXPECTED = (("expect", "scores"), ("expect", "reasons_contain"), ("expect", "notes_contain"))
_GIVEN = ("inputs", "indicators")


def unknown_rows(doc: YamlDocument, rules: RuleSet) -> list[Problem]:
    """Each row the case `doc` names that `rules` has not, located at its key."""
    data = doc.data if isinstance(doc.data, dict) else {}
    expect = data.get("expect")
    refused = isinstance(expect, dict) and "error_contains" in expect  # a case of a misspelt row, on purpose
    places = [*([] if refused else [_GIVEN]), *_EXPECTED]
    known = [i.id for i in rules.indicators]
    removed: dict[str, str] | None = None
    problems = []
    for place in places:
        for ident in _keys(data, place):
            if ident in known:
                continue
            removed = _removed(rules) if removed is None else removed
            if ident in removed:
                message = fact("cases.row_removed", id=ident, rubric=rules.name, at=removed[ident])
            else:
                message = fact(
                    "cases.row_unknown", id=ident, rubric=rules.name, hint=did_you_mean(ident, known)
                )
            problems.append(Problem(doc.at((*place, ident), ident, ".".join(place)), message))
    return problems


def unknown_in_folder(folder: Path, rules: RuleSet) -> list[Problem]:
    """What `unknown_rows` finds in each case of the rubric's own `golden/` folder (one it cannot read is left
    to `score test`, which says why)."""
    problems = []
    for path in sorted((folder / "golden").glob("*.yaml")) if (folder / "golden").is_dir() else []:
        try:
            problems += unknown_rows(load_yaml_file(path), rules)
        except UserError:
            continue
    return problems


def _keys(data: dict[str, Any], place: tuple[str, str]) -> list[str]:
    block = data.get(place[0])
    block = block.get(place[1]) if isinstance(block, dict) else None
    return [key for key in block if isinstance(key, str)] if isinstance(block, dict) else []


def _removed(rules: RuleSet) -> dict[str, str]:
    """Each row the rubric's own `changes:` remove, with the place of that change (rubric.yaml:11)."""
    if not rules.extends:
        return {}
    try:
        doc = load_yaml_file(Path(rules.folder) / "rubric.yaml")
    except UserError:
        return {}
    changes = doc.data.get("changes") if isinstance(doc.data, dict) else None
    removed = {}
    for index, change in enumerate(changes if isinstance(changes, list) else []):
        if isinstance(change, dict) and isinstance(change.get("remove"), str):
            line = doc.lines.line(("changes", index, "remove"))
            removed[change["remove"]] = f"{rules.rubric_path}:{line}" if line else rules.rubric_path
    return removed
