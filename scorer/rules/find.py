"""Where a rubric's `extends:` and `use:` lead: a rubric (`id/year`) or a shared row (`_shared/<name>`) found
under a rules root, never outside one.

A name is checked against its pattern before it becomes a path, so it holds no `..`, no absolute path and no
separator but the one between id and year. It is looked up under the rules root the rubric itself stands in
(`<root>/<id>/<year>/`), then under the shipped rules; each folder on the way must be a real folder inside that
root (a link is not followed out of it) and the file a regular file inside it.
"""

from __future__ import annotations

import re
from pathlib import Path

from scorer.sources.shipped import RUBRIC_ID, RUBRIC_NAME, rules_root

SHARED = "_shared"
_SHARED_ROW = re.compile(r"_shared/([a-z][a-z0-9_]*)")
_RUBRIC_ROW = re.compile(rf"({RUBRIC_NAME.pattern})/([a-z][a-z0-9_]*)")


def own_root(folder: Path) -> Path | None:
    """The rules root a rubric folder stands in (`<root>/<id>/<year>/`), or None when it stands alone."""
    if RUBRIC_ID.fullmatch(folder.parent.name) and re.fullmatch(r"\d{4}", folder.name):
        return folder.parent.parent
    return None


def roots_of(folder: Path) -> list[Path]:
    """Where the names a rubric gives are looked up: its own rules root, then the shipped one."""
    roots = [root for root in (own_root(folder), rules_root()) if root is not None]
    return list(dict.fromkeys(roots))


def find_rubric(folder: Path, name: str) -> Path | None:
    """The folder of the rubric `id/year` that the rubric in `folder` names, or None."""
    if not RUBRIC_NAME.fullmatch(name):
        return None
    ident, year = name.split("/")
    for root in roots_of(folder):
        found = _inside(root, [ident, year], "rubric.yaml")
        if found is not None:
            return found.parent
    return None


def rubrics_of(folder: Path, ident: str) -> list[str]:
    """The rubrics `id/year` of the id `ident` that the rubric in `folder` could name, for a hint."""
    if not RUBRIC_ID.fullmatch(ident):
        return []
    found = []
    for root in roots_of(folder):
        place = root / ident
        years = (
            sorted(p.name for p in place.iterdir() if re.fullmatch(r"\d{4}", p.name))
            if place.is_dir()
            else []
        )
        found += [f"{ident}/{year}" for year in years if _inside(root, [ident, year], "rubric.yaml")]
    return list(dict.fromkeys(found))


def split_use(name: str) -> tuple[str, str] | None:
    """`_shared/<name>` → ("_shared", name); `id/year/row` → ("id/year", row); anything else → None."""
    shared = _SHARED_ROW.fullmatch(name)
    if shared:
        return SHARED, shared.group(1)
    row = _RUBRIC_ROW.fullmatch(name)
    return (row.group(1), row.group(4)) if row else None


def find_shared(folder: Path, name: str) -> Path | None:
    """The file of the shared row `_shared/<name>` that the rubric in `folder` uses, or None."""
    for root in roots_of(folder):
        found = _inside(root, [SHARED], f"{name}.yaml")
        if found is not None:
            return found
    return None


def _inside(root: Path, folders: list[str], file: str) -> Path | None:
    """`root/folders…/file` when each folder is a real folder (not a link) and the file a regular file (not a
    link), all inside `root`; else None."""
    where = root
    for part in folders:
        where = where / part
        if where.is_symlink() or not where.is_dir():
            return None
    path = where / file
    if path.is_symlink() or not path.is_file():
        return None
    real_root = root.resolve()
    return path if real_root in path.resolve().parents else None
