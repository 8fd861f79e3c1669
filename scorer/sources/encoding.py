"""Which encoding a text file a department or bureau hands in is written in (a CSV batch sheet, a 自评表 copied
out as text), decided once for the whole file, so that reading it never fails half-way.

- a byte-order mark: UTF-8, or UTF-16 (Excel's "Unicode 文本" / "Unicode text" save);
- else UTF-8 when the whole file is valid UTF-8;
- else GBK / GB18030, which Excel on Chinese Windows saves, unless the bytes read as well as traditional Chinese
  Big5 and the GB reading looks like garbled text (characters outside the common GB2312 set): a clear refusal
  rather than a silent guess that turns every name into nonsense;
- else one refusal naming the file and the line of the first byte that cannot be read.

A file that is valid UTF-8 up to one stray byte (several Chinese characters read correctly before it) is refused as
broken UTF-8 at that line rather than read as GB18030.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from scorer.errors import Location, UserError
from scorer.facts import fact

CHUNK = 1 << 20
SAMPLE = 1 << 20  # the bytes looked at to tell GBK from Big5
GB2312_SHARE = 0.8  # of the non-ASCII characters a GB reading of real simplified Chinese text has in GB2312
UTF8_EVIDENCE = 3  # non-ASCII characters read as UTF-8 before a bad byte: a UTF-8 file with a stray byte
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


Source = Path | bytes | BinaryIO  # a file, its bytes, or an open file read from its start each time


def _chunks(source: Path | BinaryIO) -> Iterator[bytes]:
    if not isinstance(source, Path):
        source.seek(0)
        while chunk := source.read(CHUNK):
            yield chunk
        return
    with source.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _first_error(chunks: Iterable[bytes], encoding: str) -> int | None:
    """The offset of the first byte that `encoding` cannot decode, or None when the whole text decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    for chunk in chunks:
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            held = len(exc.object) - len(chunk)  # bytes the decoder kept back from the chunk before
            return offset - held + exc.start
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset - len(exc.object) + exc.start
    return None


def _prefix(source: Source, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    if not isinstance(source, Path):
        source.seek(0)
        return source.read(size)
    with source.open("rb") as handle:
        return handle.read(size)


def _line(prefix: bytes, encoding: str) -> int:
    return prefix.decode(encoding, errors="replace").count("\n") + 1


def _looks_big5(sample: bytes) -> bool:
    """True when the bytes are also Big5 and their GB reading is mostly outside GB2312 (garbled names)."""
    try:
        sample.decode("big5")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 2:  # not just a character cut at the end of the sample
            return False
    text = sample.decode("gb18030", errors="replace")
    wide = [c for c in text if ord(c) > 0x7F and c != "\ufffd"]
    if not wide:
        return False
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common < GB2312_SHARE * len(wide)


def _chinese(char: str) -> bool:
    """CJK ideographs and radicals, CJK punctuation and the full-width forms: what a Chinese line is made of."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def _utf8_line(chunks: Iterable[bytes]) -> int | None:
    """The first line that is UTF-8 Chinese (every byte valid, at least two characters beyond ASCII and all of
    them Chinese) in a file that as a whole is not UTF-8: a file saved in two encodings. A line of GBK text is
    hardly ever that by chance (about 5 lines in a million of random GBK characters, rare ones included)."""
    number, rest = 0, b""
    for chunk in [*chunks, b"\n"]:
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            number += 1
            if line.isascii():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            wide = [char for char in text if ord(char) > 0x7F]
            if len(wide) >= 2 and all(_chinese(char) for char in wide):
                return number
    return None


def detect(source: Source, display: str) -> str:
    """The codec to read the whole of `source` (a file, or its bytes) with; a UserError naming the file and the
    line of the first unreadable byte when it is none of UTF-8, UTF-16 with its mark, GBK/GB18030."""

    def chunks() -> Iterable[bytes]:
        return [source] if isinstance(source, bytes) else _chunks(source)

    head = _prefix(source, 4)
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            bad = _first_error(chunks(), codec)
            if bad is None:
                return codec
            prefix = _prefix(source, bad)
            raise UserError.at(
                Location(display, _line(prefix, codec)), fact("encoding.bad_bytes", encoding=name, byte=bad)
            )
    bad_utf8 = _first_error(chunks(), "utf-8")
    if bad_utf8 is None:
        return "utf-8"
    before = _prefix(source, bad_utf8)
    read_as_utf8 = sum(1 for c in before.decode("utf-8", errors="replace") if ord(c) > 0x7F)
    if read_as_utf8 >= UTF8_EVIDENCE:
        raise UserError.at(
            Location(display, _line(before, "utf-8")),
            fact("encoding.bad_bytes", encoding="UTF-8", byte=bad_utf8),
        )
    bad_gb = _first_error(chunks(), "gb18030")
    if bad_gb is None:
        if _looks_big5(_prefix(source, SAMPLE)):
            raise UserError.at(Location(display), fact("encoding.big5"))
        mixed = _utf8_line(chunks())
        if mixed is not None:  # GBK lines and UTF-8 lines: read as GBK, the UTF-8 names would be garbled
            raise UserError.at(Location(display, mixed), fact("encoding.mixed"))
        return "gb18030"
    mixed = _utf8_line(chunks())
    if mixed is not None:  # lines of UTF-8 among lines of something else
        raise UserError.at(Location(display, mixed), fact("encoding.mixed"))
    bad = max(bad_utf8, bad_gb)
    raise UserError.at(
        Location(display, _line(_prefix(source, bad), "utf-8" if bad == bad_utf8 else "gb18030")),
        fact("encoding.unknown", byte=bad),
    )
