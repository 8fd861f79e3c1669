"""Compile the catalogues: `python -m scorer.i18n.compile` turns each `<lang>.po` beside it into `<lang>.mo`.

Needs Babel (a development and test dependency) to read the `.po` files; `score` itself reads the `.mo` files
without it (scorer/i18n/__init__.py: `catalogue`). The `.mo` is a function of the `.po` alone (no build date, no
tool version in its header), so the tests can check that the committed `.mo` files are the compiled `.po` files.
"""

from __future__ import annotations

import struct
from pathlib import Path

from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
_MAGIC = 0x950412DE  # GNU gettext's .mo format, revision 0


def compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    language = str(catalog.locale) if catalog.locale else ""
    header = f"Content-Type: text/plain; charset=UTF-8\nLanguage: {language}\n"
    messages = {b"": header.encode("utf-8")}
    for message in catalog:
        if message.id and message.string and not message.fuzzy:
            messages[str(message.id).encode("utf-8")] = str(message.string).encode("utf-8")
    return _mo(messages)


def _mo(messages: dict[bytes, bytes]) -> bytes:
    """The .mo file of `messages` (msgid → msgstr), little-endian, with no hash table."""
    keys = sorted(messages)
    ids = strs = b""
    spans = []
    for key in keys:
        spans.append((len(key), len(ids), len(messages[key]), len(strs)))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    key_table = 7 * 4
    value_table = key_table + 8 * len(keys)
    key_start = value_table + 8 * len(keys)
    value_start = key_start + len(ids)
    table = [n for length, start, _, _ in spans for n in (length, key_start + start)]
    table += [n for _, _, length, start in spans for n in (length, value_start + start)]
    head = struct.pack("<7I", _MAGIC, 0, len(keys), key_table, value_table, 0, 0)
    return head + struct.pack(f"<{len(table)}I", *table) + ids + strs


def main() -> None:
    for po in sorted(HERE.glob("*.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.name}")


if __name__ == "__main__":
    main()
