"""A columnar sheet (`批量.csv`, `批量.xlsx`): one department per row, one column per input.

The columns (`score template --batch` writes them, docs/batch.md lists them):

- `department`, `year`, `units`, `budget.total`, `budget.basic`, `budget.project`;
- `<indicator>.<input>` for each input of a formula (`budget_execution.execution_rate`);
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

from scorer.i18n import t
from scorer.load.kind_rows import kind_rows
from scorer.load.yamlio import MAX_FILE_BYTES
from scorer.model.problems import LineMap, Location, PathKey, Problem, UserError, did_you_mean
from scorer.model.rules import RuleSet
from scorer.rounding import fmt

MAX_SHEET_BYTES = 200 * MAX_FILE_BYTES  # a district's thousands of rows fit many times over
HEADER_SCAN_ROWS = 20
PER_INDICATOR = ("deduction", "reason", "improvement", "override")


@dataclass(frozen=True)
class Column:
    key: str  # as in the header row
    path: PathKey  # where its value goes in the inputs document
    label: str  # the Chinese (or English) label the template shows above it
    kind: str  # integer | number | percent | money | text


def columns(rules: RuleSet, lang: str | None = None) -> list[Column]:
    """Every column a sheet for `rules` may have, in the template's order."""
    cols = [
        Column("department", ("department",), t("batch.col.department", lang), "text"),
        Column("year", ("year",), t("batch.col.year", lang), "integer"),
        Column("units", ("units",), t("batch.col.units", lang), "integer"),
    ]
    for part in ("total", "basic", "project"):
        label = t("batch.col.budget", lang, part=t(f"budget.{part}", lang))
        cols.append(Column(f"budget.{part}", ("budget", part), label, "money"))
    for indicator in rules.indicators:
        base = ("indicators", indicator.id)
        for spec in indicator.inputs:
            unit = f"（{spec.unit}）" if spec.unit else ""
            label = f"{indicator.title}｜{spec.label}{unit}"
            cols.append(Column(f"{indicator.id}.{spec.name}", base + (spec.name,), label, spec.type))
        for spec in kind_rows(indicator, lang or "zh"):  # a graded row's pick, the alternative chosen
            label = f"{indicator.title}｜{spec.label}"
            kind = "number" if spec.type == "number" else "text"
            cols.append(
                Column(f"{indicator.id}.{spec.name}", base + tuple(spec.name.split(".")), label, kind)
            )
        for what in PER_INDICATOR:
            label = f"{indicator.title}｜{t(f'batch.col.{what}', lang)}"
            kind = "number" if what in ("deduction", "override") else "text"
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
    def __init__(self, rules: RuleSet, cells: list[Any], where: Location):
        known = {c.key: c for c in columns(rules)}
        self.titles = {i.id: i.title for i in rules.indicators}
        self.positions: list[tuple[int, Column]] = []
        problems = []
        for index, cell in enumerate(cells):
            key = str(cell).strip() if cell is not None else ""
            if not key:
                continue
            column = known.get(key)
            if column is None:
                hint = did_you_mean(key, known)
                problems.append(Problem(where, t("batch.unknown_column", column=key, hint=hint)))
                continue
            self.positions.append((index, column))
        if problems:
            raise UserError(problems)

    def row(self, number: int, cells: list[Any], where: Any) -> Row | None:
        """`where(index)` names a cell (a row number for CSV, `部门!E7` for a workbook)."""
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
    if kind in ("integer", "number", "money", "percent"):
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
    from scorer.load.encoding import detect

    try:
        encoding = detect(path, display)  # the whole file: reading it can no longer fail half-way
        handle = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise UserError.at(Location(display), t("yaml.cannot_read", reason=str(exc.strerror))) from None
    with handle:
        first = handle.read(4096)
        handle.seek(0)
        dialect = "excel-tab" if "\t" in first.split("\n", 1)[0] else "excel"
        reader = csv.reader(handle, dialect=dialect)
        try:
            yield from _rows(reader, display, rules, lambda number, index: number)
        except (UnicodeDecodeError, csv.Error) as exc:  # the file changed while it was read, or a NUL byte
            where = Location(display, reader.line_num or None)
            yield UserError.at(where, t("yaml.cannot_read", reason=str(exc)[:120]))


# ---- XLSX ----


def is_columnar_workbook(path: Path) -> bool:
    """A workbook with a `部门` / `departments` sheet rather than a clerk's 指标 sheet."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # a damaged file is reported by the reader that opens it
        return False
    try:
        return _sheet_name(book) is not None
    finally:
        book.close()


def _sheet_name(book: Any) -> str | None:
    from scorer.i18n import LANGUAGES

    names = {t("batch.sheet.departments", lang) for lang in LANGUAGES}
    return next((name for name in book.sheetnames if name.strip() in names), None)


def read_xlsx(path: Path, display: str, rules: RuleSet) -> Iterator[Row | UserError]:
    """Each department's row of the workbook's `部门` sheet, read in openpyxl's streaming mode."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        if path.stat().st_size > MAX_SHEET_BYTES:
            raise UserError.at(Location(display), t("yaml.too_large", limit=f"{MAX_SHEET_BYTES:,}"))
        book = load_workbook(path, read_only=True, data_only=True)
    except UserError:
        raise
    except Exception:
        raise UserError.at(Location(display), t("workbook.not_a_workbook")) from None
    try:
        name = _sheet_name(book)
        if name is None:
            raise UserError.at(Location(display), t("batch.no_sheet", sheet=t("batch.sheet.departments")))
        sheet = book[name]
        letters = [get_column_letter(i + 1) for i in range(sheet.max_column or 1)]

        def where(number: int, index: int) -> str:
            letter = letters[index] if index < len(letters) else get_column_letter(index + 1)
            return f"{name}!{letter}{number}"

        cells = ([_cell(c) for c in row] for row in sheet.iter_rows())
        yield from _rows(cells, display, rules, where)
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
        if header is None:
            first = str(row[0]).strip() if row and row[0] is not None else ""
            if first == "department":
                header = _Header(rules, list(row), Location(display, where(number, 0)))
            elif number >= HEADER_SCAN_ROWS:
                break
            continue
        read = header.row(number, list(row), lambda index, n=number: where(n, index))
        if read is not None:
            yield read
    if header is None:
        yield UserError.at(Location(display), t("batch.no_header"))
