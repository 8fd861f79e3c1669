"""The 自评报告 as Markdown: every text escaped, blanks marked in bold."""

from __future__ import annotations

from scorer.engine.result import Result
from scorer.escape import markdown as md
from scorer.render.options import RenderOptions
from scorer.render.report import Heading, Paragraph, Table, blocks


def render(result: Result, options: RenderOptions) -> str:
    lines: list[str] = []
    for block in blocks(result, options.lang):
        if isinstance(block, Heading):
            lines += ["#" * (block.level + 1) + " " + md(block.text, in_table=False), ""]
        elif isinstance(block, Paragraph):
            text = "\n".join(md(line, in_table=False) for line in block.text.splitlines() if line.strip())
            lines += [f"**{text}**" if block.blank else text, ""]
        elif isinstance(block, Table):
            header, *body = block.rows
            lines.append("| " + " | ".join(md(c) for c in header) + " |")
            lines.append("|" + "---|" * (len(header) - 2) + "---:|---:|")
            lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in body]
            lines.append("")
    return "\n".join(lines)
