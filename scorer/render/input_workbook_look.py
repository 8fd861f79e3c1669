"""How the clerk's workbook looks on paper and on screen where openpyxl leaves it to the office suite: a sheet
printed on landscape pages as wide as its columns (not a column a page), and the instructions' lines as tall as
their wrapped text (an office suite does not grow a row that a file gives no height)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from scorer.render.xlsx_cells import MAX_ROW_HEIGHT, units

LINE_HEIGHT = 15.0  # points a line of 11-point text takes
ROOM = 2  # characters a column's width keeps free of text


def printed_to_width(sheet: Worksheet) -> None:
    """Landscape, every column on the page's width, as many pages down as the rows need."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"


def tall_enough(sheet: Worksheet, column: str = "A") -> None:
    """Each row of `column` as tall as its text wraps to, in that column's width (a CJK character is two wide)."""
    width = max(int(sheet.column_dimensions[column].width or 10) - ROOM, 10)
    for cell in sheet[column]:
        if isinstance(cell.value, str) and cell.value:
            wide = units(cell.value) + sum(1 for char in cell.value if ord(char) > 0x2E7F)
            lines = -(-wide // width)
            if lines > 1:
                sheet.row_dimensions[cell.row].height = min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)
