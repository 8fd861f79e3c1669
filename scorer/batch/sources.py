"""Where a batch's departments come from: `score batch PATHS…` turned into a stream of sources, one per
department, in a stable order.

- a folder: its `*.yaml`, `*.yml` and `*.xlsx` files, recursively, in path order (hidden files and Excel's `~$`
  lock files passed over);
- a glob (`inputs/**/*.yaml`, for shells that do not expand it): the matching paths, in path order;
- a `.jsonl` / `.ndjson` file: one department per line;
- a `.csv` file, or a workbook with a `部门` sheet: one department per row (scorer/load/columns.py);
- any other file: one department (a YAML inputs file, or a clerk's 自评输入.xlsx).

A source carries only what a worker process needs to read it (a path, a line's text, a row's values), so that
sources can be sent to other processes; a file that cannot be read at all becomes a refused source, and the
batch goes on.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorer.i18n import t
from scorer.load.yamlio import YamlDocument, display_path
from scorer.model.problems import LineMap, Location, Problem, UserError
from scorer.model.rules import RuleSet

if TYPE_CHECKING:
    from scorer.load.columns import Row
    from scorer.load.xlsx_open import Checked

FOLDER_SUFFIXES = (".yaml", ".yml", ".xlsx")
LINES_SUFFIXES = (".jsonl", ".ndjson")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Source:
    display: str  # the file as messages name it
    where: int | str | None  # its line, row or cell; None for a whole file
    kind: str  # file | json | row | refused
    payload: Any  # a path | the line's text | (data, lines) | the problems

    @property
    def place(self) -> str:
        return f"{self.display}:{self.where}" if self.where is not None else self.display


def read(source: Source) -> YamlDocument:
    """The inputs document of a source, or a UserError with its problems."""
    if source.kind == "file":
        from scorer.load.workbook import is_workbook, load_workbook_inputs
        from scorer.load.yamlio import load_yaml_file

        path = Path(source.payload)
        return load_workbook_inputs(path) if is_workbook(path) else load_yaml_file(path)
    if source.kind == "json":
        from scorer.load.jsonl import parse_line

        return parse_line(source.payload, source.display, int(source.where or 0))
    if source.kind == "row":  # its messages speak of the sheet's columns (`budget_execution.reason`)
        data, lines, labels = source.payload
        return YamlDocument(source.display, data, LineMap(lines), "sheet", labels)
    raise UserError(source.payload)


def is_pattern(path: Path) -> bool:
    """A glob for `score` to expand (the shell did not), rather than a file's name."""
    return not path.exists() and bool(_GLOB_CHARS & set(str(path)))


def expand(
    paths: Iterable[Path], rules: RuleSet, skip: Iterable[Path] = (), empty: list[str] | None = None
) -> Iterator[Source]:
    """Every department named by `paths`, in order. `skip`: files never read as inputs (the outputs); `empty`
    collects the folders and globs that named no input at all."""
    skipped = {p.resolve() for p in skip}
    for path in paths:
        count = 0
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if _wanted(found, path) and found.resolve() not in skipped:
                    count += 1
                    yield from _file(found, rules)
        elif not is_pattern(path):
            yield from _file(path, rules)
            continue
        else:
            for match in sorted(glob.glob(str(path), recursive=True)):
                found = Path(match)
                if found.resolve() in skipped:
                    continue
                for source in expand([found], rules, skip) if found.is_dir() else _file(found, rules):
                    count += 1
                    yield source
        if not count and empty is not None:
            empty.append(display_path(path) if path.is_dir() else str(path))


def _wanted(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if any(part.startswith(".") for part in relative) or path.name.startswith("~$"):
        return False
    return path.suffix.lower() in FOLDER_SUFFIXES and path.is_file()


def _refused(display: str, message: str, where: int | str | None = None) -> Source:
    return Source(display, where, "refused", [Problem(Location(display, where), message)])


def _file(path: Path, rules: RuleSet) -> Iterator[Source]:
    display = display_path(path)
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            yield _refused(display, t("yaml.not_found"))
        elif suffix in LINES_SUFFIXES:
            yield from _json_lines(path, display)
        elif suffix == ".csv":
            from scorer.load.columns import read_csv

            yield from _rows(display, read_csv(path, display, rules))
        elif suffix in (".xlsx", ".xlsm") and (book := _columnar(path, display)) is not None:
            from scorer.load.columns import read_xlsx

            yield from _rows(display, read_xlsx(book, rules))
        else:
            yield Source(display, None, "file", str(path))
    except UserError as exc:  # the whole file cannot be read: one refusal names it
        yield Source(display, None, "refused", exc.problems)


def _columnar(path: Path, display: str) -> Checked | None:
    from scorer.load.columns import columnar_workbook

    return columnar_workbook(path, display)


def _json_lines(path: Path, display: str) -> Iterator[Source]:
    from scorer.load.jsonl import read_lines

    for number, text in read_lines(path, display):
        if isinstance(text, UserError):
            yield Source(display, number, "refused", text.problems)
        else:
            yield Source(display, number, "json", text)


def _rows(display: str, rows: Iterator[Row | UserError]) -> Iterator[Source]:
    for row in rows:
        if isinstance(row, UserError):
            where = row.problems[0].location.line if row.problems else None
            yield Source(display, where, "refused", row.problems)
        else:
            yield Source(display, row.lines.line(()), "row", (row.data, row.lines.lines, row.labels))
