"""Renderers: a `Result` in, text out. One module per format; only these and the CLI print."""

from __future__ import annotations

from scorer.model.result import Result
from scorer.render import json_result, markdown, table

FORMATS = ("table", "json", "markdown")


def render(result: Result, fmt: str, *, color: bool = False, width: int = 160) -> str:
    if fmt == "json":
        return json_result.render(result)
    if fmt == "markdown":
        return markdown.render(result)
    return table.render(result, color=color, width=width)
