"""The 自评分 a formula row of the clerk's workbook shows as its inputs are typed: the rule's formula written as an
Excel formula over that row's own input cells and, for a shared input or a part of the budget block, the cell of
基本情况 where it is typed (scorer/formula/excel.py), clamped to [0, weight] and rounded as
the row declares, as `score run` scores it.

It is a preview. The score that counts is `score run`'s, and the reader never reads this cell's value. So it shows
a number only where it agrees with the engine: blank while an input is blank, or is a value the reader would refuse
(text, a fraction for a percentage, out of its range, a whole number's decimals), or has more decimals than the
float computation keeps; blank where the formula cannot be evaluated (a division by zero); and where the formula, its rounding or its inputs have no faithful Excel
counterpart (half-even rounding, the year, an input answered by a choice), no formula at all: the cell says the
score is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from scorer.formula.excel import Untranslatable, excel_number, settled, to_excel
from scorer.inputs import workbook_layout as layout
from scorer.kinds import registry
from scorer.kinds.base import InputSpec
from scorer.render.xlsx_cells import put_formula
from scorer.rules.model import Indicator

# The rounding modes Excel has, for a value already clamped to [0, weight] (so `floor` is toward zero too).
_ROUNDING = {"half_up": "ROUND", "down": "ROUNDDOWN", "up": "ROUNDUP", "floor": "ROUNDDOWN"}
_NUMBERS = ("number", "integer", "percent")


def computed_score(cell: Cell, indicator: Indicator, first_row: int, elsewhere: Mapping[str, str]) -> None:
    """Put the row's live score into its 自评分 cell (locked, as the template's own), when it can be shown."""
    formula = score_formula(indicator, first_row, elsewhere)
    if formula is not None:  # built from the checked tree and cell names only; checked again as it is written
        put_formula(cell.parent, cell.row, cell.column, formula).number_format = "General"  # 9.88, 10


def score_formula(indicator: Indicator, first_row: int, elsewhere: Mapping[str, str]) -> str | None:
    """The 自评分 cell's formula for a formula row whose own inputs stand on the lines from `first_row` on, and
    whose shared inputs and budget parts stand where `elsewhere` says (a sheet-qualified absolute reference, by
    name); None when the row is not such a row or its score cannot be shown faithfully."""
    formula = indicator.formula
    function = _ROUNDING.get(indicator.rounding.mode)
    if (
        not registry.kind(indicator.scoring).by_formula
        or formula is None
        or function is None
        or indicator.kinds.spec is not None
        or indicator.kinds.conditions
    ):
        return None
    specs = {spec.name: spec for spec in indicator.inputs}
    if any(specs[name].type not in _NUMBERS for name in indicator.formula_inputs):
        return None
    asked = [spec for spec in indicator.inputs if not spec.shared]  # the order of the row's own lines
    cells = {spec.name: _cell(first_row + index) for index, spec in enumerate(asked)}
    # a shared input or budget part on 基本情况 (a row's own input of the same name is its own, as it scores)
    cells.update({s.name: elsewhere[s.name] for s in indicator.inputs if s.shared and s.name in elsewhere})
    if any(name not in cells for name in indicator.formula_inputs):  # a value typed nowhere in the workbook
        return None
    values = {name: _value(specs[name], cell) for name, cell in cells.items()}
    try:
        weight = excel_number(indicator.weight)
        guards = [guard for name in indicator.formula_inputs for guard in _guards(specs, name, cells, values)]
    except Untranslatable:
        return None
    reads = {name: values[name] for name in indicator.formula_inputs}
    expression = to_excel(formula, {**reads, "weight": weight})
    if expression is None:
        return None
    clamped = f"MAX(0,MIN({weight},{settled(expression)}))"
    score = f"{function}({clamped},{indicator.rounding.places})"
    preview = f'=IFERROR(IF(AND({",".join(guards)}),{score},""),"")'
    assert preview.startswith(layout.SCORE_PREVIEW)  # how the reader knows it
    return preview


def _cell(row: int) -> str:
    return f"${get_column_letter(layout.VALUE)}${row}"


def _percent_shown(cell: str) -> str:
    """True where the cell shows its number as a percentage (0.934 as 93.40%): the reader reads it as 93.4%."""
    return f'LEFT(CELL("format",{cell}),1)="P"'


def _value(spec: InputSpec, cell: str) -> str:
    """The input's value as the reader reads it from its cell."""
    if spec.type == "percent":
        return f"IF({_percent_shown(cell)},{settled(cell + '*100')},{cell})"
    return cell


def _guards(
    specs: dict[str, InputSpec], name: str, cells: dict[str, str], values: dict[str, str]
) -> list[str]:
    """What the input's cell must hold for the reader to take it: a number (not blank, not text), and the
    checks the reader makes of it."""
    spec, cell, value = specs[name], cells[name], values[name]
    guards = [f"COUNT({cell})=1", f"NOT(ISLOGICAL({cell}))"]  # TRUE counts as a number in LibreOffice
    if spec.type == "percent":  # 0.934 typed without its % reads as a fraction or a tiny percentage: refused
        guards.append(f"OR({_percent_shown(cell)},{value}>1,{value}<=0)")
    else:  # "93.4%" for a count or an amount is refused
        guards.append(f"NOT({_percent_shown(cell)})")
    # More decimals than the float computation keeps exactly (99.99999999999 would show 10 where the engine, exact,
    # truncates to 9.99): blank rather than a number that may differ.
    guards.append(f"{settled(value)}={value}")
    if spec.type == "integer":
        guards.append(f"{value}=INT({value})")
    if spec.min is not None:
        guards.append(f"{value}>={excel_number(spec.min)}")
    if spec.max is not None:
        guards.append(f"{value}<={excel_number(spec.max)}")
    bound = specs.get(spec.max_ref or "")
    if bound is not None and bound.type in _NUMBERS:  # at most another input of the row, when that is given
        guards.append(f"OR(COUNT({cells[bound.name]})=0,{value}<={values[bound.name]})")
    elif spec.max_ref is not None:
        raise Untranslatable(spec.max_ref)
    return guards
