"""A department's inputs file, read and checked against one rule year.

Everything a department can get wrong is caught here, with its file, line, indicator and field, so that the
engine receives only complete, exact values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import replace

from scorer.errors import PathKey, Problem, UserError
from scorer.escape import is_blank
from scorer.facts import Message, fact
from scorer.i18n import LANGUAGES, t
from scorer.inputs.fast import read_valid
from scorer.inputs.given import indicator_of
from scorer.inputs.model import (
    Department,
    IndicatorInputs,
    Profile,
    department_key,
)
from scorer.inputs.schema import inputs_schema
from scorer.inputs.typed import ReadsTyped
from scorer.inputs.values import ENVELOPE_WORDS, as_text, envelope_integer
from scorer.kinds.registry import kind
from scorer.rules.identity import named_mismatch, under_earlier_year, without_rubric
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.file_kind import WORKBOOK, WORKBOOK_SUFFIXES, kind_of
from scorer.sources.schema import field_name, meant_key, rejected_paths, schema_accepts, validate
from scorer.sources.yaml import YamlDocument, display_path, load_yaml_file, parse_yaml


def load_inputs(path: Path, rules: RuleSet, display: str | None = None) -> Department:
    return read_inputs(load_yaml_file(path, display), rules)


def parse_inputs(text: str, rules: RuleSet, display: str = "<inputs>") -> Department:
    return read_inputs(parse_yaml(text, display), rules)


def read_inputs(doc: YamlDocument, rules: RuleSet) -> Department:
    """The department of `doc` under `rules`, or UserError with every problem of it. A department proven valid
    by the rule set's fast reader (scorer/inputs/fast.py) is read there, as `read_in_full` would read it."""
    department = read_valid(doc, rules)
    return department if department is not None else read_in_full(doc, rules)


def read_in_full(doc: YamlDocument, rules: RuleSet) -> Department:
    """The department read with every check, each problem gathered at its place: the reader of every file the
    fast reader does not prove valid."""
    if not isinstance(doc.data, dict):
        raise UserError.at(doc.at(()), fact("inputs.not_a_mapping"))
    doc = _counts_as_numbers(doc)
    named = doc.data.get("rubric")
    other = named_mismatch(rules, named, doc.data.get("year")) if isinstance(named, str) else None
    if (
        other is not None
    ):  # a file for another rubric: that is said alone, not what this rubric makes of its keys
        where = doc.at(("rubric",), None, "rubric")
        raise UserError.at(where, fact("inputs.other_rubric", named=named, rules=rules.name, likely=other))
    schema = _schema_of(rules)
    problems = validate(doc, schema, indicator_of)
    if problems:
        accepted = _accepted_part(doc, schema)
        if accepted is not None:
            # The checks after the schema still run on what it accepted: a clerk sees every problem at once.
            reader = _Reader(*accepted, rules)
            reader.department()
            problems += reader.problems
        raise _every(doc, problems)
    reader = _Reader(doc, set(), rules)
    department = reader.department()
    if reader.problems or doc.early:
        raise _every(doc, reader.problems)
    return department


def _schema_of(rules: RuleSet) -> dict[str, Any]:
    """The rule set's inputs schema, made once and kept with it (a batch reads many files under one)."""
    schema: dict[str, Any] = rules.derived.get("inputs schema", lambda: inputs_schema(rules))
    return schema


# The words a clerk writes after a number that are the field's own unit: "1分" for points, "2022年", "3个".
def _counts_as_numbers(doc: YamlDocument) -> YamlDocument:
    data = doc.data
    if not any(isinstance(data.get(key), str | Decimal) for key in ENVELOPE_WORDS):
        return doc
    data = {**data, **{key: envelope_integer(key, data[key]) for key in ENVELOPE_WORDS if key in data}}
    return msgspec.structs.replace(doc, data=data)


def _accepted_part(doc: YamlDocument, schema: dict[str, Any]) -> tuple[YamlDocument, set[str]] | None:
    """The document without its unknown keys and without every indicator or section the schema rejects, with the
    ids of the rejected indicators (not to be checked again), or None when what is left would still not pass the
    schema (so the reader only ever sees a valid document)."""
    properties = schema["properties"]
    rest = {key: value for key, value in doc.data.items() if key in properties}
    rejected: set[str] = set()
    if isinstance(rest.get("indicators"), dict):
        known = properties["indicators"]["properties"]
        unknown = [key for key in rest["indicators"] if key not in known]
        # A misspelt indicator (budget_exec, or its Chinese name) stands for the one it resembles: that one is
        # not reported missing as well.
        rejected.update(meant_key(str(key), known)[0] for key in unknown)
        rest["indicators"] = {key: value for key, value in rest["indicators"].items() if key in known}
    for path in rejected_paths(schema, rest):
        if not path:
            rest.setdefault("indicators", {})
        elif path[0] == "indicators" and len(path) >= 2:
            rest["indicators"].pop(path[1], None)
            rejected.add(str(path[1]))
        else:
            rest.pop(path[0], None)
    rest.setdefault("department", _STAND_IN)
    if not schema_accepts(schema, rest):
        return None
    return msgspec.structs.replace(doc, data=rest), rejected


# Stands for a department name the schema refused, so that the rest of the file can still be checked.
_STAND_IN = "-"


def _line_order(problem: Problem) -> tuple[str, int, str]:
    """File order: by line in a YAML file, by sheet, row and column in a workbook ("指标!I7")."""
    line = problem.location.line
    if isinstance(line, int) or line is None:
        return ("", line or 0, "")
    cell = re.fullmatch(r"(.*)!([A-Z]+)(\d+)", line)
    if cell is None:
        return (line, 0, "")
    return (cell[1], int(cell[3]), cell[2].rjust(3))


def _every(doc: YamlDocument, problems: list[Problem]) -> UserError:
    """Every problem of the file at once, in file order: a clerk fixes them all in one pass. In a workbook each
    names its row and column as the clerk sees them ("[合同备案时效性] 未达标原因"), not the inputs file's keys."""
    found = [*doc.early, *problems]
    if doc.labels:
        found = [_in_workbook_words(doc, problem) for problem in found]
    return UserError(sorted(found, key=_line_order))  # a line's own in order of words: where shown


def _in_workbook_words(doc: YamlDocument, problem: Problem) -> Problem:
    label = doc.labels.get(str(problem.location.line))
    if label is None:
        return problem
    row, column = label
    return replace(problem, location=replace(problem.location, indicator=row, field=column))


def _is_placeholder(key: str) -> bool:
    """Whether a department key is the template's placeholder for the name, in any language. Each language's
    placeholder is a note in parentheses (tests/test_startup_imports.py holds every catalogue to it), so a name
    that is not one is told apart without loading the other languages' catalogues."""
    if not (key.startswith("(") and key.endswith(")")):
        return False
    return key in {department_key(t("scaffold.department", lang)) for lang in LANGUAGES}


class _Reader(ReadsTyped):
    """One inputs file being read: its problems gathered, each at its file, line, indicator and field. How a
    value is read is scorer/inputs/values.py; a department's own declarations (deductions, overrides,
    judgements, targets) scorer/inputs/given.py; the row's typed score scorer/inputs/typed.py."""

    def __init__(self, doc: YamlDocument, rejected: set[str], rules: RuleSet):
        self.doc = doc
        self.rejected = rejected  # indicators the schema refused: their problems are told already
        self.rules = rules
        self.problems: list[Problem] = []
        self.shared: dict[str, Decimal] = {}  # the rubric's shared inputs and the budget block, by name
        self.shared_given: set[str] = set()

    def fail(self, path: PathKey, message: Message) -> None:
        indicator, relative = indicator_of(path)
        self.problems.append(Problem(self.doc.at(path, indicator, field_name(relative)), message))

    def department(self) -> Department:
        data = self.doc.data
        year = data.get("year", self.rules.year)
        if isinstance(year, Decimal) and year == int(year):
            year = int(year)  # 2022.0 is the year 2022
        if year != self.rules.year and not under_earlier_year(self.rules, year):
            later = without_rubric(self.rules, year)  # a later year without a rubric: both ways forward
            self.fail(
                ("year",),
                later or fact("inputs.wrong_year", year=str(year), rules_year=str(self.rules.year)),
            )
        named = data.get("rubric")
        other = named_mismatch(self.rules, named, year) if isinstance(named, str) else None
        if other is not None:  # a file meant for another rubric is never scored against this one
            self.fail(
                ("rubric",), fact("inputs.other_rubric", named=named, rules=self.rules.name, likely=other)
            )
        if is_blank(data["department"]):
            self.fail(("department",), fact("inputs.department_empty"))
        elif _is_placeholder(department_key(data["department"])):
            self.fail(("department",), fact("inputs.department_placeholder"))  # the template's own words
        budget = {}
        for key, value in (data.get("budget") or {}).items():
            number = self.number(("budget", key), value, percent=False)
            if number is not None:
                budget[key] = number
        self.shared = self.shared_values(data.get("shared") or {}, budget)
        entries = data.get("indicators") or {}
        indicators = {
            indicator.id: (
                IndicatorInputs()
                if indicator.id in self.rejected
                else (
                    self.indicator(indicator, entry)
                    if (entry := entries.get(indicator.id))
                    else self.empty(indicator)
                )
            )
            for indicator in self.rules.indicators
        }
        if self.rules.checks and not self.problems:  # checks across the figures, once each figure is sound
            from scorer.inputs.across import broken

            for path, message in broken(self.rules, indicators, self.shared, year):
                self.fail(path, message)
        profile = Profile(
            **{key: as_text(value) for key, value in (data.get("profile") or {}).items()},
            **{key: as_text(value) for key, value in (data.get("report") or {}).items()},
            project=as_text(data.get("project") or ""),
        )
        return Department(
            data["department"], year, data.get("units"), budget, indicators, self.doc.path, profile
        )

    def empty(self, indicator: Indicator) -> IndicatorInputs:
        """A row the department left out. When that is no problem, what is read depends on the rule set alone:
        it is read once per rule set and indicator (a batch leaves most rows empty)."""
        key = ("empty row", indicator.id)
        kept: IndicatorInputs | None = self.rules.derived.find(key)
        if kept is not None:
            return kept
        before = len(self.problems)
        inputs = self.indicator(indicator, {})
        if len(self.problems) == before and not any(spec.shared for spec in indicator.inputs):
            self.rules.derived.keep(key, inputs)  # a problem names this file, shared values are its own
        return inputs

    def indicator(self, indicator: Indicator, entry: dict[str, Any]) -> IndicatorInputs:
        base: PathKey = ("indicators", indicator.id)
        values = {}
        for spec in indicator.inputs:
            if spec.shared:  # given once for the rubric (`shared:`, the budget block), read there
                if spec.name in self.shared:
                    values[spec.name] = self.shared[spec.name]
            elif spec.name in entry:
                value = self.value(base + (spec.name,), spec, entry[spec.name])
                if value is not None:
                    values[spec.name] = value
        self.check_refs(base, indicator, values)
        override = self.override(base, indicator, entry.get("override"))
        deductions = tuple(
            d
            for index, item in enumerate(entry.get("deductions") or [])
            if (d := self.deduction(base + ("deductions", index), indicator, item)) is not None
        )
        self.plausible(base, indicator, entry)
        deductions = self.typed_score(base, indicator, entry, deductions)
        if override is not None and deductions:
            self.fail(base + ("override",), fact("inputs.override_and_deductions"))
        declarative = indicator.kinds.spec is not None or indicator.kinds.conditions
        if override is None:
            if declarative:
                self.check_kinds(base, indicator, entry, values)
            else:
                self.check_missing(base, indicator, entry, values)
        targets = self.targets(base, indicator, entry.get("targets") or [])
        judgement = self.judgement(base, indicator, entry.get("judgement"))
        improvement = as_text(entry.get("improvement"))
        reason = as_text(entry.get("reason"))
        if "reason" in entry and is_blank(reason):
            self.fail(base + ("reason",), fact("inputs.reason_blank"))
        elif "score" in entry:
            reason = ""  # the typed score's: said by its deduction
        elif reason and not kind(indicator.scoring).by_formula:
            self.fail(base + ("reason",), fact("inputs.reason_not_formula"))
        choice = str(entry.get("choice") or "")
        return IndicatorInputs(values, deductions, override, targets, improvement, judgement, choice, reason)


def read_document(inputs: Path) -> YamlDocument:
    """An inputs file's data and where each value stands: a YAML file, or a clerk's workbook (.xlsx), told apart
    by the file's first bytes as well as its name; another program's document is refused with the hint to save
    it as .xlsx (scorer/sources/file_kind.py)."""
    display = display_path(inputs)
    if kind_of(inputs, display) == WORKBOOK or inputs.suffix.lower() in WORKBOOK_SUFFIXES:
        from scorer.inputs.workbook import load_workbook_inputs  # only a workbook needs its reader

        return load_workbook_inputs(inputs, display)
    return load_yaml_file(inputs, display)
