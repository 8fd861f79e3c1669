"""`score audit TABLE…`: read filled 自评表s as departments hand them in (a workbook, or the text copied out of
Excel or Word), check each against its year's rules, and optionally write the inputs a table states
(`--to-inputs`) so that it can be re-scored with `score run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.audit.check import audit
from scorer.audit.layout import header_words, read_layout, row_labels, table_year, title_of
from scorer.audit.model import Audit, SubmittedTable
from scorer.errors import LineMap, Location, PathKey, Problem, RulesNotFound, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.inputs.model import Department, IndicatorInputs, department_key
from scorer.inputs.workbook import is_workbook
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules
from scorer.sources.file_kind import WORKBOOK, kind_of
from scorer.sources.grid import Grid
from scorer.sources.grid_text import read_table_text
from scorer.sources.yaml import display_path
from scorer.sources.yaml_write import comment


def read_grid(path: Path, display: str) -> Grid:
    """A workbook (by its bytes or its name), else a pasted text table; another program's document is refused
    with the hint to save it as .xlsx (scorer/sources/file_kind.py)."""
    if kind_of(path, display) == WORKBOOK or is_workbook(path):
        from scorer.sources.grid_xlsx import read_table_xlsx

        return read_table_xlsx(path, display, header_words())
    return read_table_text(path, display, row_labels())


def audit_file(path: Path, rules: str | None = None) -> Audit:
    """Audit one table under `rules`, or under the rules of the year its title names."""
    display = display_path(path)
    grid = read_grid(path, display)
    spec = rules
    if spec is None:
        year = table_year(title_of(grid))
        if year is None:
            raise UserError.at(
                Location(display, grid.rows[0].at(0) if grid.rows else None), fact("audit.no_year")
            )
        spec = str(year)
    rule_set = load_rules(spec)
    return audit(read_layout(grid, rule_set), rule_set)


@dataclass(frozen=True)
class Submitted:
    """A 自评表 as handed in: what auditing it found, and the department its facts state, read again by the
    inputs reader (so the same checks apply as to an inputs file)."""

    audit: Audit
    department: Department


def read_submitted(
    path: Path, rules: RuleSet, display: str | None = None, lang: str | None = None
) -> Submitted:
    """A 自评表 (a workbook, or pasted table text) audited under `rules` and re-scored from the facts it states,
    as `audit --to-inputs` writes them: the one reading `score batch` and the web workplace share. `lang`: the
    language of the reasons restated for rows that give none."""
    from scorer.inputs.read import read_inputs
    from scorer.sources.yaml import YamlDocument

    display = display or display_path(path)
    table = read_layout(read_grid(path, display), rules)
    doubts = doubt_problems(table)
    if doubts:  # a cell not read as the table shows it: never scored as some other number
        raise UserError(doubts)
    found = audit(table, rules, lang)
    document = YamlDocument(display, inputs_data(found.recovered), stated_at(found))
    return Submitted(found, read_inputs(document, rules))


def stated_at(found: Audit) -> LineMap:
    """Where the table states each input re-scored from it, so that a problem with one is located at its cell
    (or line): a row's facts in its reason, its own score at its score, the profile's values at theirs; what
    the table does not state at its header row."""
    table = found.table
    rows = {row.where: row for row in table.rows}
    lines: dict[PathKey, int | str] = {(): table.header_at}
    lines.update(table.places.items())
    for ident, where in found.matched.items():
        lines[("indicators", ident)] = where
        row = rows.get(where)
        if row is None:
            continue
        stated = found.recovered.indicators.get(ident)
        for key in stated.values if stated is not None else ():
            lines[("indicators", ident, key)] = row.at("reason")
        lines[("indicators", ident, "deductions")] = row.at("reason")
        lines[("indicators", ident, "override")] = row.at("score")
        lines[("indicators", ident, "override", "reason")] = row.at("reason")
    return LineMap(lines)


def doubt_problems(table: SubmittedTable) -> list[Problem]:
    """Each cell of a table that could not be read as it shows (a number with words around it, a hidden or
    uncomputed value, characters lost in copying), as a problem at its cell with its row's name and column:
    what re-scores or stores a table refuses it for these, since no number stands for what the cell shows."""
    found = [(d, "") for d in table.doubts] + [(d, row.name) for row in table.rows for d in row.doubts]
    return [
        Problem(
            Location(table.path, d.where, name or None, fact(d.field) if d.field else None),
            fact(d.why, text=d.text),
        )
        for d, name in found
    ]


def audit_files(paths: list[Path], rules: str | None) -> tuple[list[Audit], list[Problem]]:
    """Every table audited; a table that cannot be read is a problem, and the others are still audited. A second
    table of the same department (by `department_key`) and year is refused, naming the first."""
    audits: list[Audit] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}  # (department key, year) → the table it was first read from
    for path in paths:
        try:
            found = audit_file(path, rules)
        except UserError as exc:
            problems.extend(exc.problems)
            continue
        except RulesNotFound as exc:
            problems.append(Problem(Location(display_path(path)), exc.fact))
            continue
        key = (department_key(found.table.department), found.rules_year)
        first = seen.get(key) if key[0] else None
        if first is not None:
            message = fact(
                "audit.duplicate", department=found.table.department, year=found.rules_year, first=first
            )
            problems.append(Problem(Location(found.table.path), message))
            continue
        seen[key] = found.table.path
        audits.append(found)
    return audits, problems


# ---- --to-inputs: the inputs a table states, as a Contract-1 inputs file ----


def inputs_yaml(result: Audit) -> str:
    """The inputs file (YAML) a table states: re-score it with `score run FILE`."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        return dumper.represent_scalar(
            "tag:yaml.org,2002:float" if "." in f"{value:f}" else "tag:yaml.org,2002:int", f"{value:f}"
        )

    _Dumper.add_representer(Decimal, decimal)
    data = inputs_data(result.recovered)
    header = t("audit.inputs_header", path=comment(result.table.path), rules=result.rules_year)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "".join(f"# {comment(line)}\n" for line in header.split("\n")) + body


def inputs_data(department: Department) -> dict[str, Any]:
    data: dict[str, Any] = {"department": department.name, "year": department.year}
    if department.units is not None:
        data["units"] = department.units
    if department.budget:
        data["budget"] = dict(department.budget)
    profile = {
        key: value
        for key, value in (
            ("goal", department.profile.goal),
            ("achieved", department.profile.achieved),
            ("shortfall", department.profile.shortfall),
        )
        if value
    }
    if profile:
        data["profile"] = profile
    data["indicators"] = {key: _indicator(inputs) for key, inputs in department.indicators.items()}
    return data


def _indicator(inputs: IndicatorInputs) -> dict[str, Any]:
    out: dict[str, Any] = dict(inputs.values)
    if inputs.deductions:
        out["deductions"] = [
            {
                "points": d.points,
                "reason": d.reason,
                **({"improvement": d.improvement} if d.improvement else {}),
            }
            for d in inputs.deductions
        ]
    if inputs.override is not None:
        override = inputs.override
        out["override"] = {"score": override.score, "reason": override.reason}
        if override.improvement:
            out["override"]["improvement"] = override.improvement
    if inputs.improvement:
        out["improvement"] = inputs.improvement
    return out
