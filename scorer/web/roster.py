"""A district's list of departments (`部门名单.csv` or `.xlsx`), read for `score accounts import`.

One department a row, under a header row that names the column `部门名称` (or `department`); an optional column
`登录名` (or `login`) gives the login, else one is made. Read by the bounded readers `score audit` uses (the
same size limits, encodings and refusals of binary or damaged files); every problem names its line or cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scorer.errors import Location, Problem, UserError
from scorer.escape import is_blank, visible
from scorer.facts import Fact, fact
from scorer.inputs.model import department_key
from scorer.inputs.workbook import is_workbook
from scorer.sources.file_kind import WORKBOOK, kind_of
from scorer.sources.grid import Grid, GridRow, Where
from scorer.sources.yaml import display_path, read_bytes

NAME_WORDS = frozenset({"部门名称", "部门", "department", "name"})
LOGIN_WORDS = frozenset({"登录名", "账号", "login"})
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,149}")
HEADER_SCAN = 20


@dataclass(frozen=True)
class Listed:
    name: str
    login: str  # "" when the list gives none
    where: Where


def read_roster(path: Path) -> list[Listed]:
    display = display_path(path)
    grid = _grid(path, display)
    header = next(
        (i for i, row in enumerate(grid.rows[:HEADER_SCAN]) if _column(row, NAME_WORDS) is not None), None
    )
    if header is None:
        raise UserError.at(Location(display), fact("web.roster.no_header"))
    name_at = _column(grid.rows[header], NAME_WORDS)
    login_at = _column(grid.rows[header], LOGIN_WORDS)
    assert name_at is not None
    listed: list[Listed] = []
    problems: list[Problem] = []
    seen: dict[str, Where] = {}
    for row in grid.rows[header + 1 :]:
        name = _cell(row, name_at).strip()
        login = _cell(row, login_at).strip() if login_at is not None else ""
        if not name and not login:
            continue
        where = row.at(name_at)
        problem = _problem(name, login, seen)
        if problem:
            problems.append(Problem(Location(display, where, None if is_blank(name) else name), problem))
            continue
        seen[department_key(name)] = where
        listed.append(Listed(name, login, where))
    if problems:
        raise UserError(problems)
    if not listed:
        raise UserError.at(Location(display), fact("web.roster.empty"))
    return listed


def _grid(path: Path, display: str) -> Grid:
    if kind_of(path, display, text_suffixes=(".csv",)) == WORKBOOK or is_workbook(path):
        from scorer.sources.grid_xlsx import read_table_xlsx

        return read_table_xlsx(path, display, NAME_WORDS)
    return _csv(path, display)


def _csv(path: Path, display: str) -> Grid:
    """Comma- or tab-separated, UTF-8, UTF-16 with its mark, or GBK/GB18030 (as Excel saves it)."""
    import csv
    import io

    from scorer.sources.grid_text import decode

    text = decode(read_bytes(path, display), display)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), dialect="excel-tab" if "\t" in first else "excel")
    rows: list[GridRow] = []
    try:
        for record in reader:
            rows.append(GridRow(tuple(record), tuple(reader.line_num for _ in record) or (reader.line_num,)))
    except csv.Error as exc:
        raise UserError.at(
            Location(display, reader.line_num), fact("audit.read.bad_text", why=str(exc))
        ) from None
    return Grid(display, tuple(rows))


def _column(row: GridRow, words: frozenset[str]) -> int | None:
    return next((i for i, cell in enumerate(row.cells) if "".join(cell.split()).lower() in words), None)


def _cell(row: GridRow, index: int | None) -> str:
    return row.cells[index] if index is not None and index < len(row.cells) else ""


def name_problem(name: str) -> Fact | None:
    """Why a department's name cannot be one: empty, too long, or holding a line break or a control character
    (a name is one line of plain text: it is shown on pages, in file names and in every workbook)."""
    if not name or is_blank(name):
        return fact("web.roster.no_name")
    if len(name) > 200:
        return fact("web.roster.long_name")
    if visible(name) != name or any(c in name for c in "\r\n\t"):
        return fact("web.roster.control", name=visible(name).replace("\n", "\\n").replace("\t", "\\t"))
    return None


def _problem(name: str, login: str, seen: dict[str, Where]) -> Fact | None:
    problem = name_problem(name)
    if problem:
        return problem
    first = seen.get(department_key(name))
    if first is not None:
        return fact("web.roster.twice", first=str(first))
    if login and not LOGIN.fullmatch(login):
        return fact("web.roster.bad_login", login=login)
    return None
