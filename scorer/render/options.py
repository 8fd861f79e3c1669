"""What every renderer is told: the language, and for the terminal its width and whether to colour."""

from __future__ import annotations

from msgspec import Struct


class RenderOptions(Struct, frozen=True):
    lang: str = "zh"
    color: bool = False
    width: int = 160
    explanations: bool = False  # the 指标解释 column, where a format has room for it
    to_stream: bool = (
        False  # written to a text stream (standard output), not a file: CSV ends its lines in \n
    )
