"""A department's inputs file, read and checked against one rule year.

Everything a department can get wrong is caught here, with its file, line, indicator and field, so that the
engine receives only complete, exact values.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from scorer.errors import PathKey, Problem, UserError, did_you_mean
from scorer.escape import is_blank
from scorer.i18n import LANGUAGES, t
from scorer.inputs.model import (
    Deduction,
    Department,
    IndicatorInputs,
    Judgement,
    Override,
    Profile,
    department_key,
)
from scorer.inputs.schema import inputs_schema
from scorer.inputs.workbook_layout import WORKBOOK_SUFFIXES
from scorer.kinds.bands import outside
from scorer.kinds.base import InputSpec
from scorer.kinds.needs import chosen, deciding, needed_inputs
from scorer.kinds.specs import Alternatives, Bands, Graded
from scorer.kinds.targets.model import Target
from scorer.numbers import NotANumber, parse_number
from scorer.rounding import fmt
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.schema import field_name, meant_key, rejected_paths, schema_accepts, show, validate
from scorer.sources.yaml import YamlDocument, load_yaml_file, parse_yaml


def load_inputs(path: Path, rules: RuleSet, display: str | None = None) -> Department:
    return read_inputs(load_yaml_file(path, display), rules)


def parse_inputs(text: str, rules: RuleSet, display: str = "<inputs>") -> Department:
    return read_inputs(parse_yaml(text, display), rules)


def read_inputs(doc: YamlDocument, rules: RuleSet) -> Department:
    if not isinstance(doc.data, dict):
        raise UserError.at(doc.at(()), t("inputs.not_a_mapping"))
    doc = _counts_as_numbers(doc)
    schema = _schema_of(rules)
    problems = validate(doc, schema, _indicator_of)
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


_EMPTY_ROWS: dict[tuple[int, str], tuple[RuleSet, IndicatorInputs]] = {}  # (rule set, its row) → inputs
_MAX_EMPTY_ROWS = 1024
_last_schema: list[Any] = [None, None]  # (rule set, its inputs schema): a batch reads many files under one


def _schema_of(rules: RuleSet) -> dict[str, Any]:
    if _last_schema[0] is not rules:
        _last_schema[:] = [rules, inputs_schema(rules)]
    schema: dict[str, Any] = _last_schema[1]
    return schema


# The words a clerk writes after a number that are the field's own unit: "1分" for points, "2022年", "3个".
_POINTS = ("分",)
_ENVELOPE_WORDS = {"year": ("年", "年度"), "units": ("个",)}


def _without_word(value: Any, words: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        text = value.strip()
        for word in sorted(words, key=len, reverse=True):
            if text.endswith(word) and text[: -len(word)].strip():
                return text[: -len(word)].strip()
    return value


def envelope_integer(key: str, value: Any) -> Any:
    """The year or number of units as an integer when written as text a person means as one ("2022年", "3",
    "３个"); anything else unchanged, for the schema to refuse with its own words."""
    if not isinstance(value, str):
        return value
    try:
        number = parse_number(_without_word(value, _ENVELOPE_WORDS[key]))
    except NotANumber:
        return value
    return int(number) if number == number.to_integral_value() else value


def _counts_as_numbers(doc: YamlDocument) -> YamlDocument:
    data = doc.data
    if not any(isinstance(data.get(key), str) for key in _ENVELOPE_WORDS):
        return doc
    data = {**data, **{key: envelope_integer(key, data[key]) for key in _ENVELOPE_WORDS if key in data}}
    return replace(doc, data=data)


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
    return replace(doc, data=rest), rejected


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
    return UserError(sorted(found, key=lambda p: (*_line_order(p), p.message)))


def _in_workbook_words(doc: YamlDocument, problem: Problem) -> Problem:
    label = doc.labels.get(str(problem.location.line))
    if label is None:
        return problem
    row, column = label
    return replace(problem, location=replace(problem.location, indicator=row, field=column))


# How a yes/no answer may be written (a checklist item, a condition's fact).
YES_NO = {"是": True, "否": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
          "有": True, "无": False, "y": True, "n": False}  # fmt: skip

# How a unit may be written after a number ("500万" for 万元).
_UNIT_SPELLINGS = {"万元": ("万元", "万"), "元": ("元",), "亿元": ("亿元", "亿")}


def as_text(value: object) -> str:
    """A text the department wrote, as written, without the blank lines and spaces around it."""
    return str(value).strip() if value is not None else ""


def _placeholders() -> set[str]:
    """The template's placeholder for the department's name, in each language, as a department key."""
    return {department_key(t("scaffold.department", lang)) for lang in LANGUAGES}


def _slip(number: Decimal, limit: Decimal) -> str:
    """A hint for a number typed with its point in the wrong place: 934 for 93.4."""
    if number <= 0 or limit <= 0:
        return ""
    shifted = number
    for _ in range(6):
        shifted = shifted.scaleb(-1)
        if shifted <= limit:
            return t("inputs.slip", value=shifted)
    return ""


def _indicator_of(path: PathKey) -> tuple[str | None, PathKey]:
    if len(path) >= 2 and path[0] == "indicators":
        return str(path[1]), path[2:]
    return None, path


def _columns() -> dict[str, str]:
    """The workbook's column names its messages point to."""
    return {"points": t("workbook.points"), "reasons": t("form.reasons"), "override": t("workbook.override")}


class _Reader:
    def __init__(self, doc: YamlDocument, rejected: set[str], rules: RuleSet):
        self.doc = doc
        self.rejected = rejected  # indicators the schema refused: their problems are told already
        self.rules = rules
        self.problems: list[Problem] = []

    @property
    def in_workbook(self) -> bool:
        """A workbook's messages speak of its columns, where a clerk fills cells rather than writing keys."""
        return self.doc.kind in ("workbook", "sheet")

    def columns(self, path: PathKey) -> dict[str, str]:
        """The columns a message points to: the clerk's workbook's, or a batch sheet row's `<indicator>.reason`."""
        if self.doc.kind != "sheet":
            return _columns()
        ident = _indicator_of(path)[0]
        return {what: f"{ident}.{column}" for what, column in
                (("points", "deduction"), ("reasons", "reason"), ("override", "override"))}  # fmt: skip

    def fail(self, path: PathKey, message: str) -> None:
        indicator, relative = _indicator_of(path)
        self.problems.append(Problem(self.doc.at(path, indicator, field_name(relative)), message))

    def department(self) -> Department:
        data = self.doc.data
        year = data.get("year", self.rules.year)
        if isinstance(year, Decimal) and year == int(year):
            year = int(year)  # 2022.0 is the year 2022
        if year != self.rules.year:
            self.fail(
                ("year",),
                t("inputs.wrong_year", year=str(year), rules_year=str(self.rules.year)),
            )
        if is_blank(data["department"]):
            self.fail(("department",), t("inputs.department_empty"))
        elif department_key(data["department"]) in _placeholders():
            self.fail(("department",), t("inputs.department_placeholder"))  # the template's own words
        budget = {}
        for key, value in (data.get("budget") or {}).items():
            number = self.number(("budget", key), value, percent=False)
            if number is not None:
                budget[key] = number
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
        profile = Profile(
            **{key: as_text(value) for key, value in (data.get("profile") or {}).items()},
            **{key: as_text(value) for key, value in (data.get("report") or {}).items()},
        )
        return Department(
            data["department"], year, data.get("units"), budget, indicators, self.doc.path, profile
        )

    def number(self, path: PathKey, value: Any, percent: bool) -> Decimal | None:
        try:
            return parse_number(value, percent=percent)
        except NotANumber as exc:
            hint = t("inputs.percent_hint") if percent and isinstance(value, str) else ""
            got = (
                "" if isinstance(value, str) else t("inputs.got", value=show(value))
            )  # text is quoted in the message
            self.fail(path, f"{exc}{got}{hint}")
            return None

    def empty(self, indicator: Indicator) -> IndicatorInputs:
        """A row the department left out. When that is no problem, what is read depends on the rule set alone:
        it is read once per rule set and indicator (a batch leaves most rows empty)."""
        key = (id(self.rules), indicator.id)
        kept = _EMPTY_ROWS.get(key)
        if kept is not None and kept[0] is self.rules:
            return kept[1]
        before = len(self.problems)
        inputs = self.indicator(indicator, {})
        if len(self.problems) == before:  # a problem names this file: read again each time
            if len(_EMPTY_ROWS) >= _MAX_EMPTY_ROWS:
                _EMPTY_ROWS.clear()
            _EMPTY_ROWS[key] = (self.rules, inputs)
        return inputs

    def indicator(self, indicator: Indicator, entry: dict[str, Any]) -> IndicatorInputs:
        base: PathKey = ("indicators", indicator.id)
        values = {}
        for spec in indicator.inputs:
            if spec.name in entry:
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
        if override is not None and deductions:
            self.fail(base + ("override",), t("inputs.override_and_deductions"))
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
            self.fail(base + ("reason",), t("inputs.reason_blank"))
        elif reason and indicator.scoring != "formula":
            self.fail(base + ("reason",), t("inputs.reason_not_formula"))
        choice = str(entry.get("choice") or "")
        return IndicatorInputs(values, deductions, override, targets, improvement, judgement, choice, reason)

    def targets(self, base: PathKey, indicator: Indicator, items: list[dict[str, Any]]) -> tuple[Target, ...]:
        if not items or indicator.targets is None:
            return ()
        from scorer.kinds.targets.read import (  # only a file that lists targets needs them
            TargetError,
            read_target,
        )

        read = []
        for index, item in enumerate(items):
            path = base + ("targets", index)
            try:
                target = read_target(item, indicator.targets.categories)
            except TargetError as exc:
                self.fail(path + (exc.field,), str(exc))
                continue
            if indicator.targets.roll_up == "weighted_completion" and not target.weight:
                self.fail(
                    path + ("weight",),
                    t("inputs.target_needs_weight", name=target.name),
                )
                continue
            read.append(target)
        return tuple(read)

    def value(self, path: PathKey, spec: InputSpec, raw: Any) -> Decimal | None:
        if spec.type == "yes_no":
            return self.yes_no(path, spec, raw)
        raw = self.without_unit(path, spec, raw)
        if raw is None:
            return None
        number = self.number(path, raw, percent=spec.type == "percent")
        if number is None:
            return None
        if spec.type == "integer" and number != number.to_integral_value():
            self.fail(path, t("inputs.not_whole", value=show(raw)))
            return None
        if spec.type == "percent" and 0 < number <= 1 and not str(raw).strip().endswith(("%", "％")):
            # 0.934 and 1 are ambiguous alike: a fraction (93.4%, 100%) or a tiny percentage?
            self.fail(
                path,
                t(
                    "inputs.looks_like_fraction",
                    value=show(raw),
                    label=spec.label,
                    percent=fmt(number * 100),
                    raw=str(raw),
                ),
            )
            return None
        if spec.min is not None and number < spec.min:
            self.fail(path, t("inputs.at_least", min=f"{spec.min:f}", value=show(raw)))
            return None
        if spec.max is not None and number > spec.max:
            hint = _slip(number, spec.max)
            self.fail(path, t("inputs.at_most", max=f"{spec.max:f}", value=show(raw), hint=hint))
            return None
        return number

    def without_unit(self, path: PathKey, spec: InputSpec, raw: Any) -> Any:
        """ "15份" for an input counted in 份, "500万" or "500万元" for one in 万元: the number, its unit being the
        input's own. Another unit ("15人", "500元") is refused, never read as if it were the input's."""
        if not isinstance(raw, str):
            return raw
        text = raw.strip()
        number_end = len(text)
        while number_end and (text[number_end - 1].isalpha() or text[number_end - 1] == " "):
            number_end -= 1  # letters and CJK characters after the number: its unit
        unit = text[number_end:].strip()
        if not unit or not text[:number_end].strip():  # no unit, or no number at all ("很高"): read as it is
            return raw
        if spec.unit and unit in _UNIT_SPELLINGS.get(spec.unit, (spec.unit,)):
            return text[:number_end].strip()
        expected = spec.unit or t("inputs.no_unit")
        self.fail(path, t("inputs.wrong_unit", value=show(raw), unit=unit, expected=expected))
        return None

    def yes_no(self, path: PathKey, spec: InputSpec, raw: Any) -> Decimal | None:
        """是/否, yes/no, true/false or 1/0: 1 for yes, 0 for no."""
        answer = YES_NO.get(str(raw).strip().lower()) if not isinstance(raw, bool) else raw
        if answer is None:
            self.fail(path, t("inputs.not_yes_no", value=show(raw), label=spec.label))
            return None
        return Decimal(1 if answer else 0)

    def judgement(self, base: PathKey, indicator: Indicator, item: dict[str, Any] | None) -> Judgement | None:
        """A graded row's pick: a declared grade, a score within its range, and a reason."""
        graded = indicator.kinds.spec
        if item is None or not isinstance(graded, Graded):
            return None
        path = base + ("judgement",)
        grade = graded.grade(str(item["grade"]))
        score = self.number(path + ("score",), item["score"], percent=False)
        reason = self.reason(path, item, t("inputs.why_graded"))
        if grade is None or score is None or reason is None:
            return None  # an unknown grade is refused by the schema, with the declared ones
        if not grade.interval.contains(Fraction(score)):
            self.fail(
                path + ("score",),
                t("inputs.grade_range", score=f"{score:f}", grade=grade.name, range=grade.interval.text),
            )
            return None
        if not indicator.rounding.fits(score) or score > indicator.weight or score < 0:
            self.fail(
                path + ("score",),
                t("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places),
            )
            return None
        return Judgement(grade.name, score, reason)

    def check_kinds(
        self, base: PathKey, indicator: Indicator, entry: dict[str, Any], values: dict[str, Decimal]
    ) -> None:
        """What a row of a declarative kind needs and was not given; nothing when a condition decides the row."""
        choice = str(entry.get("choice") or "")
        needed = needed_inputs(indicator, values, choice, self.rules.year)
        decided = deciding(indicator, values, self.rules.year) is not None
        where = "" if entry else t("inputs.add_indicator", id=indicator.id)
        if indicator.on_missing == "error":  # an optional input too, where these answers need it
            for spec in indicator.inputs:
                if spec.name in needed and spec.name not in entry:
                    self.fail(
                        base + (spec.name,),
                        t(
                            "inputs.missing_input",
                            name=spec.name,
                            label=spec.label,
                            title=indicator.title,
                            where=where,
                        ),
                    )
        if decided:
            return
        kind = indicator.kinds.spec
        self.check_bands(base, indicator, kind, values, choice)
        if isinstance(kind, Graded) and "judgement" not in entry:
            grades = "、".join(f"{g.name} {g.interval.text}" for g in kind.grades)
            self.fail(
                base + ("judgement",),
                t("inputs.judgement_missing", title=indicator.title, grades=grades, where=where),
            )
        if isinstance(kind, Alternatives) and kind.choose == "by_department" and not choice:
            options = ", ".join(f"{o.id} ({o.name})" for o in kind.options)
            self.fail(
                base + ("choice",),
                t("inputs.choice_missing", title=indicator.title, options=options, where=where),
            )

    def check_bands(
        self, base: PathKey, indicator: Indicator, kind: Any, values: dict[str, Decimal], choice: str
    ) -> None:
        """A value no band holds is the department's figure to check, at its own line."""
        names = indicator.formula_names(values, self.rules.year)
        if isinstance(kind, Alternatives):
            option = chosen(kind, names, choice)
            kind = option.spec if option is not None else None
        if not isinstance(kind, Bands) or not kind.of.names - {"weight", "year"} <= values.keys():
            return
        found = outside(kind, names)
        if found is None:
            return
        value, covered = found
        given = sorted(kind.of.names - {"weight", "year"})
        at = base + (given[0],) if len(given) == 1 else base
        figures = ", ".join(f"{name}={fmt(values[name])}" for name in given)
        self.fail(
            at,
            t(
                "inputs.outside_bands",
                title=indicator.title,
                value=fmt(value),
                covered=covered,
                figures=figures,
            ),
        )

    def check_refs(self, base: PathKey, indicator: Indicator, values: dict[str, Decimal]) -> None:
        for spec in indicator.inputs:
            ref = spec.max_ref
            if ref and spec.name in values and ref in values and values[spec.name] > values[ref]:
                self.fail(
                    base + (spec.name,),
                    t(
                        "inputs.exceeds",
                        label=spec.label,
                        value=f"{values[spec.name]:f}",
                        limit_label=indicator.input(ref).label,  # type: ignore[union-attr]
                        limit=f"{values[ref]:f}",
                    ),
                )

    def check_missing(
        self, base: PathKey, indicator: Indicator, entry: dict[str, Any], values: dict[str, Decimal]
    ) -> None:
        if indicator.scoring != "formula" or indicator.on_missing != "error":
            return
        for spec in indicator.inputs:
            if spec.optional or spec.name in entry:
                continue
            where = "" if entry or self.in_workbook else t("inputs.add_indicator", id=indicator.id)
            self.fail(
                base + (spec.name,),
                t(
                    "inputs.missing_input.workbook" if self.in_workbook else "inputs.missing_input",
                    name=spec.name,
                    label=spec.label,
                    title=indicator.title,
                    where=where,
                    **self.columns(base),
                ),
            )

    def deduction(self, path: PathKey, indicator: Indicator, item: dict[str, Any]) -> Deduction | None:
        improvement = str(item.get("improvement") or "").strip()
        if "code" in item:
            if "points" in item or "reason" in item:
                self.fail(path, t("inputs.code_and_points"))
                return None
            declared = indicator.declared(item["code"])
            if declared is None:
                codes = [d.code for d in indicator.deductions]
                known = t("inputs.declared_codes", codes=", ".join(codes)) if codes else t("inputs.no_codes")
                hint = did_you_mean(item["code"], codes)
                self.fail(
                    path + ("code",), t("inputs.unknown_code", code=str(item["code"]), hint=hint or known)
                )
                return None
            return Deduction(
                declared.points, declared.reason, improvement or declared.improvement, declared.code
            )
        if "points" not in item:
            self.fail(
                path,
                t(
                    "inputs.deduction_incomplete.workbook"
                    if self.in_workbook
                    else "inputs.deduction_incomplete",
                    **self.columns(path),
                ),
            )
            return None
        points = self.number(path + ("points",), _without_word(item["points"], _POINTS), percent=False)
        reason = self.reason(path, item, t("inputs.why_deducted"))
        if points is None or reason is None:
            return None
        if points <= 0:
            self.fail(path + ("points",), t("inputs.points_positive", value=show(item["points"])))
            return None
        if not indicator.rounding.fits(points):
            self.fail(
                path + ("points",),
                t(
                    "inputs.points_places",
                    points=f"{points:f}",
                    title=indicator.title,
                    places=indicator.rounding.places,
                ),
            )
            return None
        return Deduction(points, reason, improvement)

    def override(self, base: PathKey, indicator: Indicator, item: dict[str, Any] | None) -> Override | None:
        if item is None:
            return None
        path = base + ("override",)
        score = self.number(path + ("score",), _without_word(item["score"], _POINTS), percent=False)
        reason = self.reason(path, item, t("inputs.why_overridden"))
        if score is None or reason is None:
            return None
        if not 0 <= score <= indicator.weight:
            self.fail(
                path + ("score",),
                t("inputs.override_range", weight=f"{indicator.weight:f}", score=f"{score:f}"),
            )
            return None
        if not indicator.rounding.fits(score):
            self.fail(
                path + ("score",),
                t("inputs.override_places", score=f"{score:f}", places=indicator.rounding.places),
            )
            return None
        return Override(score, item["reason"].strip(), str(item.get("improvement") or "").strip())

    def reason(self, path: PathKey, item: dict[str, Any], what: str) -> str | None:
        reason = item.get("reason")
        if not isinstance(reason, str) or is_blank(reason):
            self.fail(
                path + ("reason",),
                t(
                    "inputs.reason_required.workbook" if self.in_workbook else "inputs.reason_required",
                    what=what,
                    **self.columns(path),
                ),
            )
            return None
        return reason.strip()


def read_document(inputs: Path) -> YamlDocument:
    """An inputs file's data and where each value stands: a YAML file, or a clerk's workbook (.xlsx)."""
    if inputs.suffix.lower() in WORKBOOK_SUFFIXES:
        from scorer.inputs.workbook import load_workbook_inputs  # only a workbook needs its reader

        return load_workbook_inputs(inputs)
    return load_yaml_file(inputs)
