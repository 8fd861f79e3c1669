"""What a command reads and writes, checked before it reads a department or writes a byte.

Every command that writes a file (`-o`, `--to-inputs`, `--db`) first says what it will touch in a `FilePlan`:
every file it reads (those found in folders and by globs too), the folders and globs it gathers inputs from
with the names it takes there, the rules folders in use, and each path it will write with the option that
named it. `FilePlan.check` refuses, with one message naming both paths:

- an output that is an input: the same file (st_dev, st_ino) where both exist, so hard links, symbolic links,
  `a/../a.yaml` and case variants on a case-insensitive disk are caught; the same resolved path otherwise;
- an output inside a rules folder (the shipped rules and schemas are always in use), or one of their files
  under another name;
- an output that a folder or glob of the command would read as an input the next time it runs;
- two outputs to one file (`-o out.csv -o ./out.csv`, `-o h.sqlite --db h.sqlite`);
- an output that is a folder, a device or a pipe, a read-only file, or in a folder that does not exist;
- anything at all at the path of a file written once (`FilePlan.write_once`: one-time passwords), which
  nothing else holds: it is created new, readable by its owner alone, and never replaces a file.

`write_atomic` and `AtomicWriter` (scorer/sources/output.py) check their path against the plan once more just before
they write, when the outputs written before it exist.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path, PurePath

import msgspec

from scorer.errors import Location, UserError
from scorer.facts import fact


class Gathered(msgspec.Struct, frozen=True):
    """A folder or glob a command gathers inputs from: its folder, and whether a name below it is read."""

    root: Path
    takes: Callable[[PurePath], bool]  # a path relative to `root` → read as an input
    shown: str  # the folder or glob as the user wrote it


class Output(msgspec.Struct, frozen=True):
    path: Path
    option: str  # the option that named it: -o, --db, --to-inputs
    folder: bool = False  # a new folder of files the command names itself (`score batch --return-to`)
    once: bool = False  # a new file only its owner may read, never over anything (`FilePlan.write_once`)


class _Place(msgspec.Struct, frozen=True):
    """A path as the checks compare it: resolved, and the file it names (None where there is none)."""

    path: Path
    resolved: Path
    info: os.stat_result | None
    loops: bool = False  # a symbolic link that leads back to itself: nothing can be written there

    @classmethod
    def of(cls, path: Path) -> _Place:
        try:
            resolved, loops = path.resolve(), False
        except (OSError, RuntimeError):  # a loop of symbolic links
            resolved, loops = Path(os.path.abspath(path)), True
        try:
            info: os.stat_result | None = os.stat(path)
        except (OSError, ValueError):
            info = None
        return cls(path, resolved, info, loops)

    @property
    def identity(self) -> tuple[int, int] | None:
        return (self.info.st_dev, self.info.st_ino) if self.info is not None else None

    def same_as(self, other: _Place) -> bool:
        if self.identity is not None and other.identity is not None:
            return self.identity == other.identity
        return self.identity is None and other.identity is None and self.resolved == other.resolved

    def below(self, folder: _Place) -> PurePath | None:
        """Where this path lies in `folder`, relative to it (also through another name of the folder), or None."""
        if folder.resolved in self.resolved.parents:
            return self.resolved.relative_to(folder.resolved)
        if folder.identity is None:
            return None
        for ancestor in self.resolved.parents:
            try:
                found = os.stat(ancestor)
            except OSError:
                continue
            if (found.st_dev, found.st_ino) == folder.identity:
                return self.resolved.relative_to(ancestor)
        return None


class FilePlan(msgspec.Struct, dict=True):  # a `__dict__` for what it works out once (cached_property)
    """What one command reads and writes. `inputs`: every file it reads; `gathered`: the folders and globs it
    reads them from; `rules`: the rules folders in use (the shipped rules and schemas are added); `outputs`."""

    inputs: list[Path] = msgspec.field(default_factory=list)
    gathered: list[Gathered] = msgspec.field(default_factory=list)
    rules: list[Path] = msgspec.field(default_factory=list)
    outputs: list[Output] = msgspec.field(default_factory=list)

    def write(self, path: Path | None, option: str = "-o") -> FilePlan:
        """Add an output (`None` and `-` print instead, and are left out)."""
        if path is not None and str(path) != "-":
            self.outputs.append(Output(path, option))
        return self

    def write_once(self, path: Path | None, option: str = "-o") -> FilePlan:
        """Add an output that holds secrets no other file keeps (one-time passwords): nothing may stand at its
        path, and it is written readable by its owner alone (`None` and `-` print instead)."""
        if path is not None and str(path) != "-":
            self.outputs.append(Output(path, option, once=True))
        return self

    def is_once(self, path: Path) -> bool:
        return any(o.once and o.path == path for o in self.outputs)

    def write_folder(self, path: Path, option: str) -> FilePlan:
        """Add a folder the command creates and fills with files it names (it must not exist, or be empty)."""
        self.outputs.append(Output(path, option, folder=True))
        return self

    def check(self) -> None:
        """Refuse, before any work, the first output that may not be written; each clash is named once."""
        for index, output in enumerate(self.outputs):
            self._check(output, self.outputs[:index])

    def check_before_writing(self, path: Path) -> None:
        """The same checks for one output about to be written, against every other output."""
        output = next((o for o in self.outputs if o.path == path), None) or Output(path, "-o")
        self._check(output, [o for o in self.outputs if o is not output])

    # ---- the checks ----

    def _check(self, output: Output, others: Iterable[Output]) -> None:
        where = Location(str(output.path))
        place = _Place.of(output.path)

        def refuse(key: str, **values: str) -> None:
            raise UserError.at(where, fact(key, option=output.option, **values))

        for folder in self._rules_folders:
            if place.same_as(folder) or place.below(folder) is not None:
                refuse("output.over_rules_folder", path=_shown(folder.path))
        rule_file = self._rule_files.get(place.identity) if place.identity else None
        if rule_file is not None:
            refuse("output.over_rule_file", path=_shown(rule_file))
        read = self._input_read(place)
        if read is not None:
            refuse("output.over_input", path=_shown(read))
        for gathered, root in self._gathered_places:
            relative = place.below(root)
            if output.folder and relative is None and place.same_as(root):
                relative = PurePath()
            if relative is not None and gathered.takes(relative / "_.xlsx" if output.folder else relative):
                refuse("output.read_as_input", inputs=gathered.shown)
        for other in others:
            there = _Place.of(other.path)
            if there.same_as(place):
                refuse("output.written_twice", other=f"{other.option} {other.path}")
            if (output.folder and there.below(place) is not None) or (other.folder and place.below(there)):
                refuse("output.in_new_folder", other=f"{other.option} {other.path}")
        if output.once and os.path.lexists(output.path):
            refuse("output.exists_once", suggestion=_another_name(output.path))
        if output.folder:
            _new_folder(place, where, output.option)
        else:
            _writable(place, where, output.option)

    def _input_read(self, place: _Place) -> Path | None:
        """The input that `place` is, or None."""
        by_identity, by_path = self._inputs
        if place.identity is not None:
            return by_identity.get(place.identity)
        return by_path.get(place.resolved)

    @cached_property
    def _inputs(self) -> tuple[dict[tuple[int, int], Path], dict[Path, Path]]:
        """The inputs by identity (those that exist) and by resolved path (those that do not)."""
        by_identity: dict[tuple[int, int], Path] = {}
        by_path: dict[Path, Path] = {}
        for path in self.inputs:  # a batch may read thousands: an existing file is only stat-ed
            identity = _identity(path)
            if identity is not None:
                by_identity.setdefault(identity, path)
            else:
                by_path.setdefault(_Place.of(path).resolved, path)
        return by_identity, by_path

    @cached_property
    def _rules_folders(self) -> list[_Place]:
        from scorer.sources.shipped import rules_root, schemas_dir

        return [_Place.of(p) for p in [*self.rules, rules_root(), schemas_dir()]]

    @cached_property
    def _rule_files(self) -> dict[tuple[int, int], Path]:
        """Every file of the rules folders by identity: a hard link elsewhere is still a rule file."""
        found: dict[tuple[int, int], Path] = {}
        for folder in self._rules_folders:
            if folder.info is not None and stat.S_ISDIR(folder.info.st_mode):
                for path in folder.path.rglob("*"):
                    identity = _identity(path, regular=True)
                    if identity is not None:
                        found.setdefault(identity, path)
        return found

    @cached_property
    def _gathered_places(self) -> list[tuple[Gathered, _Place]]:
        return [(g, _Place.of(g.root)) for g in self.gathered]


def _identity(path: Path, regular: bool = False) -> tuple[int, int] | None:
    """(device, inode) of the file at `path` (only a regular file's when `regular`), or None where there is none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return None if regular and not stat.S_ISREG(info.st_mode) else (info.st_dev, info.st_ino)


def _writable(place: _Place, where: Location, option: str) -> None:
    """What may stand at an output's path: nothing yet, or a regular file that is not read-only (reached, maybe,
    through symbolic links that lead somewhere)."""
    existing = place.info
    if place.loops:
        raise UserError.at(where, fact("output.link_loop", option=option))
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise UserError.at(where, fact("output.is_folder", option=option))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise UserError.at(where, fact("output.not_regular_file", option=option))
    if existing is not None and (not existing.st_mode & 0o222 or not os.access(place.resolved, os.W_OK)):
        raise UserError.at(
            where, fact("output.read_only", option=option)
        )  # read-only says: do not replace me
    if not place.resolved.parent.is_dir():
        raise UserError.at(where, fact("output.no_folder", folder=str(place.resolved.parent)))


def _new_folder(place: _Place, where: Location, option: str) -> None:
    """A folder the command fills: none there yet, or an empty folder; never a file, never a folder holding
    anything (nothing in it would be kept, nothing is overwritten)."""
    existing = place.info
    if place.loops:
        raise UserError.at(where, fact("output.link_loop", option=option))
    if existing is not None and not stat.S_ISDIR(existing.st_mode):
        raise UserError.at(where, fact("output.folder_is_file", option=option))
    if existing is not None and _holds_anything(place.resolved):
        raise UserError.at(where, fact("output.folder_not_empty", option=option))
    if not place.resolved.parent.is_dir():
        raise UserError.at(where, fact("output.no_folder", folder=str(place.resolved.parent)))


def _holds_anything(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:  # a folder that cannot be listed is not known to be empty
        return True


def _another_name(path: Path) -> str:
    """The first free name beside `path`: 初始密码-2.csv, 初始密码-3.csv, …"""
    number = 2
    while os.path.lexists(candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")):
        number += 1
    return str(candidate)


def _shown(path: Path) -> str:
    from scorer.sources.yaml import display_path

    return display_path(path)
