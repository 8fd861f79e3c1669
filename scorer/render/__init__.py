"""Renderers: a `Result` in, text or bytes out. One module per format, registered here by name and file
extensions and imported only when used (a format that needs an optional library costs nothing otherwise).

To add a format: write `scorer/render/<format>.py` with `render(result, options) -> str | bytes`, and add one
`Renderer` line to `RENDERERS`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from msgspec import Struct

from scorer.engine.result import Result
from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.render.options import RenderOptions


class Renderer(Struct, frozen=True):
    name: str
    extensions: tuple[str, ...]
    module: str
    binary: bool = False  # returns bytes (a workbook, a document) rather than text

    def render(self, result: Result, options: RenderOptions) -> str | bytes:
        output: str | bytes = import_module(self.module).render(result, options)
        return output


RENDERERS = (
    Renderer("table", (".txt",), "scorer.render.table"),
    Renderer("json", (".json",), "scorer.render.json_result"),
    Renderer("markdown", (".md", ".markdown"), "scorer.render.markdown"),
    Renderer("xlsx", (".xlsx",), "scorer.render.xlsx", binary=True),
)
# The 自评报告 (`score report`): the same result, written as the narrative report.
REPORTS = (
    Renderer("docx", (".docx",), "scorer.render.report_docx", binary=True),
    Renderer("markdown", (".md", ".markdown"), "scorer.render.report_markdown"),
)
FORMATS = tuple(r.name for r in RENDERERS)


def by_name(name: str, registry: tuple[Renderer, ...] = RENDERERS) -> Renderer:
    return next(r for r in registry if r.name == name)


def for_output(path: Path | None, name: str | None, registry: tuple[Renderer, ...] = RENDERERS) -> Renderer:
    """The renderer for `-f NAME`, else for the extension of `-o PATH`, else the registry's first (the screen's)."""
    if name is not None:
        chosen = by_name(name, registry)
        _agrees(chosen, path, registry)
        return chosen
    if path is None or str(path) == "-":
        return by_name("markdown", registry) if registry is REPORTS else registry[0]
    suffix = path.suffix.lower()
    for renderer in registry:
        if suffix in renderer.extensions:
            return renderer
    known = ", ".join(ext for r in registry for ext in r.extensions)
    raise UserError.at(
        Location(str(path)), fact("render.unknown_extension", suffix=suffix or "''", known=known)
    )


def _agrees(chosen: Renderer, path: Path | None, registry: tuple[Renderer, ...]) -> None:
    """`-f` and an `-o` extension another format writes, where one of the two is a binary document: JSON written
    into a `.xlsx` (or a workbook into a `.json`) would be a file no program opens as its name says."""
    if path is None or str(path) == "-":
        return
    suffix = path.suffix.lower()
    named = next((r for r in registry if suffix in r.extensions), None)
    if named is not None and named.name != chosen.name and (named.binary or chosen.binary):
        raise UserError.at(
            Location(str(path)), fact("render.format_disagrees", format=chosen.name, suffix=suffix)
        )


def render(result: Result, fmt: str, options: RenderOptions | None = None) -> str | bytes:
    return by_name(fmt).render(result, options or RenderOptions())
