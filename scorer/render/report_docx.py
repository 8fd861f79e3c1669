"""The 自评报告 as a Word document: the built-in Title, Heading 1/2 and Normal styles (so a clerk can restyle it in
Word), a CJK font set for East Asian text too, a summary table in the Table Grid style, blanks highlighted.
Every text goes in through `_Body.paragraph` or, in the table, escaped as there. python-docx is imported here only.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from scorer.engine.result import Result
from scorer.escape import visible
from scorer.render.options import RenderOptions
from scorer.render.report import Heading, Paragraph, Table, blocks

FONT = "SimSun"  # 宋体 for the body, as the published reports; Word and LibreOffice fall back to an installed CJK font
HEADING_FONT = "SimHei"  # 黑体 for headings


def render(result: Result, options: RenderOptions) -> bytes:
    document = Document()
    _styles(document)
    _a4(document)
    body = _Body(document)
    for block in blocks(result, options.lang):
        if isinstance(block, Heading):
            heading = body.paragraph(block.text, "Title" if block.level == 0 else f"Heading {block.level}")
            if block.level == 0:
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Paragraph):
            for line in block.text.split("\n"):
                run = body.paragraph(line).runs
                if block.blank and run:
                    run[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
                    run[0].bold = True
        elif isinstance(block, Table):
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = visible(text)
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Body:
    """Every paragraph of the report goes in here: its text escaped (control characters, unpaired surrogates and
    U+FFFE shown as the terminal shows them, `\\x1b`, where python-docx would refuse the text), and appended
    in constant time. python-docx's `add_paragraph` looks for the section properties from the first paragraph
    on each time, which made a reason of many lines take time in the square of its length."""

    def __init__(self, document: Any):
        self.document = document
        self.element = document.element.body
        self.end = self.element.find(qn("w:sectPr"))  # the body's last element; paragraphs go before it

    def paragraph(self, text: str, style: str | None = None) -> Any:
        element = OxmlElement("w:p")
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.element.append(element)
        paragraph = DocxParagraph(element, self.document)
        if style is not None:
            paragraph.style = style
        if text:
            paragraph.add_run(visible(text))
        return paragraph


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
