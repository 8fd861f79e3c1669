"""Compile the catalogues: `python -m scorer.i18n.compile` turns each `<lang>.po` beside it into `<lang>.json`.

Needs Babel (a development and test dependency) to read the `.po` files; `score` itself reads the `.json` files
without it (scorer/i18n/__init__.py: `catalogue`): one JSON object of each translated key and its text, one a
line, keys sorted. It is a function of the `.po` alone, so the tests can check that the committed `.json` files
are the compiled `.po` files.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent


def compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    messages = {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    return json.dumps(messages, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8") + b"\n"


def main() -> None:
    for po in sorted(HERE.glob("*.po")):
        po.with_suffix(".json").write_bytes(compiled(po))
        print(f"compiled {po.name}")


if __name__ == "__main__":
    main()
