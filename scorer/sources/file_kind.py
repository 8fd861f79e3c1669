"""What kind of file a clerk gave: a workbook `score` reads (.xlsx), text (YAML, a pasted table), or a document
of another program, which gets one answer: save it as .xlsx.

Decided by the file's first bytes as well as its name, so that an `.xlsx` renamed `.xls` is read as the workbook
it is, and an old binary `.xls` renamed `.xlsx` is not taken for a damaged workbook nor a YAML file in a strange
encoding. Every reader of an inputs file, a submitted 自评表 or a submission in a batch asks here first; a zip
that holds a Word, OpenDocument or binary Excel document is told apart where every workbook is opened
(scorer/sources/xlsx_open.py: `magic_kind`, `zip_kind`), so that a batch's sheet gets the same answer.
"""

from __future__ import annotations

import os
from pathlib import Path

from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.sources.yaml import open_regular

WORKBOOK = "workbook"
TEXT = "text"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # the names of the workbooks `score` reads and writes

_ZIP = b"PK\x03\x04"
# Magic bytes of the documents clerks save by habit: Office 97–2003 and WPS (.xls, .et, .doc, .wps all share the
# OLE2 compound file), PDF, RTF (Word's "Rich Text"), and the Unicode mark UTF-32 starts with (not a text we read).
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "file.kind.binary_office"),
    (b"%PDF-", "file.kind.pdf"),
    (b"{\\rtf", "file.kind.rtf"),
)
# Names that say "another program's document" when the bytes are text or a zip that is not a workbook.
_FOREIGN_SUFFIXES = {
    ".xls": "file.kind.binary_office",
    ".et": "file.kind.binary_office",
    ".doc": "file.kind.binary_office",
    ".wps": "file.kind.binary_office",
    ".xlsb": "file.kind.binary_office",
    ".docx": "file.kind.word",
    ".ods": "file.kind.opendocument",
    ".odt": "file.kind.opendocument",
    ".csv": "file.kind.csv",
    ".pdf": "file.kind.pdf",
    ".rtf": "file.kind.rtf",
}


def kind_of(path: Path, display: str, *, text_suffixes: tuple[str, ...] = ()) -> str:
    """WORKBOOK (a zip: the workbook check decides the rest) or TEXT; any other program's document is refused
    with the hint to save it as .xlsx. `text_suffixes`: names of those above this reader does read as text
    (a batch reads `.csv` sheets)."""
    head = _head(path, display)
    if head.startswith(_ZIP):
        return WORKBOOK
    foreign = magic_kind(head)
    if foreign is not None:
        raise not_readable(display, foreign)
    suffix = path.suffix.lower()
    if suffix in _FOREIGN_SUFFIXES and suffix not in text_suffixes:
        raise not_readable(display, _FOREIGN_SUFFIXES[suffix])
    return TEXT


def magic_kind(head: bytes) -> str | None:
    """The catalogue key of the document a file's first bytes announce (OLE2, PDF, RTF), else None."""
    return next((key for magic, key in _MAGIC if head.startswith(magic)), None)


def zip_kind(names: set[str]) -> str | None:
    """The catalogue key of the document a zip holds when it is not a workbook (Word, OpenDocument, Excel's
    binary .xlsb), else None: the workbook check goes on."""
    if "xl/workbook.xml" in names:
        return None
    if "xl/workbook.bin" in names:
        return "file.kind.binary_office"
    if "word/document.xml" in names:
        return "file.kind.word"
    if "mimetype" in names or "content.xml" in names:
        return "file.kind.opendocument"
    return None


class NotReadable(UserError):
    """Another program's document where `score` reads a workbook or text: save it as .xlsx."""


def not_readable(display: str, kind_key: str) -> UserError:
    return NotReadable.at(Location(display), fact("file.save_as_xlsx", kind=fact(kind_key)))


def _head(path: Path, display: str) -> bytes:
    handle = open_regular(path, display)  # a regular file, or a message: a FIFO or a device is never read
    try:
        return os.read(handle, 8)
    except OSError as exc:
        raise UserError.at(Location(display), fact("yaml.cannot_read", reason=str(exc.strerror))) from None
    finally:
        os.close(handle)
