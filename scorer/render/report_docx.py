"""The 自评报告 as a Word document: the built-in Title, Heading 1/2 and Normal styles (so a clerk can restyle it in
Word), a CJK font set for East Asian text too, a summary table in the Table Grid style, blanks highlighted.
python-docx is imported here only.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from scorer.model.result import Result
from scorer.render.options import RenderOptions
from scorer.render.report import Heading, Paragraph, Table, blocks

FONT = "SimSun"  # 宋体 for the body, as the published reports; Word and LibreOffice fall back to an installed CJK font
HEADING_FONT = "SimHei"  # 黑体 for headings


def render(result: Result, options: RenderOptions) -> bytes:
    document = Document()
    _styles(document)
    _a4(document)
    for block in blocks(result, options.lang):
        if isinstance(block, Heading):
            heading = document.add_heading(block.text, level=block.level)
            if block.level == 0:
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Paragraph):
            for line in block.text.splitlines() or [""]:
                paragraph = document.add_paragraph()
                run = paragraph.add_run(line)
                if block.blank:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                    run.bold = True
        elif isinstance(block, Table):
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _a4(document: Any) -> None:
    """A4 portrait with the margins of a Chinese official document (python-docx starts from US Letter)."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


def _styles(document: Any) -> None:  # a python-docx Document
    for name, font, size in (
        ("Normal", FONT, 12),
        ("Title", HEADING_FONT, 18),
        ("Heading 1", HEADING_FONT, 15),
        ("Heading 2", HEADING_FONT, 13),
        ("Table Grid", FONT, 11),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        properties = style.element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = properties.makeelement(qn("w:rFonts"), {})
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), font)  # without it Word shows Chinese in its default East Asian font
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the one named here
        style.font.color.rgb = RGBColor(0, 0, 0)  # black, as an official report; Word's headings are blue
