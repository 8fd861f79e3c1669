"""Where a batch's departments come from: `score batch PATHS…` turned into a stream of sources, one per
department, in a stable order.

- a folder: every file in it, recursively, in path order; none is passed over in silence: a file that is no
  submission (a PDF, a Word document, an old `.xls`, a README, a hidden file, Excel's `~$` lock file) becomes an
  "other" source, listed with why it was not read;
- a glob (`inputs/**/*.yaml`, for shells that do not expand it): the matching paths, in path order;
- a `.jsonl` / `.ndjson` file: one department per line;
- a `.csv` file, or a workbook with a `部门` sheet: one department per row (scorer/inputs/columns.py);
- a workbook with the clerk's sheets (`基本情况`, `指标`): one department (`score template -o 自评输入.xlsx`);
- any other workbook, and pasted table text (`.txt`, `.tsv`): a submitted 自评表 (as `score run -o x.xlsx`
  writes it, or as a department hands it in), re-scored from the facts it states (scorer/audit/files.py); one
  in which no 自评表 is found is listed as no submission;
- a `.yaml` / `.yml` file (or any file named on the command line): one department's inputs file.
A workbook is told apart by its content, not its name: its sheets' names first (`部门`; the clerk's sheets), then
the indicator table's header row (三级指标 … 得分).

A source carries only what a worker process needs to read it (a path, a line's text, a row's values), so that
sources can be sent to other processes; a file that cannot be read at all becomes a refused source, and the
batch goes on.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from scorer.errors import LineMap, Location, Problem, UserError
from scorer.facts import Message, fact, said
from scorer.i18n import t
from scorer.rules.model import RuleSet
from scorer.sources.yaml import YamlDocument, display_path

if TYPE_CHECKING:
    from scorer.inputs.columns import Row
    from scorer.sources.file_plan import Gathered
    from scorer.sources.xlsx_open import Checked

LINES_SUFFIXES = (".jsonl", ".ndjson")
TABLE_SUFFIXES = (".txt", ".tsv")  # text pasted out of Excel or Word: a 自评表
# The files a folder's walk reads as submissions (any other file is listed as none): what an output written
# into the folder must not be named, or the next run would read it.
FOLDER_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm", ".csv", *LINES_SUFFIXES, *TABLE_SUFFIXES)
_GLOB_CHARS = set("*?[")
# What a computer leaves in a folder by itself, besides hidden files (a dot first) and Excel's lock files (~$):
# Windows' thumbnail caches, folder settings and recycle bin. Listed as system files, counted on the screen.
SYSTEM_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "$recycle.bin",
                          "system volume information"})  # fmt: skip


@dataclass(frozen=True)
class Source:
    display: str  # the file as messages name it
    where: int | str | None  # its line, row or cell; None for a whole file
    kind: str  # file | table | json | row | refused | other (no submission)
    payload: Any  # a path | the line's text | (data, lines) | the problems

    @property
    def place(self) -> str:
        return f"{self.display}:{self.where}" if self.where is not None else self.display


def read(source: Source) -> YamlDocument:
    """The inputs document of a source, or a UserError with its problems."""
    if source.kind == "file":
        from scorer.inputs.read import read_document

        return read_document(Path(source.payload))
    if source.kind == "json":
        from scorer.sources.jsonl import parse_line

        return parse_line(source.payload, source.display, int(source.where or 0))
    if source.kind == "row":  # its messages speak of the sheet's columns (`budget_execution.reason`)
        data, lines, labels = source.payload
        return YamlDocument(source.display, data, LineMap(lines), "sheet", labels)
    raise UserError(source.payload)


def is_pattern(path: Path) -> bool:
    """A glob for `score` to expand (the shell did not), rather than a file's name."""
    return not path.exists() and bool(_GLOB_CHARS & set(str(path)))


def expand(
    paths: Iterable[Path],
    rules: RuleSet,
    given: Mapping[Path, str] | None = None,
    empty: list[str] | None = None,
) -> Iterator[Source]:
    """Every department named by `paths`, in order. `given`: the files given to the command as another option
    (real path → the option), listed, never read as inputs; `empty`: the folders and globs naming no input."""
    for path in paths:
        count = 0
        for found in walk(path, given):
            for source in [found] if isinstance(found, Source) else _file(found[0], rules, found[1]):
                count += source.kind != "other"
                yield source
        if not count and empty is not None and (path.is_dir() or is_pattern(path)):
            empty.append(display_path(path) if path.is_dir() else str(path))


def walk(path: Path, given: Mapping[Path, str] | None = None) -> Iterator[tuple[Path, bool] | Source]:
    """The files one PATH names, in order, each with whether a folder's walk found it (else it was named); an
    entry the walk does not read (a hidden file, a lock file, a link out of the folder, a file `given` to the
    command as another option: real path → the option) as its listing or refusal."""
    given = {_real(path): option for path, option in (given or {}).items()}
    folder = path.is_dir() or is_pattern(path)
    found = iter([_Entry(path, "file")]) if not folder else _below(path, _wanted) if path.is_dir() else None
    for entry in found or _globbed(*_split_pattern(path)):
        if given and (option := given.get(_real(entry.path))) is not None:
            yield _other(display_path(entry.path), fact("batch.other.given", option=option))
        else:
            yield (entry.path, folder) if entry.kind == "file" else entry.refusal()


def table_or_why(path: Path, folder: bool) -> Message | None:
    """None when `path` is to be read as a submitted 自评表 (named on the command line: always, its reader says
    what it is); else why not: another form of submission, or no submission (see the module's words)."""
    display, suffix = display_path(path), path.suffix.lower()
    if not folder:
        return None
    if suffix in LINES_SUFFIXES or suffix == ".csv":
        return fact("audit.other.form")
    kind = _kind(path, display, folder)
    if kind == "workbook":
        return None if _form_of(path, display)[0] == "table" else fact("audit.other.form")
    if kind == "text":
        return None if suffix in TABLE_SUFFIXES else fact("audit.other.form")
    return said(kind) if isinstance(kind, str) else kind


def files_named(path: Path) -> Iterator[Path]:
    """The files one PATH of `score batch` reads, in the order `expand` reads them: a folder's submissions (by
    their names: FOLDER_SUFFIXES; a file of another kind is only listed), a glob's matches (the submissions of a
    folder it matches), or the file itself. A link refused by the walk is not a file read."""
    if path.is_dir():
        found: Iterable[_Entry] = _below(path, _wanted)
    elif not is_pattern(path):
        yield path
        return
    else:
        found = _globbed(*_split_pattern(path))
    yield from (
        entry.path for entry in found if entry.kind == "file" and entry.path.suffix.lower() in FOLDER_SUFFIXES
    )


def takes(relative: PurePath) -> bool:
    """Whether a folder's file at `relative` is read as a submission (FOLDER_SUFFIXES, neither hidden nor an
    Excel lock file `~$…`): decided by the name alone, so that it also says which outputs would be read
    the next time."""
    return bool(relative.parts) and _read_next_time(relative.parts)


def gathered(path: Path) -> Gathered | None:
    """A folder or glob of PATHS as the command's file plan sees it: where inputs are read from, and which
    names there are read (a glob's pattern, taken broadly: its `*` also matches a `/`, in any case, since a
    disk may ignore case)."""
    from scorer.sources.file_plan import Gathered

    if path.is_dir():
        return Gathered(path, takes, display_path(path))
    if not is_pattern(path):
        return None
    root, parts = _split_pattern(path)
    pattern = "/".join(parts).replace("**/", "").lower()
    return Gathered(
        root, lambda relative: fnmatch.fnmatchcase(relative.as_posix().lower(), pattern), str(path)
    )


@dataclass(frozen=True)
class _Entry:
    """A path found below a folder: a file or a folder the walk matched, or a link that leads out of it."""

    path: Path
    kind: str  # file | folder | outside | unreadable (a folder the walk cannot list) | hidden | lock
    link: Path | None = None  # where a link inside the folder leads

    def refusal(self) -> Source:
        if self.kind in _PASSED:
            return _other(display_path(self.path), fact(_PASSED[self.kind]))
        if self.kind == "unreadable":
            return _refused(display_path(self.path), fact("batch.folder_unreadable"))
        return _refused(display_path(self.path), fact("batch.link_outside"))


def _below(
    root: Path, wanted: Callable[[tuple[str, ...]], bool], pattern: tuple[str, ...] | None = None
) -> Iterator[_Entry]:
    """The files below `root` whose parts relative to it are `wanted`, in path order; below a glob's folder
    (`pattern`), the folders it matches too, and no deeper than it reaches. A link into a folder is never
    followed, so no cycle of links is walked round; a link that leads out of `root` is refused, as a rules
    folder refuses one, rather than read or passed over in silence; a link to a folder (or to a file the walk
    finds anyway) inside is passed over, its files being read where they are, once."""
    inside = _real(root)
    depth = len(pattern) if pattern is not None and "**" not in pattern else None
    found: list[_Entry] = []
    unreadable: list[OSError] = []
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append, followlinks=False):
        here = Path(folder)
        for name in [*subfolders, *files]:
            path = here / name
            if pattern is None and (kind := _system_kind(name, name in files)) is not None:
                found.append(_Entry(path, kind))
                continue  # listed, not read: a hidden file or folder, Excel's lock file of an open workbook …
            parts = path.relative_to(root).parts
            link, is_folder = path.is_symlink(), name in subfolders
            target = _real(path) if link else path
            if link and target != inside and inside not in target.parents:
                # A folder's link that leads out would hide its files; below a glob, only a match counts.
                if wanted(parts) or (pattern is None and target.is_dir()):
                    found.append(_Entry(path, "outside"))
            elif wanted(parts) and not (link and target.is_dir()) and (pattern is not None or not is_folder):
                found.append(_Entry(path, "folder" if is_folder else "file", target if link else None))
        level = len(here.relative_to(root).parts) + 1
        subfolders[:] = [
            n for n in subfolders if _system_kind(n, False) is None and (depth is None or level < depth)
        ]
    found += [_Entry(Path(error.filename), "unreadable") for error in unreadable if error.filename]
    read = {_real(entry.path) for entry in found if entry.link is None}
    yield from sorted((e for e in found if e.link not in read), key=lambda entry: entry.path)


def _real(path: Path) -> Path:
    """Where a path leads, links followed; a loop of links leads to itself (Path.resolve raises on one)."""
    return Path(os.path.realpath(path))


def _globbed(base: Path, pattern: tuple[str, ...]) -> Iterator[_Entry]:
    """A glob's matches below the folder it starts from; a matched folder stands for the inputs within it."""
    if not base.is_dir():
        return
    expanded: list[Path] = []
    for entry in _below(base, lambda parts: _matches(parts, pattern), pattern):
        if any(folder in entry.path.parents for folder in expanded):
            continue  # already read as part of a folder the glob matched
        if entry.kind == "folder":
            expanded.append(entry.path)
            yield from _below(entry.path, _wanted)
        else:
            yield entry


_PASSED = {"hidden": "batch.other.hidden", "lock": "batch.other.lock", "system": "batch.other.system"}


def system_file(name: str) -> bool:
    """Whether a file or folder of this name is one a computer keeps by itself (a hidden file, Excel's lock
    file, Windows' thumbnails and folder settings), never a submission: listed, counted on the screen."""
    return _system_kind(name, True) is not None


def _system_kind(name: str, is_file: bool) -> str | None:
    if name.startswith("."):  # .DS_Store, macOS's ._ copies of a file's attributes, .git …
        return "hidden"
    if name.startswith("~$") and is_file:
        return "lock"
    return "system" if name.casefold() in SYSTEM_NAMES else None


def _wanted(parts: tuple[str, ...]) -> bool:
    """A folder's file the walk hands on (each then read, refused or listed as no submission)."""
    last = len(parts) - 1
    return all(_system_kind(part, at == last) is None for at, part in enumerate(parts))


def _read_next_time(parts: tuple[str, ...]) -> bool:
    return _wanted(parts) and Path(parts[-1]).suffix.lower() in FOLDER_SUFFIXES


def _split_pattern(path: Path) -> tuple[Path, tuple[str, ...]]:
    """A glob as the folder it starts from (its parts without *, ? or [) and the pattern of the rest."""
    parts = path.parts
    fixed = next((i for i, part in enumerate(parts) if _GLOB_CHARS & set(part)), len(parts))
    return Path(*parts[:fixed]) if fixed else Path("."), parts[fixed:]


def _matches(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """glob's own matching: `**` any number of folders, `*` within one name, neither a hidden name (one that
    starts with a dot) unless the pattern's part does."""
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(
            _matches(parts[i:], rest)
            for i in range(len(parts) + 1)
            if not any(p.startswith(".") for p in parts[:i])
        )
    if not parts or (parts[0].startswith(".") and not head.startswith(".")):
        return False
    return fnmatch.fnmatchcase(parts[0], head) and _matches(parts[1:], rest)


def _refused(display: str, message: Message, where: int | str | None = None) -> Source:
    return Source(display, where, "refused", [Problem(Location(display, where), message)])


def _other(display: str, why: Message) -> Source:
    return Source(display, None, "other", [Problem(Location(display), why)])


def _file(path: Path, rules: RuleSet, folder: bool = False) -> Iterator[Source]:
    """The sources of one file: what it is decided by its content (see the module's words); `folder`: found by
    a folder's walk rather than named, so that a file of no kind `score` reads is listed, not read as YAML."""
    from scorer.sources.file_kind import NotReadable

    display = display_path(path)
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            yield _refused(display, fact("batch.link_nowhere" if path.is_symlink() else "yaml.not_found"))
        elif suffix in LINES_SUFFIXES:
            yield from _json_lines(path, display)
        elif suffix == ".csv":
            from scorer.inputs.columns import read_csv

            yield from _rows(display, read_csv(path, display, rules))
        elif (kind := _kind(path, display, folder)) == "workbook":
            yield from _workbook(path, display, rules)
        elif kind == "text" and suffix in TABLE_SUFFIXES:
            yield Source(display, None, "table", str(path))
        elif kind == "text" and (suffix in (".yaml", ".yml") or not folder):
            yield Source(display, None, "file", str(path))
        else:
            yield _other(display, said(kind) if isinstance(kind, str) else kind)
    except UserError as exc:  # the whole file cannot be read: one refusal names it
        if folder and isinstance(
            exc, NotReadable
        ):  # a Word or OpenDocument file: no submission, with the hint
            yield _other(display, exc.problems[0].message)
        else:
            yield Source(display, None, "refused", exc.problems)


def _kind(path: Path, display: str, folder: bool) -> str | Message:
    """ "workbook", "text", or why a folder's file is no submission: another program's document (with the hint
    to save it as .xlsx; named on the command line, it is refused), or a file of a kind `score` does not read."""
    from scorer.sources.file_kind import WORKBOOK, NotReadable, kind_of

    try:
        kind = kind_of(path, display)
    except NotReadable as exc:
        if not folder:
            raise
        return exc.problems[0].message
    if kind == WORKBOOK:
        return "workbook"
    if folder and path.suffix.lower() not in (".yaml", ".yml", *TABLE_SUFFIXES):
        return fact("batch.other.kind")
    return "text"


def _workbook(path: Path, display: str, rules: RuleSet) -> Iterator[Source]:
    """A batch sheet (a `部门` sheet), a clerk's input workbook (its sheets), else a submitted 自评表."""
    from scorer.inputs.columns import read_xlsx

    form, book = _form_of(path, display)
    if form == "sheet":
        yield from _rows(display, read_xlsx(book, rules))
    else:
        yield Source(display, None, form, str(path))


def _form_of(path: Path, display: str) -> tuple[str, Checked]:
    """A workbook's form by its sheets: "sheet" (a `部门` sheet), "file" (the clerk's sheets), else "table"."""
    from scorer.i18n import LANGUAGES
    from scorer.inputs.columns import sheet_of_departments
    from scorer.inputs.workbook_layout import INDICATORS, PROFILE
    from scorer.sources.xlsx_open import SHEET, check, sheet_named

    book = check(path, display, SHEET)  # bounded before openpyxl sees it (scorer/sources/xlsx_open.py)
    if sheet_of_departments(book) is not None:
        return "sheet", book
    clerks = ({t(f"workbook.sheet.{role}", lang) for lang in LANGUAGES} for role in (INDICATORS, PROFILE))
    return ("file" if any(sheet_named(book, names) is not None for names in clerks) else "table"), book


def _json_lines(path: Path, display: str) -> Iterator[Source]:
    from scorer.sources.jsonl import read_lines

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
