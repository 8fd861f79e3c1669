"""A rubric that `extends:` another, or `use:`s shared rows, resolved into the documents of one plain rubric
before anything is built, so that every check, `score lint`, `test`, `diff`, `explain`, `schema` and
`template` see the rubric as it is scored.

The year file of the resolved rubric is the parent's with the child's keys in place of the parent's (its
`title`, `total`, `rounding`, `levels`, `grades`, `indicators` …); the child's identity (`id`, `region`,
`family`, `status`) and `provenance` are its own, never inherited. A key the child takes from its parent is
located at the child's `extends:` line. The rows are the parent's with the child's `changes:` applied
(scorer/rules/changes.py), each row remembering where it comes from (`RowOrigin`).

Nothing here runs anything from a file: names are checked against their patterns before they become paths
(scorer/rules/find.py), and a chain of rubrics is at most `MAX_DEPTH` long and never comes back to itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msgspec import Struct, field

from scorer.errors import LineMap, Location, Problem
from scorer.facts import Message, fact, joined, said, separated
from scorer.rules.find import find_rubric, roots_of, rubrics_of
from scorer.rules.model import RowOrigin
from scorer.sources.shipped import RUBRIC_NAME
from scorer.sources.yaml import YamlDocument, display_path

MAX_DEPTH = 8  # rubrics in one chain of `extends:` (a region's year extending last year's, … )
# What a rubric never takes from the one it extends: who it is, and what it was written from.
OWN_KEYS = frozenset({"id", "region", "family", "year", "status", "extends", "changes", "provenance"})


class Reader(Struct, frozen=True):
    """How rule files are read (scorer/rules/read.py): one file, and the row files of a rubric folder."""

    read: Callable[[Path, list[Problem], Path], YamlDocument | None]
    row_files: Callable[[Path], list[Path]]


class Resolved(Struct):
    rubric: YamlDocument
    rows: list[YamlDocument]
    origins: dict[str, RowOrigin] = field(default_factory=dict)
    extended: bool = False  # it extends another rubric or uses shared rows


def extending(doc: YamlDocument | None) -> bool:
    return doc is not None and isinstance(doc.data, dict) and ("extends" in doc.data or "changes" in doc.data)


def resolve(
    folder: Path,
    rubric: YamlDocument,
    own_rows: list[YamlDocument],
    problems: list[Problem],
    reader: Reader,
    chain: tuple[Path, ...] = (),
) -> Resolved | None:
    """The rubric in `folder` as one plain rubric; None (with its problems added) when it cannot be resolved."""
    from scorer.rules.changes import Changes

    if not extending(rubric):
        return Resolved(rubric, own_rows)
    parent = _parent(folder, rubric, problems, reader, chain) if "extends" in rubric.data else None
    if "extends" in rubric.data and parent is None:
        return None
    chain = (*chain, folder.resolve())
    name = rubric.data.get("extends", "")
    changes = Changes(folder, rubric, own_rows, problems, reader, chain, name, parent)
    order, rows, origins = changes.apply()
    merged = _merged(rubric, parent.rubric if parent else None, order)
    return Resolved(merged, rows, origins, extended=True)


def load_resolved(
    folder: Path, problems: list[Problem], reader: Reader, chain: tuple[Path, ...]
) -> Resolved | None:
    """The resolved rubric of another folder (a parent, or a rubric whose row is used)."""
    rubric = reader.read(folder / "rubric.yaml", problems, folder)
    if rubric is None:
        return None
    rows = [doc for path in reader.row_files(folder) if (doc := reader.read(path, problems, folder))]
    return resolve(folder, rubric, rows, problems, reader, chain)


def _parent(
    folder: Path, rubric: YamlDocument, problems: list[Problem], reader: Reader, chain: tuple[Path, ...]
) -> Resolved | None:
    name = rubric.data["extends"]
    where = rubric.at(("extends",), None, "extends")
    if not isinstance(name, str) or not RUBRIC_NAME.fullmatch(name):
        problems.append(Problem(where, fact("extends.bad_name", name=str(name))))
        return None
    found = locate(folder, name, where, problems, chain)
    return None if found is None else load_resolved(found, problems, reader, (*chain, folder.resolve()))


def locate(
    folder: Path, name: str, where: Location, problems: list[Problem], chain: tuple[Path, ...]
) -> Path | None:
    """The folder of the rubric `name` a rubric in `folder` names, checked for cycles and depth; None (with a
    problem at `where`) when there is none to read."""
    found = find_rubric(folder, name)
    if found is None:
        roots = ", ".join(display_path(root) for root in roots_of(folder))
        message: Message = fact("extends.not_found", name=name, roots=roots)
        itself = f"{folder.parent.name}/{folder.name}"
        there = [r for r in rubrics_of(folder, name.split("/")[0]) if r != itself]  # the id's other years
        if there:
            listed = separated(fact("list.separator"), map(said, there))
            message = joined(message, fact("extends.there_are", rubrics=listed))
        problems.append(Problem(where, message))
        return None
    seen = (*chain, folder.resolve())
    if found.resolve() in seen:
        names = [_name_of(path) for path in (*seen, found.resolve())]
        start = names.index(_name_of(found.resolve()))
        problems.append(Problem(where, fact("extends.cycle", chain=" → ".join(names[start:]))))
        return None
    if len(seen) >= MAX_DEPTH:
        problems.append(Problem(where, fact("extends.too_deep", depth=MAX_DEPTH)))
        return None
    return found


def _name_of(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def _merged(child: YamlDocument, parent: YamlDocument | None, order: list[str]) -> YamlDocument:
    """The year file of the resolved rubric: the parent's keys, the child's in their place, the rows' order."""
    inherited = {k: v for k, v in (parent.data if parent else {}).items() if k not in OWN_KEYS}
    at = child.lines.line(("extends",)) or child.lines.line(("changes",))
    lines: dict[tuple[str | int, ...], int | str | None] = {
        (k,): at for k in inherited if k not in child.data
    }
    lines.update(child.lines.lines)
    data = {**inherited, **child.data}
    if data.get("indicators") != order:
        if "indicators" in data or order:
            data["indicators"] = order
        listed_at = child.lines.line(("indicators",)) if "indicators" in child.data else at
        lines = {path: line for path, line in lines.items() if path[:1] != ("indicators",)}
        lines[("indicators",)] = listed_at
    return YamlDocument(child.path, data, LineMap({k: v for k, v in lines.items() if v is not None}))
