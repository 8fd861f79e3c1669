"""Reading the declarative scoring kinds of an indicator file (already checked against its schema) into frozen
data (scorer/kinds/specs.py): formulas and reason templates compiled once, each problem at its key's line.

Checklist items and occurrences become the indicator's inputs (a yes/no answer, a count), so that the inputs
file, its schema, `score template` and the workbook ask for them like any other input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from scorer.formula.evaluate import Formula, FormulaError, compile_formula
from scorer.formula.template import TemplateError, compile_template
from scorer.i18n import t
from scorer.kinds.base import InputSpec
from scorer.kinds.specs import (
    Alternatives,
    Band,
    Bands,
    CheckItem,
    Checklist,
    Condition,
    Grade,
    Graded,
    Interval,
    Kind,
    KindRules,
    Occurrence,
    Option,
    Path,
    PerOccurrence,
    Proportional,
    Steps,
    Texts,
)

KIND_KEYS = ("bands", "steps", "per_occurrence", "checklist", "graded", "proportional", "alternatives")
# Placeholders each kind's reason texts may use, besides the indicator's inputs, metrics, `weight` and `year`.
PLACEHOLDERS = {
    "bands": {"value", "points", "score", "lost", "band"},
    "steps": {
        "value",
        "threshold",
        "excess",
        "steps",
        "per",
        "points",
        "deducted",
        "computed",
        "score",
        "lost",
    },
    "per_occurrence": {"count", "points", "deducted", "computed"},
    "checklist": {"points"},
    "graded": set(),
    "proportional": {"actual", "target", "ratio", "score", "lost"},
    "condition": set(),
}

Fail = Callable[[Path, str], None]


def read_kinds(
    data: dict[str, Any], names: set[str], reason_names: set[str], fail: Fail
) -> tuple[KindRules, tuple[InputSpec, ...]]:
    """The kinds an indicator file declares, and the inputs its checklist and occurrences ask for.

    `names`: what a formula may use (inputs, weight, year); `reason_names`: what any reason may use."""
    reader = _Reader(names, reason_names, fail)
    spec = None
    for key in KIND_KEYS:
        if key in data:
            spec = reader.kind(key, data[key], (key,))
            break  # lint names a second kind key as unused
    conditions = tuple(
        Condition(reader.formula(c["when"], (key, i, "when")), reader.texts(c["reason"], (key, i, "reason"),
                  "condition"), (key, i), effect)
        for key, effect in (("not_applicable", "not_applicable"), ("gates", "gate"))
        for i, c in enumerate(data.get(key) or [])
    )  # fmt: skip
    return KindRules(spec, conditions), tuple(reader.inputs)


@functools.cache
def stand_in() -> Formula:
    """The formula put in place of one that does not compile: lint checks it no further (its error is said)."""
    return compile_formula("0", set())


class _Reader:
    def __init__(self, names: set[str], reason_names: set[str], fail: Fail):
        self.names = set(names)
        self.reason_names = reason_names
        self.fail = fail
        self.inputs: list[InputSpec] = []
        self.within_options = False

    def add(self, spec: InputSpec) -> None:
        if self.within_options:  # asked for only when its option scores the row
            spec = InputSpec(spec.name, spec.type, spec.label, spec.unit, spec.min, optional=True)
        self.inputs.append(spec)
        self.names.add(spec.name)

    def kind(self, key: str, data: Any, path: Path) -> Kind | None:
        return getattr(self, key)(data, path)  # type: ignore[no-any-return]

    def formula(self, source: str, path: Path) -> Formula:
        try:
            return compile_formula(source, self.names)
        except FormulaError as exc:
            self.fail(path, str(exc))
            return stand_in()  # the rule set is refused anyway

    def texts(self, given: Any, path: Path, kind: str) -> Texts:
        if given is None:
            return ()
        allowed = self.reason_names | PLACEHOLDERS[kind]
        languages = given if isinstance(given, dict) else {"zh": given}
        out = []
        for language, source in languages.items():
            where = path + (language,) if isinstance(given, dict) else path
            try:
                out.append((language, compile_template(source, allowed)))
            except TemplateError as exc:
                self.fail(where, str(exc))
        return tuple(out)

    def bands(self, data: dict[str, Any], path: Path) -> Bands:
        of = self.formula(data["of"], path + ("of",))
        declared = data.get("range") or {}
        low, high = _dec(declared.get("min")), _dec(declared.get("max"))
        for i, item in enumerate(data["items"]):
            if "equals" in item and {"from", "to", "ends"} & item.keys():
                self.fail(path + ("items", i, "equals"), t("lint.band_equals_and_range"))
            elif "equals" not in item and ("ends" not in item or not {"from", "to"} & item.keys()):
                self.fail(path + ("items", i), t("lint.band_ends"))
        items = tuple(
            Band(
                _interval(item),
                Decimal(item["points"]),
                self.texts(item.get("reason"), path + ("items", i, "reason"), "bands"),
                path + ("items", i),
            )
            for i, item in enumerate(data["items"])
        )
        return Bands(of, items, (low, high), path)

    def steps(self, data: dict[str, Any], path: Path) -> Steps:
        return Steps(
            self.formula(data["of"], path + ("of",)),
            data["direction"],
            Decimal(data["threshold"]),
            Decimal(data["per"]),
            Decimal(data["points"]),
            data["partial"],
            self.texts(data.get("reason"), path + ("reason",), "steps"),
            path,
        )

    def per_occurrence(self, data: list[dict[str, Any]], path: Path) -> PerOccurrence:
        items = []
        for i, item in enumerate(data):
            unit = item.get("unit", "")
            self.add(InputSpec(item["id"], "integer", item["label"], unit, min=Decimal(0)))
            items.append(
                Occurrence(
                    item["id"],
                    item["label"],
                    Decimal(item["points"]),
                    self.texts(item.get("reason"), path + (i, "reason"), "per_occurrence"),
                    path + (i,),
                    unit,
                )
            )
        return PerOccurrence(tuple(items), path)

    def checklist(self, data: list[dict[str, Any]], path: Path) -> Checklist:
        return Checklist(self.check_items(data, path), path)

    def check_items(self, data: list[dict[str, Any]], path: Path) -> tuple[CheckItem, ...]:
        items = []
        for i, item in enumerate(data):
            children = self.check_items(item.get("items") or [], path + (i, "items"))
            if not children:
                self.add(InputSpec(item["id"], "yes_no", item["text"]))
            items.append(
                CheckItem(
                    item["id"],
                    item["text"],
                    Decimal(item["points"]),
                    self.texts(item.get("reason"), path + (i, "reason"), "checklist"),
                    path + (i,),
                    children,
                )
            )
        return tuple(items)

    def graded(self, data: list[dict[str, Any]], path: Path) -> Graded:
        return Graded(
            tuple(
                Grade(
                    g["name"],
                    _interval(g),
                    self.texts(g.get("description"), path + (i, "description"), "graded"),
                    path + (i,),
                )
                for i, g in enumerate(data)
            ),
            path,
        )

    def proportional(self, data: dict[str, Any], path: Path) -> Proportional:
        return Proportional(
            self.formula(data["actual"], path + ("actual",)),
            self.formula(data["target"], path + ("target",)),
            data.get("lower_is_better", False),
            data.get("if_zero", "full_marks"),
            self.texts(data.get("reason"), path + ("reason",), "proportional"),
            path,
        )

    def alternatives(self, data: dict[str, Any], path: Path) -> Alternatives:
        self.within_options = True
        options = []
        for i, item in enumerate(data["options"]):
            where = path + ("options", i)
            key = next(k for k in KIND_KEYS if k in item)  # the schema asks for exactly one
            spec = self.kind(key, item[key], where + (key,))
            when = self.formula(item["when"], where + ("when",)) if "when" in item else None
            assert spec is not None
            options.append(Option(item["id"], item["name"], when, spec, where))
        return Alternatives(data["choose"], tuple(options), path)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _interval(item: dict[str, Any]) -> Interval:
    if "equals" in item:
        return Interval(equals=Decimal(item["equals"]))
    ends = item.get("ends", "[)")
    return Interval(_dec(item.get("from")), _dec(item.get("to")), ends[0] == "[", ends[1] == "]")
