"""A department's inputs file, read and checked against one rule year.

Everything a department can get wrong is caught here, with its file, line, indicator and field, so that the
engine receives only complete, exact values.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from scorer.escape import is_blank
from scorer.i18n import LANGUAGES, t
from scorer.load.inputs_schema import inputs_schema
from scorer.load.schemas import field_name, show, validate
from scorer.load.targets import TargetError, read_target
from scorer.load.yamlio import YamlDocument, load_yaml_file, parse_yaml
from scorer.model.department import Deduction, Department, IndicatorInputs, Override, Profile, Target
from scorer.model.problems import PathKey, Problem, UserError, did_you_mean
from scorer.model.rules import Indicator, InputSpec, RuleSet
from scorer.numbers import NotANumber, parse_number
from scorer.rounding import fmt


def load_inputs(path: Path, rules: RuleSet, display: str | None = None) -> Department:
    return read_inputs(load_yaml_file(path, display), rules)


def parse_inputs(text: str, rules: RuleSet, display: str = "<inputs>") -> Department:
    return read_inputs(parse_yaml(text, display), rules)


def read_inputs(doc: YamlDocument, rules: RuleSet) -> Department:
    if not isinstance(doc.data, dict):
        raise UserError.at(doc.at(()), t("inputs.not_a_mapping"))
    problems = validate(doc, _schema_of(rules), _indicator_of)
    if problems:
        raise _first(problems)
    reader = _Reader(doc, rules)
    department = reader.department()
    if reader.problems:
        raise _first(reader.problems)
    return department


_last_schema: list[Any] = [None, None]  # (rule set, its inputs schema): a batch reads many files under one


def _schema_of(rules: RuleSet) -> dict[str, Any]:
    if _last_schema[0] is not rules:
        _last_schema[:] = [rules, inputs_schema(rules)]
    schema: dict[str, Any] = _last_schema[1]
    return schema


def _first(problems: list[Problem]) -> UserError:
    """Every problem of the file at once, in file order: a clerk fixes them all in one pass."""
    return UserError(problems)


# How a unit may be written after a number ("500万" for 万元).
_UNIT_SPELLINGS = {"万元": ("万元", "万"), "元": ("元",), "亿元": ("亿元", "亿")}


def _text(value: object) -> str:
    """A text the department wrote, as written, without the blank lines and spaces around it."""
    return str(value).strip() if value is not None else ""


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


class _Reader:
    def __init__(self, doc: YamlDocument, rules: RuleSet):
        self.doc = doc
        self.rules = rules
        self.problems: list[Problem] = []

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
        elif data["department"].strip() in {t("scaffold.department", lang) for lang in LANGUAGES}:
            self.fail(("department",), t("inputs.department_placeholder"))  # the template's own words
        budget = {}
        for key, value in (data.get("budget") or {}).items():
            number = self.number(("budget", key), value, percent=False)
            if number is not None:
                budget[key] = number
        entries = data.get("indicators") or {}
        indicators = {
            indicator.id: self.indicator(indicator, entries.get(indicator.id) or {})
            for indicator in self.rules.indicators
        }
        profile = Profile(
            **{key: _text(value) for key, value in (data.get("profile") or {}).items()},
            **{key: _text(value) for key, value in (data.get("report") or {}).items()},
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
        if override is None:
            self.check_missing(base, indicator, entry, values)
        targets = self.targets(base, indicator, entry.get("targets") or [])
        return IndicatorInputs(values, deductions, override, targets, _text(entry.get("improvement")))

    def targets(self, base: PathKey, indicator: Indicator, items: list[dict[str, Any]]) -> tuple[Target, ...]:
        if not items or indicator.targets is None:
            return ()
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
            where = "" if entry else t("inputs.add_indicator", id=indicator.id)
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
            self.fail(path, t("inputs.deduction_incomplete"))
            return None
        points = self.number(path + ("points",), item["points"], percent=False)
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
        score = self.number(path + ("score",), item["score"], percent=False)
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
            self.fail(path + ("reason",), t("inputs.reason_required", what=what))
            return None
        return reason.strip()
