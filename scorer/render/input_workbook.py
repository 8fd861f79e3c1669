"""`score template -o 自评输入.xlsx`: the workbook a clerk fills in Excel or LibreOffice instead of a YAML file.

The 26 rows in the 自评表's order and wording, one yellow input cell per formula input with its label, unit and
data validation, columns for a deduction (分值, 未达标原因) and 改进措施 on every row, a sheet for the 申报表's 绩效指标,
one for 部门基本情况 and the report's narrative, and a sheet of instructions. Everything else is protected (no
password: protection only keeps a clerk from typing over the form by accident). `--from` pre-fills it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scorer.errors import PathKey, Problem, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs import workbook_layout as layout
from scorer.inputs.typed import asks_score, judged
from scorer.kinds import registry
from scorer.kinds.base import InputSpec
from scorer.kinds.targets.model import DeclaredTarget
from scorer.render.input_workbook_formula import computed_score
from scorer.render.input_workbook_kinds import CHOICE_TYPES, choose_from, given_choice, kind_rows
from scorer.render.input_workbook_look import printed_to_width, tall_enough
from scorer.render.input_workbook_profile import (
    in_project_words,
    profile_cells,
    profile_fields,
    profile_title,
    shared_row,
)
from scorer.render.xlsx_cells import CELL_LIMIT, choices, put, save, units, workbook
from scorer.rounding import fmt
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.yaml import YamlDocument

FONT = "SimSun"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: the cells to fill
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_template(
    rules: RuleSet,
    lang: str,
    given: dict[str, Any] | None,
    declared: list[DeclaredTarget],
    served: bool = False,
) -> bytes:
    """The workbook for `rules`, in `lang`, pre-filled from `given` (an inputs file's data) and `declared`;
    `served`: downloaded from the web workplace, whose clerks upload it on the page (no command line)."""
    given = given or {}
    book = workbook(lang)
    first = book.active
    assert first is not None
    book.remove(first)
    sheets = {role: book.create_sheet(t(f"workbook.sheet.{role}", lang)) for role in layout.SHEETS}
    _instructions(sheets[layout.INSTRUCTIONS], rules, lang, served)
    elsewhere = profile_cells(rules, sheets[layout.PROFILE].title)
    _indicators(sheets[layout.INDICATORS], rules, lang, given.get("indicators") or {}, elsewhere)
    _targets(sheets[layout.TARGETS], rules, lang, given.get("indicators") or {}, declared)
    _profile(sheets[layout.PROFILE], rules, lang, given)
    tall_enough(sheets[layout.INSTRUCTIONS])
    for sheet in sheets.values():
        printed_to_width(sheet)
        sheet.protection.sheet = True  # no password: it only guards the form against slips
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    book.active = 1
    return save(book)


def refuse_overlong(document: YamlDocument) -> None:
    """Refuse, at its file and line, a text of the inputs longer than a cell holds: the clerk's workbook is read
    back cell by cell, so a text carried over to another sheet would come back cut."""
    problems = []
    for path, text in _texts(document.data, ()):
        if units(text) > CELL_LIMIT:
            where = document.at(
                path, str(path[1]) if len(path) > 2 and path[0] == "indicators" else None, str(path[-1])
            )
            problems.append(
                Problem(
                    where, fact("workbook.text_too_long", length=f"{units(text):,}", limit=f"{CELL_LIMIT:,}")
                )
            )
    if problems:
        raise UserError(problems)


def _texts(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _header(sheet: Worksheet, title: str, columns: tuple[tuple[str, int], ...], lang: str) -> None:
    put(sheet, 1, 1, title).font = Font(
        name=FONT, bold=True, size=14
    )  # a rubric's title: text, never a formula
    for index, (key, width) in enumerate(columns, start=1):
        cell = put(sheet, 2, index, t(key, lang))
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=layout.FIRST_ROW, column=1)


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, editable: bool = False) -> Any:
    cell = put(
        sheet, row, column, value
    )  # what a file says is text, escaped and whole (render/xlsx_cells.py)
    cell.font = Font(name=FONT)
    cell.alignment = _WRAP
    if editable:
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)
    return cell


def _instructions(sheet: Worksheet, rules: RuleSet, lang: str, served: bool) -> None:
    sheet.column_dimensions["A"].width = 110
    project = rules.form.layout == "project"  # the form's own words
    title = "workbook.project.instructions_title" if project else "workbook.instructions_title"
    put(sheet, 1, 1, t(title, lang, year=rules.year)).font = Font(name=FONT, bold=True, size=14)
    listed = t("list.separator", lang).join(i.id for i in rules.indicators if i.targets is not None) or "—"
    words = "workbook.project.instructions" if project else "workbook.instructions"
    text = t(words, lang, year=rules.year, targets=listed)
    lines = text.split("\n")
    if served:  # its last two steps run `score`: on the web, the page reads and scores the upload
        lines = [*lines[:-2], t("workbook.served_upload", lang), t("workbook.served_problems", lang)]
        by_command, by_page = t("workbook.scored_by_command", lang), t("workbook.scored_by_page", lang)
        lines = [line.replace(by_command, by_page) for line in lines]  # whose score counts: the page's
    for row, line in enumerate(lines, start=3):
        _put(sheet, row, 1, line)


def _indicators(
    sheet: Worksheet, rules: RuleSet, lang: str, given: dict[str, Any], elsewhere: dict[str, str]
) -> None:
    _header(
        sheet,
        t("workbook.sheet_title", lang, year=rules.year, title=rules.title),
        layout.INDICATOR_COLUMNS,
        lang,
    )
    validations: dict[str, DataValidation] = {}
    row = layout.FIRST_ROW
    for indicator in rules.indicators:
        entry = given.get(indicator.id) or {}
        asked = [spec for spec in indicator.inputs if not spec.shared]  # a shared one is on 基本情况
        specs: list[InputSpec | None] = [*asked, *kind_rows(indicator, lang)] or [None]
        deductions = [d for d in entry.get("deductions") or [] if "code" not in d]
        for position, spec in enumerate(specs):
            _row(sheet, row, indicator, spec, lang)
            if spec is not None and spec.type in CHOICE_TYPES:  # a yes/no answer, a grade, a choice, a reason
                cell = _put(sheet, row, layout.VALUE, given_choice(entry, spec), editable=True)
                choose_from(sheet, spec, cell.coordinate, indicator, lang)
            elif spec is not None:
                value = (
                    entry.get(spec.name)
                    if "." not in spec.name
                    else (entry.get("judgement") or {}).get("score")
                )
                cell = _put(sheet, row, layout.VALUE, _given_number(value), editable=True)
                _validate(sheet, validations, spec, cell.coordinate, lang)
            deduction = deductions[position] if position < len(deductions) else {}
            override = (entry.get("override") or {}) if position == 0 else {}
            typed = _typed_score(indicator, entry, deductions, len(specs)) if position == 0 else None
            _score(sheet, row, indicator, entry if position == 0 else None, typed, lang, elsewhere)
            _put(sheet, row, layout.POINTS, _given_number(deduction.get("points")), editable=True)
            own = (
                entry.get("reason") if position == 0 else None
            )  # a formula row's 未达标原因 in its own words
            _put(
                sheet,
                row,
                layout.REASON,
                override.get("reason") or deduction.get("reason") or own,
                editable=True,
            )
            _put(
                sheet,
                row,
                layout.OVERRIDE,
                _given_number(override.get("score")),
                editable=position == 0 and (not asks_score(indicator) or bool(override)),
            )
            improvement = entry.get("improvement") or deduction.get("improvement") if position == 0 else None
            _put(sheet, row, layout.IMPROVEMENT, improvement, editable=position == 0)
            row += 1
    sheet.column_dimensions[get_column_letter(layout.INPUT)].hidden = True  # read back, not shown


def _score(
    sheet: Worksheet,
    row: int,
    indicator: Indicator,
    entry: dict[str, Any] | None,
    typed: Any,
    lang: str,
    elsewhere: dict[str, str],
) -> None:
    """The 自评分 cell: typed on a judged row's first line; on a computed row it says the score is computed."""
    if entry is not None and asks_score(indicator):
        _put(sheet, row, layout.SCORE, _given_number(typed), editable=True)
        return
    shown = t("workbook.score_computed", lang) if entry is not None else None
    cell = _put(sheet, row, layout.SCORE, shown)
    cell.fill = PatternFill("solid", fgColor="EDEDED")
    if entry is not None:
        computed_score(cell, indicator, row, elsewhere)


def _typed_score(indicator: Indicator, entry: dict[str, Any], deductions: list[Any], rows: int) -> Any:
    """The row's 自评分 as given or, for a judged row given only by its deductions, the weight less them: the
    form's own column then agrees with the deductions written beside it, and the workbook reads back as the inputs
    file scores (a deduction alone of more than half the weight would read as a score typed in the wrong column)."""
    if "score" in entry or not judged(indicator, entry) or not deductions or len(deductions) > rows:
        return entry.get("score")
    if len(deductions) != len(entry.get("deductions") or []):  # declared codes are not on this sheet
        return None
    try:
        lost = sum((Decimal(str(d.get("points"))) for d in deductions), Decimal(0))
    except (ArithmeticError, AttributeError):
        return None
    return indicator.weight - lost if lost.is_finite() and 0 <= lost <= indicator.weight else None


def _title(indicator: Indicator, lang: str) -> str:
    return indicator.name_en if lang == "en" and indicator.name_en else indicator.name


def _row(sheet: Worksheet, row: int, indicator: Indicator, spec: InputSpec | None, lang: str) -> None:
    name = _title(indicator, lang)
    for column, value in (
        (layout.LEVEL1, indicator.level1), (layout.LEVEL2, indicator.level2), (layout.NAME, name),
        (layout.WEIGHT, float(indicator.weight) if indicator.weight != int(indicator.weight) else int(indicator.weight)),
        (layout.EXPLANATION, indicator.explanation), (layout.ID, indicator.id),
        (layout.INPUT_LABEL, _label(indicator, spec, lang)),
        (layout.UNIT, spec.unit if spec else ""), (layout.INPUT, spec.name if spec else None),
    ):  # fmt: skip
        _put(sheet, row, column, value)
    if spec is None:
        sheet.cell(row=row, column=layout.VALUE).fill = PatternFill("solid", fgColor="EDEDED")


def _label(indicator: Indicator, spec: InputSpec | None, lang: str) -> str:
    if spec is None:
        return t("workbook.no_input", lang)
    # Shown as evidence (a ratio) in the results; the row's score is typed.
    if registry.kind(indicator.scoring).evidence_only:
        return t("workbook.evidence_only", lang, label=spec.label)
    return spec.label


def _validate(
    sheet: Worksheet, known: dict[str, DataValidation], spec: InputSpec, where: str, lang: str
) -> None:
    """Excel's own check as the clerk types: a whole number or a number, within the input's declared range."""
    kind = "whole" if spec.type == "integer" else "decimal"
    low = fmt(spec.min) if spec.min is not None else "0"
    high = fmt(spec.max) if spec.max is not None else "1000000000000"
    key = f"{kind}:{low}:{high}"
    validation = known.get(key)
    if validation is None:
        validation = DataValidation(
            type=kind, operator="between", formula1=low, formula2=high, allow_blank=True
        )
        validation.error = t("workbook.invalid_number", lang, low=low, high=high)
        validation.errorTitle = t("workbook.invalid_title", lang)
        validation.prompt = t(
            "workbook.percent_prompt" if spec.type == "percent" else "workbook.number_prompt", lang
        )
        validation.showErrorMessage = validation.showInputMessage = True
        sheet.add_data_validation(validation)
        known[key] = validation
    validation.add(where)
    if spec.type == "percent":
        sheet[where].comment = Comment(t("workbook.percent_prompt", lang), "score")


def _targets(
    sheet: Worksheet, rules: RuleSet, lang: str, given: dict[str, Any], declared: list[DeclaredTarget]
) -> None:
    _header(sheet, t("workbook.targets_title", lang), layout.TARGET_COLUMNS, lang)
    rows: list[tuple[Indicator, dict[str, Any]]] = []
    for indicator in rules.indicators:
        if indicator.targets is None:
            continue
        rows += [(indicator, dict(item)) for item in (given.get(indicator.id) or {}).get("targets") or []]
        rows += [
            (indicator, {"name": d.name, "category": d.category, "target": d.target})
            for d in declared
            if d.indicator == indicator.id
        ]
    with_targets = [i for i in rules.indicators if i.targets is not None]
    ids = choices([i.id for i in with_targets], error=False)
    judged = choices([t("target.met", lang), t("target.unmet", lang)], error=False)
    lists = [
        (validation, column)
        for validation, column in ((ids, layout.T_ID), (judged, layout.T_JUDGED))
        if validation
    ]
    for validation, _ in lists:
        sheet.add_data_validation(validation)
    for offset in range(max(layout.TARGET_ROWS, len(rows) + 10)):
        row = layout.FIRST_ROW + offset
        listed: Indicator | None = rows[offset][0] if offset < len(rows) else None
        item = rows[offset][1] if offset < len(rows) else {}
        _put(sheet, row, layout.T_INDICATOR, _title(listed, lang) if listed else None)
        _put(sheet, row, layout.T_ID, listed.id if listed else None, editable=True)
        for column, key in ((layout.T_CATEGORY, "category"), (layout.T_NAME, "name"), (layout.T_TARGET, "target"),
                            (layout.T_ACTUAL, "actual"), (layout.T_REASON, "reason"),
                            (layout.T_WEIGHT, "weight")):  # fmt: skip
            value = item.get(key)
            _put(
                sheet,
                row,
                column,
                _given_number(value)
                if isinstance(value, int | Decimal) and not isinstance(value, bool)
                else value,
                editable=True,
            )
        met = item.get("met")
        shown = None if met is None else t("target.met" if met else "target.unmet", lang)
        _put(sheet, row, layout.T_JUDGED, shown, editable=True)
        for validation, column in lists:
            validation.add(sheet.cell(row=row, column=column).coordinate)


def _profile(sheet: Worksheet, rules: RuleSet, lang: str, given: dict[str, Any]) -> None:
    _header(
        sheet,
        t(profile_title(rules), lang),
        (("workbook.field", 26), ("workbook.key", 24), ("workbook.value", 90)),
        lang,
    )
    for row, (key, kind) in enumerate(profile_fields(rules), start=layout.FIRST_ROW):
        project = in_project_words(rules, key)
        label = t(f"workbook.project.field.{key}", lang) if project else t(f"workbook.field.{key}", lang)
        _put(sheet, row, layout.P_LABEL, label)
        _put(sheet, row, layout.P_KEY, key)
        value: Any = given
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if key == "year" and value is None:
            value = rules.year
        if key == "rubric" and value is None and rules.id:
            value = rules.name  # id/year: run, report and batch score the workbook under it, with no --rules
        cell = _put(
            sheet, row, layout.P_VALUE, _given_number(value) if kind != "long" else value, editable=True
        )
        if kind == "long":
            sheet.row_dimensions[row].height = 60
        if kind in ("integer", "money"):
            cell.number_format = "0" if kind == "integer" else "#,##0.00"
    shared = given.get("shared") or {}
    shared = shared if isinstance(shared, dict) else {}
    for row, spec in enumerate(
        rules.shared, start=shared_row(rules)
    ):  # the inputs several rows use, asked once
        _put(sheet, row, layout.P_LABEL, spec.label + (f"（{spec.unit}）" if spec.unit else ""))
        _put(sheet, row, layout.P_KEY, f"shared.{spec.name}")
        _put(sheet, row, layout.P_VALUE, _given_number(shared.get(spec.name)), editable=True)
    sheet.column_dimensions[get_column_letter(layout.P_KEY)].hidden = True


def _given_number(value: Any) -> Any:
    """A number from an inputs file as the workbook should hold it: a number where it is one, else the text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:  # "98.88%", "11,887.73": text the reader reads as the clerk wrote it
        return str(value)
    return int(number) if number == int(number) else float(number)
