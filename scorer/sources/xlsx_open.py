"""Opening a workbook someone else made: every reader of an `.xlsx` (a clerk's input workbook, a submitted 自评表,
a batch sheet) opens it here, and openpyxl sees it only once it has passed every check below.

An `.xlsx` is a zip of XML parts, and either can be made to explode: a zip whose few kilobytes unpack to
gigabytes (and whose sizes may lie about it), a sheet that claims or reaches `XFD1048576` (openpyxl pads every
row to the claimed width), millions of cells, thousands of sheets. So, reading the file's bytes once (a regular
file, at most `file_bytes`):

1. the zip's directory: at most `parts` parts, declaring at most `unzipped_bytes` in all;
2. every part unpacked as a stream, counting what comes out, and refused as soon as it is more than the part
   declared or more than the limit (so a lying size costs no more than the limit), its CRC checked;
3. every XML part parsed as it streams (expat, which refuses entity expansion bombs), so that damaged XML is a
   message naming the part and line rather than an error deep inside openpyxl; in each sheet the claimed
   dimension, the real rows and columns and the cells are counted against `rows`, `columns` and `cells`,
   and in every part the elements against `elements` (what openpyxl would build, and the time to build it).

The sheets' names are read from the workbook part itself: `sheet_named` finds the one sheet that answers to a
name, and refuses two that both do (`指标` and `指标 `, a full-width or a zero-width variant, hidden or not), which
openpyxl would otherwise tell apart or silently rename.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from scorer.errors import Location, UserError
from scorer.escape import one_line
from scorer.facts import fact
from scorer.invisible import without_invisible
from scorer.sources.file_kind import magic_kind, not_readable, zip_kind
from scorer.sources.yaml import read_bytes

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_CHUNK = 1 << 16
_CENTRAL_ENTRY = 46 + 512  # bytes of the zip's directory an entry may take, with a generous name
_CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    unzipped_bytes: int
    parts: int
    sheets: int
    rows: int  # the last row a sheet may use (or claim)
    columns: int  # the last column a sheet may use (or claim)
    cells: int  # cells in all sheets together
    elements: int  # XML elements in all parts together (a cell is a few: <c>, <v>, <is>, <t>)


# A clerk's input workbook and a submitted 自评表: a few hundred cells on a few sheets.
FORM = Limits(20 << 20, 100 << 20, 1_000, 100, 10_000, 1_000, 200_000, 1_500_000)
# A bureau's batch sheet: one department a row, one column an input (some 120 for the 2022 rules).
SHEET = Limits(50 << 20, 256 << 20, 1_000, 100, 200_000, 2_000, 5_000_000, 30_000_000)


@dataclass(frozen=True)
class Checked:
    """A workbook that passed: its bytes, its sheets' names as the workbook part declares them, and the part
    (`xl/worksheets/sheet1.xml`) holding each, in the same order ("" where its relationship names none)."""

    display: str
    raw: bytes
    sheets: tuple[str, ...]
    sheet_parts: tuple[str, ...] = ()


def check(path: Path, display: str, limits: Limits) -> Checked:
    raw = read_bytes(path, display, limits.file_bytes)
    foreign = magic_kind(raw[:8])  # an old .xls or a PDF is not a damaged workbook: say what to do
    if foreign is not None:
        raise not_readable(display, foreign)
    scan = _Scan(display, limits)
    scan.directory(raw)
    parts = tuple(scan.targets.get(ident, "") for ident in scan.sheet_ids)
    return Checked(display, raw, tuple(scan.sheet_names), parts)


def open_book(checked: Checked, *, read_only: bool, data_only: bool = True) -> Any:
    """openpyxl's workbook of a checked file; a part openpyxl still cannot make sense of is one message."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(checked.raw), read_only=read_only, data_only=data_only)
    except Exception:  # openpyxl says "not a workbook" many ways (a missing part, an unknown value)
        raise UserError.at(Location(checked.display), fact("workbook.not_a_workbook")) from None


def sheet_key(name: str) -> str:
    """A sheet's name as a reader matches it: compatibility forms folded (full-width letters), case folded,
    spaces and the characters drawn as nothing (scorer/invisible.py: zero-width, bidi marks, U+2800) left out."""
    folded = unicodedata.normalize("NFKC", without_invisible(name)).casefold()
    return "".join(char for char in without_invisible(folded) if not char.isspace())


def sheet_named(checked: Checked, wanted: set[str]) -> str | None:
    """The one sheet whose name answers to one of `wanted`; None when none does; refused when two do."""
    keys = {sheet_key(name) for name in wanted}
    found = [name for name in checked.sheets if sheet_key(name) in keys]
    if len(found) > 1:
        shown = "、".join(f"'{_shown(name)}'" for name in found)
        raise UserError.at(Location(checked.display), fact("xlsx_read.ambiguous_sheets", sheets=shown))
    return found[0] if found else None


def _shown(name: str) -> str:
    """A sheet's name with every character that prints as nothing escaped, so two that look alike differ."""
    return "".join(char if char.isprintable() or char == " " else f"\\u{ord(char):04x}" for char in name)


@dataclass
class _Sheet:
    """Where a worksheet part's reading stands: its row and column, as openpyxl counts them."""

    part: str
    row: int = 0
    column: int = 0


@dataclass
class _Scan:
    display: str
    limits: Limits
    unzipped: int = 0
    cells: int = 0
    elements: int = 0
    sheet_names: list[str] = field(default_factory=list)
    sheet_ids: list[str] = field(default_factory=list)  # each sheet's relationship id, in order
    targets: dict[str, str] = field(default_factory=dict)  # relationship id → part, in the workbook's rels

    def refuse(self, key: str, **values: str | int) -> UserError:
        return UserError.at(Location(self.display), fact(key, **values))

    def directory(self, raw: bytes) -> None:
        entries, size = _directory_size(raw)
        if entries > self.limits.parts or size > self.limits.parts * _CENTRAL_ENTRY:
            raise self.refuse("xlsx_read.too_many_parts", limit=f"{self.limits.parts:,}")
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
            raise self.refuse("workbook.not_a_workbook") from None
        if len(infos) > self.limits.parts:
            raise self.refuse("xlsx_read.too_many_parts", limit=f"{self.limits.parts:,}")
        declared = sum(info.file_size for info in infos)
        if declared > self.limits.unzipped_bytes:
            raise self.refuse(
                "xlsx_read.too_large_unzipped", size=f"{declared:,}", limit=f"{self.limits.unzipped_bytes:,}"
            )
        names = {info.filename for info in infos}
        foreign = zip_kind(names)  # a Word or OpenDocument file is not a damaged workbook: say what to do
        if foreign is not None:
            raise not_readable(self.display, foreign)
        if "[Content_Types].xml" not in names:
            raise self.refuse("workbook.not_a_workbook")
        # The workbook part and its relationships first: then a sheet's problem can be named by its sheet.
        for info in sorted(
            infos, key=lambda i: (not i.filename.endswith((".rels", "/workbook.xml")), i.filename)
        ):
            self.part(archive, info)
        if len(self.sheet_names) > self.limits.sheets:
            raise self.refuse(
                "xlsx_read.too_many_sheets", count=len(self.sheet_names), limit=self.limits.sheets
            )

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        xml = info.filename.endswith((".xml", ".rels"))  # not .vml: Excel's own VML is not well-formed XML
        parser = self.parser(info.filename) if xml else None
        read = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    read += len(chunk)
                    self.unzipped += len(chunk)
                    if read > info.file_size:  # zipfile stops at the declared size; this is a second fence
                        raise self.refuse(
                            "xlsx_read.size_lies", part=one_line(info.filename), size=f"{info.file_size:,}"
                        )
                    if self.unzipped > self.limits.unzipped_bytes:
                        raise self.refuse(
                            "xlsx_read.too_large_unzipped",
                            size=f"{self.unzipped:,}",
                            limit=f"{self.limits.unzipped_bytes:,}",
                        )
                    if parser is not None:
                        parser.Parse(chunk, False)
                if parser is not None:
                    parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise UserError.at(
                Location(self.display),
                fact(
                    "xlsx_read.damaged_xml",
                    part=one_line(info.filename),
                    line=exc.lineno,
                    why=expat.ErrorString(exc.code),
                ),
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise self.refuse("xlsx_read.damaged_part", part=one_line(info.filename)) from None

    def parser(self, part: str) -> Any:
        parser = expat.ParserCreate(namespace_separator=" ")
        sheet = _Sheet(part)
        folder = part.rsplit("/", 1)[0] if "/" in part else ""

        def start(name: str, attributes: dict[str, str]) -> None:
            self.elements += 1
            if self.elements > self.limits.elements:  # what openpyxl would build, and the time to build it
                raise self.refuse("xlsx_read.too_many_elements", limit=f"{self.limits.elements:,}")
            space, _, local = name.rpartition(" ")
            if space in _MAIN:
                self.element(sheet, local, attributes)
            elif local == "Relationship" and part.endswith("/workbook.xml.rels"):
                target = attributes.get("Target", "")
                base = folder.rsplit("/_rels", 1)[0]
                # As openpyxl resolves it: from the package's root, or from the workbook's folder ("./", "../").
                joined = target if target.startswith("/") else f"{base}/{target}"
                self.targets[attributes.get("Id", "")] = posixpath.normpath("/" + joined).lstrip("/")

        parser.StartElementHandler = start
        return parser

    def element(self, sheet: _Sheet, local: str, attributes: dict[str, str]) -> None:
        if local == "c":  # placed as openpyxl places it: by its own reference, else after the one before
            self.cells += 1
            if self.cells > self.limits.cells:
                raise self.refuse("xlsx_read.too_many_cells", limit=f"{self.limits.cells:,}")
            reference = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            if reference:
                sheet.row, sheet.column = int(reference.group(2)), _column_number(reference.group(1))
            else:
                sheet.column += 1
            self.reaches(sheet, sheet.row, sheet.column)
        elif local == "row":
            number = attributes.get("r", "")
            sheet.row = int(number) if number.isdigit() else sheet.row + 1
            sheet.column = 0
            self.reaches(sheet, sheet.row, 1)
        elif local == "dimension":
            last = attributes.get("ref", "").rpartition(":")[2]
            reference = _CELL_REFERENCE.fullmatch(last)
            if reference and (
                int(reference.group(2)) > self.limits.rows
                or _column_number(reference.group(1)) > self.limits.columns
            ):
                raise self.refuse(
                    "xlsx_read.claims_too_much",
                    sheet=self.sheet_of(sheet.part),
                    ref=one_line(attributes.get("ref", ""))[:40],
                    rows=f"{self.limits.rows:,}",
                    columns=f"{self.limits.columns:,}",
                )
        elif local == "sheet" and "name" in attributes:
            self.sheet_names.append(attributes["name"])
            self.sheet_ids.append(
                next(
                    (
                        v
                        for k, v in attributes.items()
                        if k.rpartition(" ")[0] in _RELATIONSHIPS and k.endswith(" id")
                    ),
                    "",
                )
            )
            if len(self.sheet_names) > self.limits.sheets:
                raise self.refuse(
                    "xlsx_read.too_many_sheets", count=f"{len(self.sheet_names):,}+", limit=self.limits.sheets
                )

    def reaches(self, sheet: _Sheet, row: int, column: int) -> None:
        if row > self.limits.rows or column > self.limits.columns:
            where = f"{letters(column)}{row}"
            raise self.refuse(
                "xlsx_read.too_far",
                sheet=self.sheet_of(sheet.part),
                cell=where,
                rows=f"{self.limits.rows:,}",
                columns=f"{self.limits.columns:,}",
            )

    def sheet_of(self, part: str) -> str:
        """The sheet a worksheet part holds, by its name where the workbook says it, else the part."""
        for name, ident in zip(self.sheet_names, self.sheet_ids, strict=False):
            if self.targets.get(ident) == part:
                return _shown(name)
        return one_line(part)


def letters(column: int) -> str:
    """A column's letters as a spreadsheet shows them: 1 → A, 28 → AB."""
    shown = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        shown = chr(ord("A") + rest) + shown
    return shown


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _directory_size(raw: bytes) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory as its end record declares them, read before zipfile
    builds an object for every entry (a directory of a million empty parts fits in a few megabytes)."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(raw):
        return 0, 0  # no end record: not a zip, which zipfile says
    entries, size = struct.unpack_from("<HI", raw, end + 10)
    locator = end - 20
    if (
        (entries == 0xFFFF or size == 0xFFFFFFFF)
        and locator >= 0
        and raw[locator : locator + 4] == b"PK\x06\x07"
    ):
        offset = struct.unpack_from("<Q", raw, locator + 8)[0]
        if raw[offset : offset + 4] == b"PK\x06\x06" and offset + 56 <= len(raw):
            entries, size = struct.unpack_from("<QQ", raw, offset + 32)
    return entries, size
