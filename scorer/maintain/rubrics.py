"""`score rules list` and `score rules new`: the rubrics there are, and next year's as an extension of this
year's, marked provisional until its sources are recorded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scorer.errors import Location, RulesNotFound, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.rules.find import find_rubric
from scorer.rules.read import load_rules, read_rules, resolve_rules
from scorer.sources.shipped import RUBRIC_NAME, released_rubrics, rules_root, shipped_rubrics
from scorer.sources.yaml import display_path


@dataclass(frozen=True)
class Listed:
    name: str  # id/year
    title: str
    status: str  # released | provisional | draft | invalid
    extends: str
    folder: str


def list_rubrics() -> list[Listed]:
    """The shipped rubrics, then those of ./rules when the working folder is a rubric repository."""
    released = set(released_rubrics())
    found = [(name, rules_root() / name, name in released) for name in shipped_rubrics()]
    local = Path("rules")
    if local.is_dir() and local.resolve() != rules_root().resolve():
        found += [
            (f"{p.parent.parent.name}/{p.parent.name}", p.parent, True)
            for p in sorted(local.glob("*/*/rubric.yaml"))
        ]
    return [_listed(name, folder, listed) for name, folder, listed in found]


def _listed(name: str, folder: Path, released: bool) -> Listed:
    rules, _ = read_rules(folder)
    if rules is None:
        return Listed(name, "", "invalid", "", display_path(folder))
    status = "provisional" if rules.provisional else ("released" if released else "draft")
    return Listed(rules.name if rules.id else name, rules.title, status, rules.extends, display_path(folder))


def new_rubric(name: str, source: str, output: Path | None) -> Path:
    """Write the rubric `name` (`id/year`) extending `source` into `output` (else ./rules/<id>/<year>/):
    provisional, with no source recorded and no change yet. Nothing that exists is ever written over."""
    if not RUBRIC_NAME.fullmatch(name):
        raise RulesNotFound(fact("rubrics.bad_name", name=name))
    parent_folder = resolve_rules(source)
    parent = load_rules(parent_folder)  # a rubric with problems is not one to start from
    if not parent.id:
        raise UserError.at(Location(parent.rubric_path, 1), fact("rubrics.parent_without_id"))
    folder = output if output is not None else Path("rules") / name
    where = Location(display_path(folder))
    if folder.exists() or folder.is_symlink():
        raise UserError.at(where, fact("rubrics.folder_exists"))
    inside = next((a for a in folder.absolute().parents if (a / "rubric.yaml").exists()), None)
    if inside is not None:  # never into another rubric's folder, the one extended included
        raise UserError.at(where, fact("rubrics.inside_rubric", path=display_path(inside)))
    found = find_rubric(folder.absolute(), parent.name)
    if found is None or found.resolve() != Path(parent.folder).resolve():
        raise UserError.at(
            where, fact("rubrics.parent_out_of_reach", parent=parent.name, place=f"<rules>/{name}")
        )
    ident, year = name.split("/")
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir()  # fails when another process made it meanwhile: nothing is written over
    same = ident == parent.id
    text = _RUBRIC.format(
        id=ident,
        year=year,
        parent=parent.name,
        identity=f"region: {parent.region}\nfamily: {parent.family}\n" if same and parent.region else "",
    )
    handle = os.open(
        folder / "rubric.yaml", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666
    )
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    return folder


_STATUS = {
    "released": "rubrics.status.released",
    "provisional": "rubrics.status.provisional",
    "draft": "rubrics.status.draft",
    "invalid": "rubrics.status.invalid",
}

# The names are checked against their patterns (letters, digits, hyphens, a year): written as they are.
_RUBRIC = """\
# {id} {year}: extends {parent} and states only its changes (docs/rubrics.md).
# Provisional until its sources are recorded: every output says so. When the {year} table is published, record
# it under provenance.source, set status: released, and list what it changes under changes:.
id: {id}
{identity}year: {year}
extends: {parent}
status: provisional
provenance:
  source: []
  notes: Written by score rules new from {parent}; nothing changed yet.
changes: []
#  - {{reweight: <row>, weight: <points>}}
#  - {{change: <row>, set: {{bands: [...]}}}}
#  - {{add: <row>, after: <row>}}            # with indicators/<row>.yaml beside this file
#  - {{add: <row>, use: _shared/<name>, weight: <points>}}
#  - {{remove: <row>}}
#  - {{replace: <row>}}                      # with indicators/<row>.yaml beside this file
"""


def render_list(listed: list[Listed], fmt: str, lang: str) -> str:
    """The rubrics as text (one line each) or as JSON (a list of objects)."""
    import json

    if fmt == "json":
        rows = [
            {
                "rubric": r.name,
                "id": r.name.partition("/")[0],
                "year": int(r.name.partition("/")[2]) if r.name.partition("/")[2].isdigit() else None,
                "title": r.title,
                "status": r.status,
                "extends": r.extends or None,
                "folder": r.folder,
            }
            for r in listed
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    from scorer.escape import one_line

    lines = []
    for r in listed:
        status = t(_STATUS[r.status], lang)
        extends = t("rubrics.extends", lang, parent=r.extends) if r.extends else ""
        lines.append(one_line(f"{r.name}  {status}  {r.title}{extends}  ({r.folder})"))
    return "\n".join(lines or [t("rubrics.none", lang)]) + "\n"
