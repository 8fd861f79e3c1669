"""A cache of checked rule sets, so that `score run` does not parse an unchanged rubric's YAML again.

What is stored is data, never code: the documents the YAML reader made of each rule file (their values and the
line of each key), as JSON. Reading an entry back runs nothing from it: its documents go through the loader's
own steps again (the schema checks, building the indicators with their formulas checked against the allow-list,
the rule set's checks and its digest); only the YAML parsing is skipped. So an entry, even one planted or
corrupted, can at worst give a rule set that some rule files could have given and that passes every check; an
entry that fails a check is ignored and the rules are read again.

An entry is keyed by a sha256 of each rule file's place in the folder and its bytes (with the engine version and
the entry format): any edit is seen, whatever it does to the file's size or modification time. The bytes hashed
are the bytes parsed: each file is read once, before either. The files are opened inside the folder without
following a link (`O_NOFOLLOW`); a rules folder holding links is read as usual, just not cached.

The cache lives in the user's cache folder: `$SCORE_CACHE_DIR`, else `$XDG_CACHE_HOME/rubric-scorer`, else
`~/.cache/rubric-scorer`; `SCORE_NO_CACHE=1` turns it off. The folder and each entry are opened without
following a link and checked on the opened descriptor: a folder or regular file owned by the current user that
no one else may write. Anything else is ignored and never written to. An entry is written to a new file of an
unpredictable name, created exclusively in the checked folder, then renamed into place: a reader sees the
whole entry or none. Writing is best effort.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from scorer.errors import LineMap
from scorer.numbers import json_decimal
from scorer.sources.limits import MAX_FILE_BYTES
from scorer.version import __version__

# The entry's layout: an entry of another layout is never read (its name differs).
FORMAT = "rules-json-2"
MAX_ENTRY_BYTES = 32 * 1024 * 1024  # a rubric's entry is some hundred kilobytes
_NOT_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
# Where a file cannot be opened without following a link, or inside an opened folder, or owners are not
# known, nothing is cached.
_SUPPORTED = (
    bool(_NOFOLLOW)
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "getuid")
    and (os.open in os.supports_dir_fd)
)

# The names an earlier version gave its pickled entries (rules sets, shipped files): removed, never read.
_PICKLED = re.compile(r"(rules|file)-[0-9a-f]{16}-[0-9a-f]{16}\.pickle")

Sources = dict[Path, bytes]  # each rule file's bytes, as read once for both the key and the parsing
Parts = list[tuple[Any, LineMap]]  # each rule file's document: its values and the line of each key


def cache_folder() -> Path | None:
    if os.environ.get("SCORE_NO_CACHE"):
        return None
    explicit = os.environ.get("SCORE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if os.environ.get("HOME") else None)
    return Path(base) / "rubric-scorer" if base else None


def cached(
    folder: Path,
    files: list[Path],
    build: Callable[[Sources | None], tuple[Any, Parts]],
    rebuild: Callable[[Parts], Any],
) -> Any:
    """The rule set of `folder`: `rebuild(documents)` from the entry stored for the files' bytes when there is
    one and it gives a rule set, else `build(the files' bytes)`, whose documents are stored when it gives one.
    `build(None)` reads the files itself: the cache is off, or a file cannot be read here (reading says why)."""
    if _inside_rules(cache_folder(), folder):
        return build(None)[0]  # nothing is ever written inside a rules folder, the cache included
    where = open_folder()
    if where is None:
        return build(None)[0]
    try:
        sources = read_sources(folder, files)
        if sources is None:
            return build(None)[0]
        family, key = _key(folder, sources)
        name = f"rules-{family}-{key}.json"
        parts = _parts(read_entry(where, name), key, len(sources))
        if parts is not None:
            rules = _quietly(rebuild, parts)
            if rules is not None:
                return rules
        rules, parts = build(sources)
        if rules is not None and parts:
            _store(where, name, lambda: encode_entry(key, parts))
        return rules
    finally:
        os.close(where)


def _inside_rules(cache: Path | None, rules: Path) -> bool:
    """Whether the cache folder (`SCORE_CACHE_DIR`) is the rules folder being read or lies inside it."""
    if cache is None:
        return False
    where, folder = Path(os.path.realpath(cache)), Path(os.path.realpath(rules))
    return where == folder or folder in where.parents


# ---- the folder and its entries: opened, then checked on what was opened ---------------------------------


def trusted(info: os.stat_result) -> bool:
    """Whether a cache folder or entry, as `fstat` saw the opened descriptor, could only have been written by
    the current user (or root): owned by the user, writable by no group and no other user."""
    return info.st_uid == os.getuid() and not info.st_mode & _NOT_WRITABLE_BY_OTHERS


def open_folder() -> int | None:
    """A descriptor of the cache folder (created, private, when missing), or None when there is none or it is
    not one to trust: a link, not a folder, another user's, or writable by others."""
    where = cache_folder()
    if where is None or not _SUPPORTED:
        return None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(where, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW)
    except OSError:  # a read-only home, a link, a file in the way: no cache
        return None
    info = os.fstat(handle)
    if stat.S_ISDIR(info.st_mode) and trusted(info):
        return handle
    os.close(handle)
    return None


def read_entry(folder: int, name: str) -> bytes | None:
    """The bytes of the entry `name` in the opened cache folder, or None: missing, a link, not a regular file,
    not the user's own, writable by others, or too large."""
    try:
        handle = os.open(name, _OPEN_FLAGS, dir_fd=folder)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not (stat.S_ISREG(info.st_mode) and trusted(info)):
            return None
        return _read_at_most(handle, MAX_ENTRY_BYTES)
    except OSError:
        return None
    finally:
        os.close(handle)


def read_sources(folder: Path, files: list[Path]) -> Sources | None:
    """Each rule file's bytes, opened inside `folder` (or its `indicators` folder) without following a link,
    or None when one cannot be read so: the loader then reads them itself and says what is wrong."""
    sources: Sources = {}
    opened: dict[Path, int] = {}
    try:
        opened[folder] = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        for path in files:
            parent = path.parent
            if parent not in opened:
                if parent.parent != folder:
                    return None
                opened[parent] = os.open(
                    parent.name, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=opened[folder]
                )
            handle = os.open(path.name, _OPEN_FLAGS, dir_fd=opened[parent])
            try:
                if not stat.S_ISREG(os.fstat(handle).st_mode):
                    return None
                data = _read_at_most(handle, MAX_FILE_BYTES)
            finally:
                os.close(handle)
            if data is None:
                return None
            sources[path] = data
        return sources
    except OSError:
        return None
    finally:
        for handle in opened.values():
            os.close(handle)


def _read_at_most(handle: int, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(handle, min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    return None


def _store(folder: int, name: str, encode: Callable[[], bytes]) -> None:
    """Write the entry `encode()` makes: to a new file of an unpredictable name, created exclusively in the
    opened folder, renamed into place when whole. Writers racing for one entry each rename a whole file of
    their own. Writing is best effort: an entry that cannot be made or written is not kept."""
    try:
        data = encode()
    except (TypeError, ValueError, RecursionError):  # a value JSON cannot hold: not cached, nothing lost
        return
    if len(data) > MAX_ENTRY_BYTES:
        return
    temporary = f".{name}.{os.urandom(8).hex()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
    except OSError:  # a full disk, a read-only folder: the cache is an optimisation only
        return
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        return
    _forget_older(folder, name)


def _forget_older(folder: int, name: str) -> None:
    """Remove the entries of the same family as `name` (the same rules folder, engine and format) that an edit
    has made stale, so that a rubric edited a thousand times keeps one entry, not a thousand; and the entries an
    earlier version kept as pickles, which are never read (only by their names: the folder may be one the user
    keeps other files in)."""
    family = name.rsplit("-", 1)[0] + "-"
    try:
        with os.scandir(folder) as found:
            stale = [
                e.name
                for e in found  # not another process's entry being written (.tmp), which it will rename
                if (e.name.startswith(family) and e.name.endswith(".json") and e.name != name)
                or _PICKLED.fullmatch(e.name)
            ]
        for entry in stale:
            os.unlink(entry, dir_fd=folder)
    except OSError:  # another process removed it first: nothing lost
        return


# ---- the key and the entry's layout ---------------------------------------------------------------------


def _key(folder: Path, sources: Sources) -> tuple[str, str]:
    """(the entry's family: what stays the same while the files are edited, the key of these bytes)."""
    import hashlib  # only where the cache is on

    family = hashlib.sha256(f"{FORMAT}\0{__version__}\0{folder.resolve()}".encode("utf-8", "surrogateescape"))
    key = family.copy()
    for path, data in sources.items():
        place = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
        key.update(b"%d\0%s\0%d\0" % (len(place), place, len(data)))
        key.update(data)
    return family.hexdigest()[:16], key.hexdigest()


def encode_entry(key: str, parts: Parts) -> bytes:
    """The entry: JSON of {"key": …, "documents": [{"data": …, "lines": [[[key, …], line], …]}, …]}, every decimal
    written as the JSON number of its exact text (1.50 stays 1.50 and reads back as a Decimal, not a float)."""
    documents = [
        {"data": data, "lines": [[list(path), line] for path, line in lines.lines.items()]}
        for data, lines in parts
    ]
    return _json({"key": key, "documents": documents}).encode("utf-8")


def _json(value: Any) -> str:
    import json

    if value is None or isinstance(value, bool | str):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = str(value)  # "1.50", "1E+1", "-0": written with a point or an exponent, read as a Decimal
        return text if "." in text or "E" in text else text + "E+0"
    if isinstance(value, list):
        return "[" + ",".join(_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + _json(v) for k, v in value.items()) + "}"
    raise TypeError(f"{type(value).__name__} is not a YAML value")


# An entry read back: typed and strict, so that anything off this shape (a key missing or unknown, a line that is
# not a whole number, a path that is not keys and indexes) is no entry. The documents' values are checked as the
# files' are, by the loader's own steps.
class _Document(msgspec.Struct, forbid_unknown_fields=True):
    data: Any
    lines: list[tuple[tuple[str | int, ...], int]]


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    documents: list[_Document]


# Numbers bounded as the YAML reader bounds them: 1E-999999999 is refused before anything writes it out (a whole
# number beyond 64 bits is refused by the decoder itself).
_ENTRY = msgspec.json.Decoder(_Entry, float_hook=json_decimal)


def _parts(entry: bytes | None, key: str, count: int) -> Parts | None:
    """The documents of an entry made for `key`, one for each of the `count` files, or None."""
    if entry is None:
        return None
    try:
        stored = _ENTRY.decode(entry)
    except (msgspec.DecodeError, ValueError, RecursionError):  # not an entry: read the files
        return None
    if stored.key != key or len(stored.documents) != count:
        return None
    return [(document.data, LineMap(dict(document.lines))) for document in stored.documents]


def _quietly(rebuild: Callable[[Parts], Any], parts: Parts) -> Any:
    """The rule set rebuilt from an entry's documents, or None where they do not make one (an entry written by
    hand, say): the files are read then, and any problem is said as reading them finds it."""
    try:
        return rebuild(parts)
    except Exception:  # noqa: BLE001 - whatever an odd entry trips, the files themselves decide
        return None
