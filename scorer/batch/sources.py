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
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from scorer.i18n import t
from scorer.load.yamlio import YamlDocument, display_path
from scorer.model.problems import LineMap, Location, Problem, UserError
from scorer.model.rules import RuleSet

if TYPE_CHECKING:
    from scorer.file_plan import Gathered

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
        if not path.is_dir() and not is_pattern(path):
            yield from _file(path, rules)
            continue
        count = 0
        for found in files_named(path):
            if found.resolve() not in skipped:
                count += 1
                yield from _file(found, rules)
        if not count and empty is not None:
            empty.append(display_path(path) if path.is_dir() else str(path))


def files_named(path: Path) -> Iterator[Path]:
    """The files one PATH of `score batch` names, in order: a folder's inputs files (`takes`), a glob's matches
    (the inputs files of a folder it matches), or the file itself."""
    if path.is_dir():
        for found in sorted(path.rglob("*")):
            if takes(found.relative_to(path)) and found.is_file():
                yield found
    elif not is_pattern(path):
        yield path
    else:
        for match in sorted(glob.glob(str(path), recursive=True)):
            yield from files_named(Path(match)) if Path(match).is_dir() else [Path(match)]


def takes(relative: PurePath) -> bool:
    """Whether a folder's file at `relative` is read as inputs: a `.yaml`, `.yml` or `.xlsx` file, neither
    hidden nor an Excel lock file (`~$…`). Decided by the name alone, so that it also says which outputs would
    be read the next time."""
    if any(part.startswith(".") for part in relative.parts) or relative.name.startswith("~$"):
        return False
    return relative.suffix.lower() in FOLDER_SUFFIXES


def gathered(path: Path) -> Gathered | None:
    """A folder or glob of PATHS as the command's file plan sees it: where inputs are read from, and which
    names there are read (a glob's pattern, taken broadly: its `*` also matches a `/`)."""
    from fnmatch import fnmatchcase

    from scorer.file_plan import Gathered

    if path.is_dir():
        return Gathered(path, takes, display_path(path))
    if not is_pattern(path):
        return None
    parts = path.parts
    fixed = next((i for i, part in enumerate(parts) if _GLOB_CHARS & set(part)), len(parts))
    root = Path(*parts[:fixed]) if fixed else Path(".")
    pattern = "/".join(parts[fixed:]).replace("**/", "").lower()  # and in any case: a disk may ignore it
    return Gathered(root, lambda relative: fnmatchcase(relative.as_posix().lower(), pattern), str(path))


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
            yield from _rows(path, display, rules, "csv")
        elif suffix in (".xlsx", ".xlsm") and _columnar(path):
            yield from _rows(path, display, rules, "xlsx")
        else:
            yield Source(display, None, "file", str(path))
    except UserError as exc:  # the whole file cannot be read: one refusal names it
        yield Source(display, None, "refused", exc.problems)


def _columnar(path: Path) -> bool:
    from scorer.load.columns import is_columnar_workbook

    return is_columnar_workbook(path)


def _json_lines(path: Path, display: str) -> Iterator[Source]:
    from scorer.load.jsonl import read_lines

    for number, text in read_lines(path, display):
        if isinstance(text, UserError):
            yield Source(display, number, "refused", text.problems)
        else:
            yield Source(display, number, "json", text)


def _rows(path: Path, display: str, rules: RuleSet, kind: str) -> Iterator[Source]:
    from scorer.load.columns import read_csv, read_xlsx

    reader = read_csv if kind == "csv" else read_xlsx
    for row in reader(path, display, rules):
        if isinstance(row, UserError):
            where = row.problems[0].location.line if row.problems else None
            yield Source(display, where, "refused", row.problems)
        else:
            yield Source(display, row.lines.line(()), "row", (row.data, row.lines.lines, row.labels))
