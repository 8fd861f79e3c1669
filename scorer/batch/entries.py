"""The ranking's entries, kept compact: a province's 100,000 departments in a few megabytes.

A batch keeps one entry per department for its ranking (name, year, total, grade, level-2 subtotals, where it was
read). As Python objects (a frozen dataclass of Decimals) that took about 1.3 KB a department. Here each entry is
packed as bytes into one buffer, its numbers as their exact decimal text (`Decimal(str(d))` gives back `d`, places
and all), with an offset a department, with its notes, its 自评表's own total, how it stands against last year,
overrides and adjustments; last year's scores (with a history database) are kept as they are, by position. An
`Entry` is built again when read, equal to the one added.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from decimal import Decimal
from typing import Any


def _pack(fields: list[str]) -> bytes:
    """Each field's UTF-8 bytes after its length, written in 7-bit groups (one byte below 128)."""
    out = bytearray()
    for text in fields:
        data = text.encode("utf-8", "surrogatepass")  # a name read from a file may hold anything
        size = len(data)
        while size >= 0x80:
            out.append(size & 0x7F | 0x80)
            size >>= 7
        out.append(size)
        out += data
    return bytes(out)


def _unpack(data: memoryview, count: int | None = None) -> list[str]:
    """The fields packed in `data` (only the first `count`, when given)."""
    fields: list[str] = []
    at = 0
    while at < len(data) and (count is None or len(fields) < count):
        size = shift = 0
        while data[at] & 0x80:
            size |= (data[at] & 0x7F) << shift
            shift += 7
            at += 1
        size |= data[at] << shift
        at += 1
        fields.append(bytes(data[at : at + size]).decode("utf-8", "surrogatepass"))
        at += size
    return fields


class Entries:
    """A sequence of `Entry`, packed: `append`, `len`, iteration and `[index]` as a list's."""

    def __init__(self, make: Any):
        self._make = make  # the Entry class (scorer/batch/summary.py)
        self._buffer = bytearray()
        self._starts = array("Q", [0])
        self._orders = array("I")  # input positions: four bytes each
        self._previous: dict[int, Any] = {}  # position → last year's scores (with a history database)
        self._grades: list[str] = []  # each grade's text once
        self._texts: list[str] = []  # each note's text, and each file of many lines, once
        self._numbers: dict[str, int] = {}

    def _text(self, text: str) -> int:
        number = self._numbers.get(text)
        if number is None:
            number = self._numbers[text] = len(self._texts)
            self._texts.append(text)
        return number

    def append(self, entry: Any) -> None:
        grade = self._grades.index(entry.grade) if entry.grade in self._grades else len(self._grades)
        if grade == len(self._grades):
            self._grades.append(entry.grade)
        subtotals = ",".join(str(value) for value in entry.subtotals)
        head, colon, line = entry.place.rpartition(":")
        # A line or row of a file: the file's name kept once.
        place = [str(self._text(head)), line] if colon and line.isdigit() else [entry.place, ""]
        fields = [entry.department, str(entry.year), str(entry.total), str(grade), subtotals, *place]
        fields += [str(len(entry.notes)), *(str(self._text(note)) for note in entry.notes)]
        # A 自评表's own total ("" when none); how it stands against last year (新增 …, its wording once).
        fields += ["" if entry.stated is None else str(entry.stated), str(self._text(entry.identity))]
        for given in (entry.overrides, entry.adjustments):
            fields.append(str(len(given)))
            for item in given:
                fields += [
                    item.indicator,
                    str(item.score),
                    item.reason,
                    "" if item.own is None else str(item.own),
                ]
        fields.append("" if entry.unadjusted_total is None else str(entry.unadjusted_total))
        fields.append("" if entry.project is None else "=" + entry.project)  # "=": a project's name, even ""
        self._buffer += _pack(fields)
        self._starts.append(len(self._buffer))
        self._orders.append(entry.order)
        if entry.previous is not None:  # only with a history database
            self._previous[len(self._orders) - 1] = entry.previous

    def __len__(self) -> int:
        return len(self._orders)

    def __bool__(self) -> bool:
        return len(self._orders) > 0

    def __getitem__(self, index: int) -> Any:
        from scorer.batch.adjust import Given

        if index < 0:
            index += len(self._orders)
        if not 0 <= index < len(self._orders):
            raise IndexError(index)
        fields = iter(_unpack(memoryview(self._buffer)[self._starts[index] : self._starts[index + 1]]))
        department, year, total, grade, subtotals, file, line = (next(fields) for _ in range(7))
        place = f"{self._texts[int(file)]}:{line}" if line else file
        numbers = tuple(Decimal(value) for value in subtotals.split(",")) if subtotals else ()
        notes = tuple(self._texts[int(next(fields))] for _ in range(int(next(fields))))
        stated, identity = next(fields), self._texts[int(next(fields))]
        given = []
        for _ in range(2):
            items = []
            for _ in range(int(next(fields))):
                indicator, score, reason, own = (next(fields) for _ in range(4))
                items.append(Given(indicator, Decimal(score), reason, Decimal(own) if own else None))
            given.append(tuple(items))
        unadjusted, project = next(fields), next(fields)
        return self._make(
            self._orders[index], department, int(year), Decimal(total), self._grades[int(grade)], numbers, place,
            self._previous.get(index), notes, Decimal(stated) if stated else None, identity, given[0], given[1],
            Decimal(unadjusted) if unadjusted else None, project[1:] if project else None,
        )  # fmt: skip

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self._orders)):
            yield self[index]

    def departments(self) -> Iterator[str]:
        """Each entry's department, in input order, read without building the entry."""
        view = memoryview(self._buffer)
        for index in range(len(self._orders)):
            yield _unpack(view[self._starts[index] : self._starts[index + 1]], 1)[0]

    def total(self, index: int) -> Decimal:
        """The total of one entry, read without building it (for the ranking's sort)."""
        view = memoryview(self._buffer)[self._starts[index] : self._starts[index + 1]]
        return Decimal(_unpack(view, 3)[2])


class Seen:
    """The departments and years already in a batch (to refuse a second copy): an open-addressing table of
    8-byte digests and the position of each first copy, 24 to 48 bytes a department (a dict of them took three
    times that, and a set of the names themselves more)."""

    def __init__(self) -> None:
        self._keys = array("Q", bytes(8 * 1024))  # 0: an empty slot (a digest is never 0: its low bit is set)
        self._first = array("I", bytes(4 * 1024))
        self._used = 0

    @staticmethod
    def _key(department: str, year: int) -> int:
        text = f"{department}\x00{year}".encode("utf-8", "surrogatepass")
        return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little") | 1

    def first(self, department: str, year: int, position: int) -> int | None:
        """The position where this department and year came first, or None (and it is noted at `position`)."""
        key = self._key(department, year)
        slot = self._slot(key)
        if self._keys[slot] == key:
            return self._first[slot]
        self._keys[slot], self._first[slot] = key, position
        self._used += 1
        if 2 * self._used > len(self._keys):
            self._grow()
        return None

    def holds(self, department: str, year: int) -> bool:
        """Whether this department and year has come (nothing is noted)."""
        key = self._key(department, year)
        return self._keys[self._slot(key)] == key

    def _slot(self, key: int) -> int:
        mask = len(self._keys) - 1
        slot = key & mask
        while self._keys[slot] and self._keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        keys, firsts = self._keys, self._first
        self._keys = array("Q", bytes(16 * len(keys)))
        self._first = array("I", bytes(8 * len(keys)))
        for key, first in zip(keys, firsts, strict=True):
            if key:
                slot = self._slot(key)
                self._keys[slot], self._first[slot] = key, first


class Ranked:
    """The entries in ranking order with their ranks, as a read-only sequence of `(rank, entry)`: each entry is
    built when read, so a ranking of 100,000 departments is two arrays of positions and ranks.

    Order: total, highest first; equal totals share a rank (1, 2, 2, 4) and are listed by `department_key`, then
    input order. The sort keeps only each total (and, within a tie, the names) at a time."""

    def __init__(self, entries: Entries, key: Any):
        # The positions of each total, as an array of four bytes a department: a batch's totals are a few
        # thousand values at most (two places up to the full score), so the sort is of those, not of 100,000
        # keys (a list of an integer a department took four megabytes more at 100,000).
        by_total: dict[Decimal, array[int]] = {}
        for at in range(len(entries)):
            by_total.setdefault(entries.total(at), array("I")).append(at)
        self._positions, self._ranks = array("I"), array("I")
        for total in sorted(by_total, reverse=True):
            tied = by_total.pop(total)
            if len(tied) > 1:
                tied = array(
                    "I", sorted(tied, key=lambda at: (key(entries[at].department), entries[at].order))
                )
            self._ranks.extend([len(self._positions) + 1] * len(tied))
            self._positions.extend(tied)
        self._entries = entries

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._ranks[index], self._entries[self._positions[index]]

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        for index in range(len(self._positions)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Ranked | list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]
