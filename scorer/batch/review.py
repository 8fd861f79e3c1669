"""复核 over a district: `score audit FOLDER|FILES… -o 复核清单.xlsx`.

The folders and globs are walked as `score batch` walks them (scorer/batch/sources.py: the same links refused, the
same forms told apart by their content); each 自评表 is audited as `score audit TABLE` audits it
(scorer/audit/files.py), under the rules of the year its title names (or `--rules`). The 复核清单 is one row per
table (department, 自评分, 复核分, difference, number of findings, status) and every finding at its row or cell;
a file that is no 自评表 is listed with why, never passed over. The web workplace's 复核清单 is written by the same
writer (scorer/batch/review_formats.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from scorer.audit.files import audit_file
from scorer.audit.model import Audit
from scorer.batch.sources import Source, table_or_why, walk
from scorer.errors import Location, Problem, RulesNotFound, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs.model import department_key
from scorer.numbers import EXACT
from scorer.sources.file_kind import NotReadable
from scorer.sources.yaml import display_path

CONSISTENT, FINDINGS, REFUSED, DUPLICATE = "consistent", "findings", "refused", "duplicate"
STATUSES = (CONSISTENT, FINDINGS, REFUSED, DUPLICATE)


@dataclass(frozen=True)
class Reviewed:
    """One table's line of the 复核清单."""

    place: str  # the file, as messages name it
    department: str
    stated: Decimal | None  # 自评分: the total the table prints
    rescored: Decimal | None  # 复核分: the facts it states, scored under the rules
    status: str  # one of STATUSES
    audit: Audit | None = None
    problems: tuple[Problem, ...] = ()  # why a table was refused

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.rescored is None:
            return None
        return EXACT.subtract(self.rescored, self.stated)

    @property
    def findings(self) -> int:
        return len(self.audit.errors) if self.audit is not None else len(self.problems)


@dataclass
class DistrictReview:
    rows: list[Reviewed] = field(default_factory=list)
    others: list[tuple[str, tuple[Problem, ...]]] = field(default_factory=list)  # no 自评表, with why

    @property
    def audits(self) -> list[Audit]:
        return [row.audit for row in self.rows if row.audit is not None]

    @property
    def refused(self) -> list[Problem]:
        return [problem for row in self.rows if row.audit is None for problem in row.problems]

    @property
    def failed(self) -> bool:
        return any(row.status != CONSISTENT for row in self.rows)

    def tally(self, lang: str | None = None) -> str:
        counts = {status: sum(row.status == status for row in self.rows) for status in STATUSES}
        return t("audit.tally", lang, tables=len(self.rows), others=len(self.others), **counts)


def review(
    paths: Iterable[Path], rules: str | None, given: Mapping[Path, str] | None = None
) -> DistrictReview:
    """Every table the paths name, audited; each other file listed with why (and each file `given` to the
    command as another option: path → the option)."""
    found = DistrictReview()
    seen: dict[tuple[str, int], str] = {}  # (department key, year) → the table it was first read from
    for path in paths:
        for entry in walk(path, given):
            if isinstance(
                entry, Source
            ):  # a hidden or lock file (listed), a link out of the folder (refused)
                _listed(found, entry)
                continue
            file, folder = entry
            display = display_path(file)
            try:
                why = table_or_why(file, folder)
            except NotReadable as exc:  # a Word or OpenDocument file in a folder: no 自评表, with the hint
                why = exc.problems[0].message if folder else None
                if why is None:
                    found.rows.append(
                        Reviewed(display, "", None, None, REFUSED, problems=tuple(exc.problems))
                    )
                    continue
            except UserError as exc:
                found.rows.append(Reviewed(display, "", None, None, REFUSED, problems=tuple(exc.problems)))
                continue
            if why is not None:
                found.others.append((display, (Problem(Location(display), why),)))
                continue
            reviewed = _reviewed(file, display, rules, seen)
            if folder and _no_table(
                reviewed
            ):  # a README.txt, a workbook of other figures: listed, not refused
                found.others.append((display, (Problem(Location(display), fact("batch.other.no_table")),)))
            else:
                found.rows.append(reviewed)
    return found


def _no_table(reviewed: Reviewed) -> bool:
    said = [problem.message for problem in reviewed.problems]
    return reviewed.status == REFUSED and said in ([fact("audit.read.no_table")], [fact("audit.read.empty")])


def _listed(found: DistrictReview, source: Source) -> None:
    if source.kind == "other":
        found.others.append((source.display, tuple(source.payload)))
    else:
        found.rows.append(Reviewed(source.display, "", None, None, REFUSED, problems=tuple(source.payload)))


def _reviewed(file: Path, display: str, rules: str | None, seen: dict[tuple[str, int], str]) -> Reviewed:
    try:
        audited = audit_file(file, rules)
    except UserError as exc:
        return Reviewed(display, "", None, None, REFUSED, problems=tuple(exc.problems))
    except RulesNotFound as exc:
        return Reviewed(display, "", None, None, REFUSED, problems=(Problem(Location(display), exc.fact),))
    table = audited.table
    key = (department_key(table.department), audited.rules_year)
    first = seen.get(key) if key[0] else None
    if first is not None:  # a second table of one department and year: refused, naming the first
        message = fact("audit.duplicate", department=table.department, year=audited.rules_year, first=first)
        problem = Problem(Location(table.path), message)
        return Reviewed(display, table.department, table.total, None, DUPLICATE, problems=(problem,))
    seen[key] = table.path
    status = CONSISTENT if audited.consistent else FINDINGS
    return Reviewed(display, table.department, table.total, audited.rescored_total, status, audited)
