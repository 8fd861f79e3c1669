"""Departments renamed or merged from one year to the next: the alias file (`--aliases FILE`).

YAML, one line per earlier name: `旧名称: 新名称`; or CSV, a header row `old,new` (or `原名称,新名称`) and one
row per earlier name. Two earlier names with one new name are a merger. Names are compared by
`department_key` (the rule of the whole project: spaces, full-width forms and characters drawn as nothing aside),
a rename of a rename is followed to its end; a name given two new names, a loop of renames, an empty name or a
row without its two cells is refused at its line.

A renamed department is compared with last year under its earlier name. A merged one is compared with none (two
departments' totals are not one department's change): it is flagged as merged, naming them, and the earlier
ones are not missing this year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scorer.errors import Location, Problem, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs.model import department_key
from scorer.sources.yaml import display_path


@dataclass
class Aliases:
    renamed: dict[str, str] = field(default_factory=dict)  # earlier name's key → the present name's key
    earlier: dict[str, list[str]] = field(
        default_factory=dict
    )  # present name's key → earlier names, as written

    def before(self, name: str) -> list[str]:
        """The earlier names of a department (one: renamed; several: merged)."""
        return self.earlier.get(department_key(name), [])

    def merged(self, name: str) -> bool:
        return len(self.before(name)) > 1

    def now(self, key: str) -> str:
        """The present key of a department key (itself when it was not renamed)."""
        return self.renamed.get(key, key)


def read_aliases(path: Path) -> Aliases:
    display = display_path(path)
    pairs = _csv_pairs(path, display) if path.suffix.lower() == ".csv" else _yaml_pairs(path, display)
    found = Aliases()
    given: dict[str, tuple[str, int | str | None]] = {}
    problems: list[Problem] = []
    for old, new, line in pairs:
        key, to = department_key(old), department_key(new)
        if not key or not to:
            problems.append(Problem(Location(display, line), fact("aliases.empty")))
        elif key in given and given[key][0] != to:
            first = given[key][1]
            problems.append(
                Problem(Location(display, line), fact("aliases.twice", name=old, line=str(first)))
            )
        elif key != to:
            given[key] = (to, line)
            found.earlier.setdefault(to, []).append(old)
    if problems:
        raise UserError(problems)
    for key, (to, line) in given.items():
        seen = {key}
        while to in given:  # a rename of a rename: followed to its end
            if to in seen:
                raise UserError.at(Location(display, line), fact("aliases.loop"))
            seen.add(to)
            to = given[to][0]
        found.renamed[key] = to
    for key, to in found.renamed.items():
        if given[key][0] != to:  # the middle of a chain: its earlier names are the end's too
            found.earlier.setdefault(to, []).extend(found.earlier.get(given[key][0], []))
    return found


def _yaml_pairs(path: Path, display: str) -> list[tuple[str, str, int | str | None]]:
    from scorer.sources.yaml import load_yaml_file

    document = load_yaml_file(path, display)
    if not isinstance(document.data, dict):
        raise UserError.at(Location(display, 1), fact("aliases.not_a_mapping"))
    pairs = []
    for old, new in document.data.items():
        line = document.lines.line((old,))
        if not isinstance(old, str) or not isinstance(new, str):
            raise UserError.at(Location(display, line), fact("aliases.not_a_name"))
        pairs.append((old, new, line))
    return pairs


def _csv_pairs(path: Path, display: str) -> list[tuple[str, str, int | str | None]]:
    import csv
    import io

    from scorer.sources.encoding import detect
    from scorer.sources.yaml import read_bytes

    raw = read_bytes(path, display)
    rows = list(csv.reader(io.StringIO(raw.decode(detect(raw, display)).removeprefix("\ufeff"))))
    heads = {t("aliases.head_old", lang).casefold() for lang in ("zh", "en")}
    if not rows or not rows[0] or rows[0][0].strip().casefold() not in heads:
        raise UserError.at(Location(display, 1), fact("aliases.no_header"))
    pairs: list[tuple[str, str, int | str | None]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < 2 or any(cells[2:]):
            raise UserError.at(Location(display, number), fact("aliases.two_cells"))
        pairs.append((cells[0], cells[1], number))
    return pairs
