"""A cache of checked rule sets, so that `score run` does not re-read and re-check an unchanged rubric.

A rule set is cached only after every check passed, keyed as Python keys its bytecode: by each rule file's path,
size, modification time (in nanoseconds) and inode, with the engine and Python versions and where it was read
from. An edited file changes its key, and the entry it made stale is removed when the new one is stored. The
cache lives in the user's cache folder: `$SCORE_CACHE_DIR`, else `$XDG_CACHE_HOME/rubric-scorer`, else
`~/.cache/rubric-scorer`. `SCORE_NO_CACHE=1` turns it off. A cache entry is read only when the current user owns
it and no one else can write it or its folder; anything unreadable, stale or odd is ignored and the rules are read
again. Writing is best effort.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from scorer import __version__
from scorer.model.rules import Indicator, InputSpec, RuleSet

try:  # pickle's C half alone: `import pickle` also loads its pure-Python twin, 2 ms of every start
    from _pickle import dump, load
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from pickle import dump, load


def cache_folder() -> Path | None:
    if os.environ.get("SCORE_NO_CACHE"):
        return None
    explicit = os.environ.get("SCORE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if os.environ.get("HOME") else None)
    return Path(base) / "rubric-scorer" if base else None


def cached(folder: Path, files: list[Path], build: Callable[[], RuleSet | None]) -> RuleSet | None:
    """The rule set of `folder` from the cache when its files are unchanged, else `build()` (cached if built)."""
    where = cache_folder()
    if where is None:
        return build()
    try:
        family, key = _key(folder, files)
    except OSError:
        return build()
    entry = where / f"rules-{_name(family)}-{_name(key)}.pickle"
    stored = _load(entry, key)
    if isinstance(stored, RuleSet):
        return stored
    rules = build()
    if rules is not None:
        _store(entry, key, rules)
    return rules


def cached_file(path: Path, read: Callable[[bytes], object]) -> object:
    """`read(the file's bytes)`, from the cache while the file is unchanged (keyed as a rule set is): a shipped
    JSON Schema, so that a start whose rules come from the cache needs no JSON parser."""
    where = cache_folder()
    try:
        family = f"{__version__}\n{sys.version}\n{path.resolve()}"
        key = f"{family}\n{_stamp(path)}"
    except OSError:
        key = ""
    if where is None or not key:
        return read(path.read_bytes())
    entry = where / f"file-{_name(family)}-{_name(key)}.pickle"
    stored = _load(entry, key)
    if stored is not _ABSENT:
        return stored
    value = read(path.read_bytes())
    _store(entry, key, value)
    return value


def _key(folder: Path, files: list[Path]) -> tuple[str, str]:
    """(the entry's family: what stays the same while the files are edited, the whole key)."""
    # The shape of the cached types too: an entry pickled before a field was added is never read back.
    shape = ",".join(f.name for kind in (RuleSet, Indicator, InputSpec) for f in fields(kind))
    family = "\n".join([__version__, sys.version, shape, str(folder.resolve()), os.getcwd()])
    return family, "\n".join([family, *map(_stamp, files)])


def _stamp(path: Path) -> str:
    """What changes when a file is edited or replaced: its size, modification time and inode."""
    info = path.stat()
    return f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}"


def _name(key: str) -> str:
    """A short file name for the entry; the entry holds its whole key, compared on reading."""
    data = key.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _safe(path: Path) -> bool:
    """Owned by this user, writable by no one else: nobody else could have put a pickle there."""
    for item in (path, path.parent):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return stat.S_ISREG(path.stat().st_mode)


_ABSENT = object()  # no usable entry


def _load(entry: Path, key: str) -> object:
    """The value stored under `key`, or _ABSENT where the entry is missing, stale, broken or not safe to read."""
    try:
        if not entry.exists() or not _safe(entry):
            return _ABSENT
        with entry.open("rb") as handle:
            stored_key, value = load(handle)
    except Exception:  # a stale or broken entry: read the files again
        return _ABSENT
    return value if stored_key == key else _ABSENT


def _store(entry: Path, key: str, rules: object) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            dump((key, rules), handle, protocol=-1)  # the highest protocol
        os.replace(temporary, entry)
    except Exception:  # a read-only home, a full disk: the cache is an optimisation only
        return
    _forget_older(entry)


def _forget_older(entry: Path) -> None:
    """Remove the entries of the same family as `entry` (the same rules folder or file, engine and Python) that
    an edit has made stale: a rubric edited a thousand times keeps one entry, not a thousand."""
    family = entry.name.rsplit("-", 1)[0] + "-"
    try:
        with os.scandir(entry.parent) as found:
            stale = [
                e.path
                for e in found  # not another process's entry being written (.tmp), which it will replace
                if e.name.startswith(family) and e.name.endswith(".pickle") and e.name != entry.name
            ]
        for path in stale:
            os.unlink(path)
    except OSError:  # another process removed it first, or the folder cannot be listed: nothing lost
        return
