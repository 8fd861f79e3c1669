"""Where the web layer meets the library: the same reading, scoring, auditing and documents `score run`,
`score audit`, `score report` and `score batch` use. Nothing here knows about requests or the database.

An upload is read from a private file in the data folder (`uploads/`, the owner's only), so that it goes through
the very readers the command line uses, with their limits and checks; problems name the file as the user named it.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from scorer.audit.model import Audit
from scorer.engine.errors import EngineError, RuleRuntimeError
from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.errors import LineMap, Location, Problem, RulesNotFound, UserError
from scorer.facts import fact
from scorer.i18n import speaking
from scorer.inputs.model import Department, Override
from scorer.inputs.read import read_inputs
from scorer.render.options import RenderOptions
from scorer.rules.model import RuleSet
from scorer.web import stored


@dataclass(frozen=True)
class Reading:
    """What reading one upload gave: the inputs it states and their result, or the problems that kept it out."""

    problems: tuple[Problem, ...] = ()
    inputs: str = ""  # JSON (scorer/web/stored.py)
    result: Result | None = None
    audit: Audit | None = None  # a 自评表's findings
    places: tuple[
        tuple[str, str], ...
    ] = ()  # where the file names its department and year (a cell or a line)

    def place(self, key: str) -> str | None:
        return dict(self.places).get(key)


# A shared server reads what anyone uploads: a workbook is a zip, and a few hundred kilobytes of it can claim
# gigabytes once unpacked. Before a reader opens one, its members' declared sizes must fit these bounds (zipfile
# itself never unpacks more than a member declares: a member that lies fails its CRC and is refused as damaged).
UNPACKED_LIMIT = (
    16 * 1024 * 1024
)  # a filled input workbook unpacks to about 100 KB, a 自评表 to a few hundred
MEMBERS_LIMIT = 1000
# Uploads are read two at a time at most, so that many large ones at once cannot add up in memory.
_reading = threading.BoundedSemaphore(2)


@cache
def rules_for(year: int) -> RuleSet:
    """The released rules of `year`, read once per process (a new release is picked up by a restart)."""
    from scorer.rules.read import load_rules

    return load_rules(str(year))


def current_year() -> int:
    from scorer.inputs.choose import latest_year

    return int(latest_year())


def released_years() -> list[int]:
    from scorer.sources.shipped import shipped_years

    return [int(year) for year in shipped_years()]


@contextmanager
def as_file(content: bytes, folder: Path, suffix: str) -> Iterator[Path]:
    """The upload's bytes as a private regular file while a reader reads it; removed afterwards."""
    handle, name = tempfile.mkstemp(suffix=suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        yield Path(name)
    finally:
        os.unlink(name)


def read_upload(content: bytes, filename: str, kind: str, folder: Path, lang: str) -> Reading:
    """Read an input workbook (`kind` "workbook" or "page") or a 自评表 ("table"), in `lang`."""
    suffix = ".xlsx" if kind != "table" or content[:4] == b"PK\x03\x04" else ".txt"
    with speaking(lang), _reading, as_file(content, folder, suffix) as path:
        try:
            _unpacks_within_bounds(content, filename)
            return _table(path, filename) if kind == "table" else _workbook(path, filename)
        except UserError as exc:
            return Reading(problems=tuple(exc.problems))
        except RulesNotFound as exc:
            return Reading(problems=(Problem(Location(filename), exc.fact),))
        except RuleRuntimeError as exc:
            return Reading(problems=(Problem(exc.location(), exc.fact),))


def _unpacks_within_bounds(content: bytes, filename: str) -> None:
    """A zip (a workbook) whose members claim more than UNPACKED_LIMIT, or more than MEMBERS_LIMIT members, is
    refused before anything is unpacked; anything else is left to the reader to say what it is."""

    if content[:2] != b"PK":
        return
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip after all: the reader says so in its own words
    claimed = sum(member.file_size for member in members)
    if len(members) > MEMBERS_LIMIT or claimed > UNPACKED_LIMIT:
        limit = f"{UNPACKED_LIMIT // (1024 * 1024)} MB"
        raise UserError.at(Location(filename), fact("web.upload.unpacks_too_large", limit=limit))


def _workbook(path: Path, filename: str) -> Reading:
    from scorer.inputs.choose import rules_for_inputs
    from scorer.inputs.workbook import load_workbook_inputs

    doc = load_workbook_inputs(path, filename)
    rules = rules_for(int(rules_for_inputs(None, doc)))
    department = read_inputs(doc, rules)
    places = tuple((key, str(doc.lines.line((key,)) or "")) for key in ("department", "year"))
    return Reading(inputs=stored.dumps(doc.data), result=score(rules, department), places=places)


def _table(path: Path, filename: str) -> Reading:
    """A 自评表 as `score audit` reads it and `score batch` re-scores it (scorer/audit/files.py:
    `read_submitted`), under the rules of its title's year."""
    from scorer.audit.files import inputs_data, read_grid, read_submitted
    from scorer.audit.layout import table_year, title_of

    grid = read_grid(path, filename)
    year = table_year(title_of(grid))
    if year is None:
        raise UserError.at(
            Location(filename, grid.rows[0].at(0) if grid.rows else None), fact("audit.no_year")
        )
    rules = rules_for(year)
    submitted = read_submitted(path, rules, filename)
    data = inputs_data(submitted.audit.recovered)
    return Reading(
        inputs=stored.dumps(data), result=score(rules, submitted.department), audit=submitted.audit
    )


def _document(display: str, data: Any) -> Any:
    from scorer.sources.yaml import YamlDocument

    return YamlDocument(display, data, LineMap({(): 1}))


def department_of(inputs: str, year: int, display: str) -> Department:
    """A stored version's inputs, read again by the inputs reader under its year's rules."""
    return read_inputs(_document(display, stored.loads(inputs)), rules_for(year))


def rescored(department: Department, year: int, adjustments: dict[str, tuple[Decimal, str]]) -> Result:
    """The result with the bureau's 复核调整 in place of the department's scores (the engine's override): each
    adjusted row scores what the bureau decided, with its reason."""
    indicators = dict(department.indicators)
    for ident, (points, reason) in adjustments.items():
        if ident in indicators:
            indicators[ident] = replace(indicators[ident], override=Override(points, reason), deductions=())
    try:
        return score(rules_for(year), replace(department, indicators=indicators))
    except (
        EngineError
    ) as exc:  # an adjustment the form let through that the engine refuses: say so, not crash
        raise UserError.at(Location(department.path), exc.fact) from None


def adjustment_problem(rules: RuleSet, ident: str, points: Decimal) -> str | None:
    """Why a 复核调整 cannot stand, or None: the row must exist, the score lie within [0, weight] and have the
    places the row's rounding gives."""
    from scorer.i18n import t

    indicator = next((i for i in rules.indicators if i.id == ident), None)
    if indicator is None:
        return t("web.adjust.no_row")
    if not 0 <= points <= indicator.weight:
        return t("inputs.override_range", weight=f"{indicator.weight:f}", score=f"{points:f}")
    if not indicator.rounding.fits(points):
        return t("inputs.override_places", score=f"{points:f}", places=indicator.rounding.places)
    return None


def audited(result: Result, folder: Path, lang: str) -> Audit:
    """复核 of a scored version: its official 自评表, as the department would hand it in, read back by
    `score audit` and checked against the rules (so a rule change since it was scored shows at its rows)."""
    content = document(result, "xlsx", lang)
    filename = f"{result.department}.xlsx"
    reading = read_upload(content, filename, "table", folder, lang)
    if reading.audit is None:
        raise UserError(list(reading.problems))
    return reading.audit


def document(result: Result, name: str, lang: str) -> bytes:
    """The official 自评表 (xlsx) or the 自评报告 (docx), as `score run -o` and `score report -o` write them."""
    from scorer.render import RENDERERS, REPORTS, by_name

    registry = REPORTS if name == "docx" else RENDERERS
    content = by_name(name, registry).render(result, RenderOptions(lang))
    return content if isinstance(content, bytes) else content.encode("utf-8")


def input_workbook(year: int, lang: str, given: dict[str, Any] | None = None) -> bytes:
    """The input workbook `score template -o 自评输入.xlsx` writes, pre-filled from `given` inputs data."""
    from scorer.render.input_workbook import build_template

    return build_template(rules_for(year), lang, given, [], served=True)
