"""A columnar sheet (`批量.csv`, `批量.xlsx`): one department per row, one column per input.

The columns (`score template --batch` writes them, docs/batch.md lists them):

- `department`, `year`, `units` (a project's sheet: `department`, `project`, `year`), `budget.total`, `budget.basic`,
  `budget.project`;
- `<indicator>.<input>` for each input of a formula (`budget_execution.execution_rate`);
- for every indicator a person scores, `<indicator>.score` (自评分: the row's score as the 自评表 asks it, the
  reason required below the weight; read by scorer/inputs/typed.py as the clerk's workbook's is);
- for every indicator, `<indicator>.deduction` (points lost), `<indicator>.reason` (未达标原因, also the reason
  of an override), `<indicator>.improvement` (改进措施) and `<indicator>.override` (a score that replaces the
  computed one).

The header row is the first row whose first cell is `department`; rows above it (the template's Chinese labels)
are passed over, so are empty rows. Each row becomes the same inputs document a YAML file would give, every value
located at its row (`批量.csv:7:`) or cell (`批量.xlsx:部门!E7`), and is checked by the same inputs reader.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from scorer.errors import LineMap, Location, PathKey, Problem, UserError, did_you_mean
from scorer.escape import one_line
from scorer.facts import Fact, fact, joined, said, separated
from scorer.i18n import t
from scorer.inputs.typed import asks_score
from scorer.kinds.rows import kind_rows
from scorer.rounding import fmt
from scorer.rules.model import RuleSet
from scorer.sources.limits import MAX_FILE_BYTES
from scorer.sources.xlsx_open import SHEET, Checked, check, letters, open_book, sheet_named
from scorer.sources.yaml import open_regular

MAX_SHEET_BYTES = 200 * MAX_FILE_BYTES  # a CSV sheet: a district's thousands of rows fit many times over
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = SHEET.columns  # cells a row may hold (the 2022 rules have 121 columns)
SHOWN = 10  # columns or cells a message names before "and N more"
PER_INDICATOR = ("deduction", "reason", "improvement", "override")
PER_JUDGED = ("score",)  # besides those, on a row a person scores (自评分)


@dataclass(frozen=True)
class Column:
    key: str  # as in the header row
    path: PathKey  # where its value goes in the inputs document
    label: str  # the Chinese (or English) label the template shows above it
    kind: str  # integer | number | percent | money | text


def columns(rules: RuleSet, lang: str | None = None) -> list[Column]:
    """Every column a sheet for `rules` may have, in the template's order."""
    if (
        rules.form.layout == "project"
    ):  # a unit's project: its 项目名称; no 单位数, which its table never shows
        cols = [
            Column("department", ("department",), t("workbook.project.field.department", lang), "text"),
            Column("project", ("project",), t("batch.project", lang), "text"),
            Column("year", ("year",), t("batch.col.year", lang), "integer"),
        ]
    else:
        cols = [
            Column("department", ("department",), t("batch.col.department", lang), "text"),
            Column("year", ("year",), t("batch.col.year", lang), "integer"),
            Column("units", ("units",), t("batch.col.units", lang), "integer"),
        ]
    read = {
        s.name.removeprefix("budget_") for i in rules.indicators for s in i.inputs if s.shared == "budget"
    }
    for part in ("total", "basic", "project", *sorted(read - {"total", "basic", "project"})):
        label = t("batch.col.budget", lang, part=t(f"budget.{part}", lang))
        cols.append(Column(f"budget.{part}", ("budget", part), label, "money"))
    for spec in rules.shared:  # the inputs the rubric declares once for several rows
        unit = f"（{spec.unit}）" if spec.unit else ""
        cols.append(Column(f"shared.{spec.name}", ("shared", spec.name), f"{spec.label}{unit}", spec.type))
    for indicator in rules.indicators:
        base = ("indicators", indicator.id)
        for spec in (s for s in indicator.inputs if not s.shared):
            unit = f"（{spec.unit}）" if spec.unit else ""
            label = f"{indicator.title}｜{spec.label}{unit}"
            cols.append(Column(f"{indicator.id}.{spec.name}", base + (spec.name,), label, spec.type))
        for spec in kind_rows(indicator, lang or "zh"):  # a graded row's pick, the alternative chosen
            label = f"{indicator.title}｜{spec.label}"
            kind = "number" if spec.type == "number" else "text"
            cols.append(
                Column(f"{indicator.id}.{spec.name}", base + tuple(spec.name.split(".")), label, kind)
            )
        for what in (*(PER_JUDGED if asks_score(indicator) else ()), *PER_INDICATOR):
            label = f"{indicator.title}｜{t(f'batch.col.{what}', lang)}"
            kind = "number" if what in ("score", "deduction", "override") else "text"
            cols.append(Column(f"{indicator.id}.{what}", base + (what,), label, kind))
    return cols


@dataclass(frozen=True)
class Row:
    """One department's row, read into an inputs document, or the problems that keep it from being read."""

    number: int  # the row in the sheet, as a spreadsheet numbers it
    data: dict[str, Any]
    lines: LineMap
    labels: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # cell → indicator, column


class _Header:
    """The header row's columns, or one problem for each kind of mistake in it (unknown names, a name twice)."""

    def __init__(self, rules: RuleSet, cells: list[Any], where: Location, number: int):
        known = {c.key: c for c in columns(rules)}
        self.display = where.path
        self.titles = {i.id: i.title for i in rules.indicators}
        self.positions: list[tuple[int, Column]] = []
        unknown: list[str] = []
        places: dict[str, list[str]] = {}
        for index, cell in enumerate(cells):
            key = str(cell).strip() if cell is not None else ""
            if not key:
                continue
            column = known.get(key)
            if column is None:
                unknown.append(key)
                continue
            places.setdefault(key, []).append(f"{letters(index + 1)}{number}")
            self.positions.append((index, column))
        self.named = {index for index, _ in self.positions}
        problems = []
        if len(unknown) == 1:
            problems.append(
                Problem(
                    where,
                    fact("batch.unknown_column", column=unknown[0], hint=did_you_mean(unknown[0], known)),
                )
            )
        elif unknown:
            named = separated(
                said(", "),
                (joined(f"'{one_line(key)[:60]}'", did_you_mean(key, known)) for key in unknown[:SHOWN]),
            )
            problems.append(
                Problem(
                    where,
                    fact(
                        "batch.unknown_columns",
                        count=f"{len(unknown):,}",
                        columns=joined(named, _more(unknown)),
                    ),
                )
            )
        twice = [f"'{key}' ({', '.join(cells)})" for key, cells in places.items() if len(cells) > 1]
        if twice:
            problems.append(
                Problem(
                    where,
                    fact("batch.duplicate_columns", columns=joined(", ".join(twice[:SHOWN]), _more(twice))),
                )
            )
        if problems:
            raise UserError(problems)

    def row(self, number: int, cells: list[Any], where: Any) -> Row | UserError | None:
        """`where(index)` names a cell (a row number for CSV, `部门!E7` for a workbook)."""
        unnamed = [
            index for index, value in enumerate(cells) if index not in self.named and not _blank(value)
        ]
        if unnamed:  # a value no column names would be lost: the row is refused, its cells named
            shown = joined(
                ", ".join(f"{letters(index + 1)}{number}" for index in unnamed[:SHOWN]), _more(unnamed)
            )
            return UserError.at(
                Location(self.display, where(unnamed[0])), fact("batch.values_without_column", cells=shown)
            )
        data: dict[str, Any] = {}
        lines = LineMap({(): where(0)})
        blank: dict[PathKey, int | str] = {}
        labels: dict[str, tuple[str | None, str | None]] = {}
        for index, column in self.positions:
            cell = where(index)
            if isinstance(cell, str):  # a workbook's cell: its problems name the column, not the inputs key
                indicator = self.titles.get(str(column.path[1])) if column.path[0] == "indicators" else None
                labels[cell] = (indicator, column.key)
            value = _value(cells[index] if index < len(cells) else None, column.kind)
            if value is None:
                blank[column.path] = cell  # a missing input is located at its own empty cell
                continue
            lines.lines[column.path] = cell
            _put(data, column.path, value, lines, cell)
        if not data:
            return None  # an empty row
        for path, cell in blank.items():
            if path[-1] not in PER_INDICATOR:  # those are placed by _shape
                lines.lines.setdefault(path, cell)
        data.setdefault("department", "")
        for ident, entry in (data.get("indicators") or {}).items():
            _shape(entry, ("indicators", ident), lines.lines, blank)
        return Row(number, data, lines, labels)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _more(items: list[Any]) -> Fact | None:
    """What follows the first SHOWN items of a list a message names: ", and 7 more"."""
    return fact("batch.and_more", count=f"{len(items) - SHOWN:,}") if len(items) > SHOWN else None


def _put(data: dict[str, Any], path: PathKey, value: Any, lines: LineMap, cell: Any) -> None:
    target = data
    for depth, part in enumerate(path[:-1]):
        target = target.setdefault(str(part), {})
        lines.lines.setdefault(path[: depth + 1], cell)
    target[str(path[-1])] = value


def _shape(
    entry: dict[str, Any], base: PathKey, lines: dict[PathKey, int | str], blank: dict[PathKey, int | str]
) -> None:
    """The per-indicator columns as the inputs file spells them: an override with its reason, or a deduction,
    each part located at its own cell (an empty one when that part is missing)."""
    points, reason, override = (
        entry.pop("deduction", None),
        entry.pop("reason", None),
        entry.pop("override", None),
    )
    cell = {
        what: lines.get(base + (what,)) or blank.get(base + (what,))
        for what in ("deduction", "reason", "override")
    }
    if entry.get("score") is not None and override is None and points is None and reason is not None:
        entry["reason"] = reason  # the typed score's reason, as the clerk's workbook reads it
        reason = None
    score_cell = lines.get(base + ("score",)) or blank.get(base + ("score",))
    lines[base + ("reason",)] = cell["reason"] or score_cell or 0  # a typed score's missing reason: said here
    if override is not None:
        entry["override"] = {"score": override, **({"reason": reason} if reason is not None else {})}
        lines[base + ("override",)] = lines[base + ("override", "score")] = cell["override"] or 0
        lines[base + ("override", "reason")] = cell["reason"] or cell["override"] or 0
        reason = None
    if points is not None or reason is not None:  # with an override: refused by the reader, as in a YAML file
        item: dict[str, Any] = {}
        if points is not None:
            item["points"] = points
        if reason is not None:
            item["reason"] = reason
        entry["deductions"] = [item]
        first = cell["deduction"] or cell["reason"] or 0
        lines[base + ("deductions", 0)] = lines[base + ("deductions", 0, "points")] = first
        lines[base + ("deductions", 0, "reason")] = cell["reason"] or first


def _value(cell: Any, kind: str) -> Any:
    """A cell as the inputs reader expects it; None when empty."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        cell = Decimal(repr(cell))
    if isinstance(cell, int | Decimal):
        if kind == "text":
            return fmt(cell)
        return int(cell) if kind == "integer" and cell == int(cell) else cell
    text = str(cell).strip()
    if not text:
        return None
    if kind in ("integer", "number", "money", "percent") and "_" not in text:  # Decimal reads "1_0" as 10
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text  # "98.88%", "11,887.73", "15份": read by the inputs reader as the clerk wrote them
        if number.is_finite():
            return int(number) if kind == "integer" and number == int(number) else number
    return text


# ---- CSV ----


def read_csv(path: Path, display: str, rules: RuleSet) -> Iterator[Row | UserError]:
    """Each department's row of a CSV sheet, read a row at a time."""
    import io
    import os

    from scorer.sources.encoding import detect

    raw = os.fdopen(open_regular(path, display), "rb")  # a regular file: never a device or a pipe
    try:
        if os.fstat(raw.fileno()).st_size > MAX_SHEET_BYTES:
            raise UserError.at(Location(display), fact("yaml.too_large", limit=f"{MAX_SHEET_BYTES:,}"))
        encoding = detect(raw, display)  # the whole file: reading it can no longer fail half-way
        raw.seek(0)
        handle = io.TextIOWrapper(raw, encoding=encoding, newline="")
    except BaseException:
        raw.close()
        raise
    with handle:
        first = handle.read(4096)
        handle.seek(0)
        dialect = "excel-tab" if "\t" in first.split("\n", 1)[0] else "excel"
        reader = csv.reader(handle, dialect=dialect)
        try:
            yield from _rows(reader, display, rules, lambda number, index: number)
        except (UnicodeDecodeError, csv.Error) as exc:  # the file changed while it was read, or a NUL byte
            where = Location(display, reader.line_num or None)
            yield UserError.at(where, fact("yaml.cannot_read", reason=str(exc)[:120]))


# ---- XLSX ----


def columnar_workbook(path: Path, display: str) -> Checked | None:
    """The checked workbook when it has a `部门` / `departments` sheet, None when it is a clerk's workbook (its
    own reader checks it as one). A workbook that cannot be opened safely is refused here, before openpyxl
    reads any of it."""
    checked = check(path, display, SHEET)
    return checked if _sheet_name(checked) is not None else None


def sheet_of_departments(checked: Checked) -> str | None:
    """The name of a checked workbook's `部门` / `departments` sheet (a batch sheet's), or None."""
    return _sheet_name(checked)


def _sheet_name(checked: Checked) -> str | None:
    from scorer.i18n import LANGUAGES

    return sheet_named(checked, {t("batch.sheet.departments", lang) for lang in LANGUAGES})


def read_xlsx(checked: Checked, rules: RuleSet) -> Iterator[Row | UserError]:
    """Each department's row of the `部门` sheet of a checked workbook (`columnar_workbook`), read in openpyxl's
    streaming mode."""
    display = checked.display
    name = _sheet_name(checked)
    book = open_book(checked, read_only=True)
    try:
        if name is None or name not in book.sheetnames:
            raise UserError.at(
                Location(display), fact("batch.no_sheet", sheet=fact("batch.sheet.departments"))
            )
        sheet = book[name]
        sheet.reset_dimensions()  # every row as far as its cells go: a dimension claimed too small cuts columns

        def where(number: int, index: int) -> str:
            return f"{name}!{letters(index + 1)}{number}"

        cells = ([_cell(c) for c in row] for row in sheet.iter_rows())
        try:
            yield from _rows(cells, display, rules, where)
        except UserError:
            raise
        except Exception:  # a value openpyxl cannot read in a well-formed sheet
            yield UserError.at(Location(display), fact("workbook.not_a_workbook"))
    finally:
        book.close()


def _cell(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    percent = "%" in (getattr(cell, "number_format", None) or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and percent:  # 0.934 shown as 93.40%
        return f"{fmt(Decimal(repr(float(value))).scaleb(2))}%"
    return value


def _rows(cells: Any, display: str, rules: RuleSet, where: Any) -> Iterator[Row | UserError]:
    header: _Header | None = None
    for number, row in enumerate(cells, start=1):
        if len(row) > MAX_COLUMNS and any(not _blank(value) for value in row[MAX_COLUMNS:]):
            # No sheet for any rules is this wide: one refusal for the file, not one for each cell.
            limit = f"{MAX_COLUMNS:,}"
            yield UserError.at(
                Location(display, where(number, 0)),
                fact("batch.too_wide", count=f"{len(row):,}", limit=limit),
            )
            return
        if header is None:
            first = str(row[0]).strip() if row and row[0] is not None else ""
            if first == "department":
                header = _Header(rules, list(row), Location(display, where(number, 0)), number)
            elif number >= HEADER_SCAN_ROWS:
                break
            continue
        read = header.row(number, list(row), lambda index, n=number: where(n, index))
        if read is not None:
            yield read
    if header is None:
        yield UserError.at(Location(display), fact("batch.no_header"))
