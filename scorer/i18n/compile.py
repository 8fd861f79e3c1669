"""Compile the catalogues: `python -m scorer.i18n.compile` turns each `<lang>.po` beside it into `<lang>.mo`.

Needs Babel (a development dependency); `score` itself reads the `.mo` files with the standard library.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent


def compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> None:
    for po in sorted(HERE.glob("*.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.name}")


if __name__ == "__main__":
    main()
