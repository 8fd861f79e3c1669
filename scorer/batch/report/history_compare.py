"""`score history`'s comparison: the latest year in the database against the year before it, department by
department (total, grade, the indicators that moved most), the departments new this year and those missing, and
per indicator how many departments moved and by how much in all.

Departments are matched by `department_key`, and by the alias file's renames (`--aliases`); a year scored and
imported is taken as scored; a year scored more than once, at its latest scoring. An imported table's rows are
matched by the indicator this year's rules name them by, else by their printed name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from scorer.batch.history import HistoryRow
from scorer.batch.report.common import shown, signed
from scorer.escape import one_line
from scorer.i18n import t
from scorer.inputs.model import department_key
from scorer.numbers import EXACT

MOVERS = 3  # indicators named per department


@dataclass(frozen=True)
class Pair:
    before: HistoryRow | None
    after: HistoryRow | None


def pairs(found: list[HistoryRow], renamed: Mapping[str, str] | None = None) -> tuple[int, dict[str, Pair]]:
    """The latest year, and each department (by its key, renames followed) with its row of that year and of
    the year before."""
    renamed = renamed or {}
    year = max(row.year for row in found)
    chosen: dict[tuple[str, int], HistoryRow] = {}
    for row in found:  # rows come by time within a year: the latest scoring wins, a scored row over an import
        if row.year not in (year, year - 1):
            continue
        key = (renamed.get(row.key, row.key), row.year)
        if key not in chosen or chosen[key].imported or not row.imported:
            chosen[key] = row
    keys = dict.fromkeys(key for key, _ in chosen)
    return year, {key: Pair(chosen.get((key, year - 1)), chosen.get((key, year))) for key in keys}


def comparison(found: list[HistoryRow], lang: str, renamed: Mapping[str, str] | None = None) -> list[str]:
    """The comparison's lines, or none when the database holds a single year."""
    if len({row.year for row in found}) < 2:
        return []
    year, matched = pairs(found, renamed)
    both = [(p.before, p.after) for p in matched.values() if p.before is not None and p.after is not None]
    out = ["", t("history.compare.title", lang, year=year, before=year - 1)]
    for before, after in sorted(both, key=lambda pair: -pair[1].total):
        line = t("history.compare.line", lang, department=after.department, before=shown(before.total),
                 after=shown(after.total), change=signed(EXACT.subtract(after.total, before.total)),
                 grade_before=before.grade, grade=after.grade)  # fmt: skip
        moved = _movers(before, after)
        out.append(one_line("  " + line + (t("list.separator", lang) + moved if moved else "")))
    new = [p.after.department for p in matched.values() if p.after is not None and p.before is None]
    gone = [p.before.department for p in matched.values() if p.before is not None and p.after is None]
    for key, names in (("history.compare.new", new), ("history.compare.missing", gone)):
        if names:
            out.append(
                one_line(t(key, lang, count=len(names), names="、".join(sorted(names, key=department_key))))
            )
    out += _by_indicator(both, lang)
    return out


def _changes(before: HistoryRow, after: HistoryRow) -> list[tuple[str, Decimal, Decimal]]:
    """(name, before, after) of each indicator both years score differently, matched by id, else by name."""
    earlier = {ident or name: score for ident, name, _, score in before.indicators}
    found = []
    for ident, name, _, score in after.indicators:
        was = earlier.get(ident, earlier.get(name))
        if was is not None and was != score:
            found.append((name, was, score))
    return found


def _movers(before: HistoryRow, after: HistoryRow) -> str:
    most = sorted(_changes(before, after), key=lambda c: -abs(EXACT.subtract(c[2], c[1])))[:MOVERS]
    return "、".join(f"{name} {shown(was)}→{shown(now)}" for name, was, now in most)


def _by_indicator(both: list[tuple[HistoryRow, HistoryRow]], lang: str) -> list[str]:
    moved: dict[str, list[Decimal]] = {}
    for before, after in both:
        for name, was, now in _changes(before, after):
            moved.setdefault(name, []).append(EXACT.subtract(now, was))
    if not moved:
        return []
    out = [t("history.compare.indicators", lang)]
    for name, changes in sorted(moved.items(), key=lambda item: (-len(item[1]), item[0])):
        up, down = sum(c > 0 for c in changes), sum(c < 0 for c in changes)
        total = sum(changes, Decimal(0))
        out.append(one_line("  " + t("history.compare.indicator", lang, name=name, up=up, down=down,
                                          change=signed(total))))  # fmt: skip
    return out
