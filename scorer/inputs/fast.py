"""A department proven valid and read in one pass, by a reader made once per rule set from what the rule set asks.

A batch checks thousands of departments under one rule set, and most are valid. The full reader
(scorer/inputs/read.py) checks each against the inputs schema, then reads it with every check a clerk may need
told, gathering each problem at its place. This reader is made once per rule set (kept in `RuleSet.derived`) from
what each row asks: its inputs and their types, the keys its schema allows, the inputs a formula needs, its
targets. It walks the department once, checking each key and type as the schema does, and reads each value as the
full reader does, through the same functions (scorer/inputs/fast_parts.py). It either returns exactly the
`Department` the full reader returns, or says "not proven" (None) at the first thing it does not know or that
is wrong, and the full reader then reads the department and says every problem in its own words. It never
accepts a department the full reader refuses: whatever it does not check itself, it leaves to the full reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from scorer.errors import LineMap, PathKey
from scorer.escape import is_blank
from scorer.inputs.fast_parts import NotProven, Strict, Targets, amount, deductions, value, visible
from scorer.inputs.model import Department, IndicatorInputs, Override, Profile, department_key
from scorer.inputs.schema import inputs_schema
from scorer.kinds.base import InputSpec
from scorer.kinds.registry import kind
from scorer.kinds.targets.model import Target
from scorer.rules.identity import named_mismatch
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.yaml import YamlDocument

# The keys of a department this reader reads (the schema's, less those only the full reader reads: none today).
_TOP = frozenset({"department", "year", "units", "rubric", "budget", "indicators", "shared", "profile", "report", "project"})  # fmt: skip
# The keys of a row this reader reads; a row's other keys (a typed 自评分, a judgement, a choice…) are the full
# reader's.
_ROW = frozenset({"deductions", "override", "improvement", "reason", "targets"})
_OVERRIDE = frozenset({"score", "reason", "improvement"})
# The schema's pattern of a rubric's name, matched as the schema's validator matches it (to the text's end).
_RUBRIC = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*(/[0-9]{4})?")
_NO_PROFILE = Profile()


def read_valid(doc: YamlDocument, rules: RuleSet) -> Department | None:
    """The department of `doc` as the full reader reads it, when proven valid; None when not proven."""
    try:
        return proven(doc, rules)
    except Exception:  # anything this reader did not foresee: the full reader answers
        return None


def proven(doc: YamlDocument, rules: RuleSet) -> Department | None:
    """`read_valid`, letting through what this reader did not foresee (for the tests)."""
    if doc.kind != "yaml" or doc.early or doc.labels or type(doc.data) is not dict:
        return None  # a workbook's or a batch sheet's messages and checks are the full reader's
    reader: FastReader = rules.derived.get("fast reader", lambda: FastReader(rules))
    try:
        return reader.read(doc)
    except NotProven:
        return None


class FastReader:
    """The reader of one rule set's departments (see the module's text)."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        schema: dict[str, Any] = rules.derived.get("inputs schema", lambda: inputs_schema(rules))
        properties = schema["properties"]
        self.top = _TOP & set(properties)
        self.blocks = {
            name: frozenset(properties[name]["properties"])
            for name in ("budget", "profile", "report", "shared")
            if name in properties
        }
        self.shared = {spec.name: spec for spec in rules.shared}
        rows = properties["indicators"]["properties"]
        self.rows = {i.id: _Row(i, frozenset(rows[i.id]["properties"])) for i in rules.indicators}
        # Each row left out, in the rule set's order, as the full reader reads it; None for a row whose inputs
        # are shared (read with each department's) or that cannot be left out (a formula's inputs).
        alone = Strict(YamlDocument("", {}, LineMap({})), rules, {})
        self.left_out = {ident: row.left_out(alone) for ident, row in self.rows.items()}
        self.unsettled = [row for ident, row in self.rows.items() if self.left_out[ident] is None]

    def read(self, doc: YamlDocument) -> Department:
        """The department, or NotProven raised."""
        data, rules = doc.data, self.rules
        if not self.top.issuperset(data):
            raise NotProven
        name, year, units = data.get("department"), data.get("year", rules.year), data.get("units")
        if type(name) is not str or not visible(name) or _may_be_placeholder(name):
            raise NotProven
        if type(year) is not int or year != rules.year or ("units" in data and not _units(units)):
            raise NotProven
        if "rubric" in data and not self.rubric(data["rubric"], year):
            raise NotProven
        budget = {key: amount(raw) for key, raw in self.block(data, "budget").items()}
        shared: dict[str, Decimal] = {f"budget_{part}": number for part, number in budget.items()}
        strict = Strict(doc, rules, shared)
        for key, raw in self.block(data, "shared").items():
            shared[key] = value(self.shared[key], raw, ("shared", key), strict)
        if "indicators" not in data:
            raise NotProven
        entries = {} if data["indicators"] is None else data["indicators"]  # `indicators:` left empty
        if type(entries) is not dict:
            raise NotProven
        indicators = self.indicators(entries, strict)
        if rules.checks:  # checks across the figures
            from scorer.inputs.across import broken

            if next(broken(rules, indicators, shared, year), None) is not None:
                raise NotProven
        return Department(name, year, units, budget, indicators, doc.path, self.profile(data))

    def indicators(self, entries: dict[str, Any], strict: Strict) -> dict[str, IndicatorInputs]:
        """Every row's inputs, in the rule set's order: each row given read, each left out as it reads."""
        rows, indicators = self.rows, self.left_out.copy()
        for ident, entry in entries.items():
            row = rows.get(ident)
            if row is None:
                raise NotProven
            if entry is not None and (type(entry) is not dict or entry):  # not left out (`row:` or `row: {}`)
                indicators[ident] = row.given(entry, strict)
        for row in self.unsettled:
            if indicators[row.ident] is None:
                if not row.shared:
                    raise NotProven
                indicators[row.ident] = row.given({}, strict)
        return indicators  # type: ignore[return-value]  # no None is left

    def block(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        """A block of named parts (the budget, shared inputs, the profile), each part's key one the schema allows."""
        if name not in data:
            return {}
        given = data[name]
        if name == "shared" and given is None:  # the schema allows `shared:` left empty
            return {}
        if type(given) is not dict or not self.blocks[name].issuperset(given):
            raise NotProven
        return given

    def rubric(self, named: Any, year: int) -> bool:
        """A rubric named as the schema allows, and this one (scorer/rules/identity.py)."""
        return (
            type(named) is str
            and len(named) <= 90
            and _RUBRIC.fullmatch(named) is not None
            and named_mismatch(self.rules, named, year) is None
        )

    def profile(self, data: Mapping[str, Any]) -> Profile:
        """部门基本情况 and the report's parts, each a text, as written less the spaces around it."""
        texts = {**self.block(data, "profile"), **self.block(data, "report")}
        project = data.get("project", "")
        if "project" in data and not (type(project) is str and 1 <= len(project) <= 200):
            raise NotProven
        if not texts and not project:
            return _NO_PROFILE
        if any(type(text) is not str for text in texts.values()):
            raise NotProven
        return Profile(**{key: text.strip() for key, text in texts.items()}, project=project.strip())


def _units(units: Any) -> bool:
    return type(units) is int and 1 <= units <= 100_000


def _may_be_placeholder(name: str) -> bool:
    """Whether the name may be the template's placeholder: every language's is a note in parentheses (read.py:
    `_is_placeholder`, which the full reader asks of such a name)."""
    if "(" not in name and unicodedata.is_normalized("NFKC", name):
        return False  # its key holds no "(" either: taking out characters drawn as nothing composes no "("
    key = department_key(name)
    return key.startswith("(") and key.endswith(")")


class _Row:
    """One indicator's row, read as `_Reader.indicator` reads it."""

    def __init__(self, indicator: Indicator, allowed: frozenset[str]):
        self.indicator = indicator
        self.ident = indicator.id
        self.base: PathKey = ("indicators", indicator.id)
        own = {spec.name: spec for spec in indicator.inputs if not spec.shared}
        self.keys = allowed & (_ROW | set(own))
        self.own: dict[str, InputSpec] = own
        self.shared = [spec.name for spec in indicator.inputs if spec.shared]
        self.refs = [(spec.name, spec.max_ref) for spec in indicator.inputs if spec.max_ref]
        the_kind = kind(indicator.scoring)
        self.by_formula = the_kind.by_formula
        self.declarative = indicator.kinds.spec is not None or bool(indicator.kinds.conditions)
        needed = the_kind.by_formula and indicator.on_missing == "error" and not self.declarative
        self.needed = [spec for spec in indicator.inputs if needed and not spec.optional]
        found = indicator.targets
        self.targets = None if found is None else Targets(found.categories, found.roll_up)

    def left_out(self, alone: Strict) -> IndicatorInputs | None:
        """The row left out, when what it reads depends on the rule set alone and is valid; else None."""
        if self.shared:
            return None
        try:
            return self.given({}, alone)
        except Exception:  # NotProven, or anything not foreseen: the full reader reads the row left out
            return None

    def given(self, entry: Any, strict: Strict) -> IndicatorInputs:
        if type(entry) is not dict or not self.keys.issuperset(entry):
            raise NotProven
        values = self.values(entry, strict.shared, strict) if self.indicator.inputs else {}
        override = self.override(entry["override"], strict) if "override" in entry else None
        found = (
            deductions(entry["deductions"], self.indicator, self.base, strict)
            if "deductions" in entry
            else ()
        )
        if override is not None and found:
            raise NotProven
        if override is None and (self.needed or self.declarative):
            self.check_needed(entry, values, strict)
        targets = self.read_targets(entry, strict) if "targets" in entry else ()
        improvement, reason = entry.get("improvement", ""), entry.get("reason", "")
        if type(improvement) is not str or type(reason) is not str:
            raise NotProven
        reason = reason.strip()
        if "reason" in entry and (is_blank(reason) or not self.by_formula):
            raise NotProven
        return IndicatorInputs(values, found, override, targets, improvement.strip(), None, "", reason)

    def values(self, entry: dict[str, Any], shared: dict[str, Decimal], strict: Strict) -> dict[str, Decimal]:
        values = {}
        for spec in self.indicator.inputs:
            if spec.shared:
                if spec.name in shared:
                    values[spec.name] = shared[spec.name]
            elif spec.name in entry:
                values[spec.name] = value(spec, entry[spec.name], self.base + (spec.name,), strict)
        for name, ref in self.refs:
            if name in values and ref in values and values[name] > values[ref]:
                raise NotProven
        return values

    def override(self, item: Any, strict: Strict) -> Override:
        if type(item) is not dict or not _OVERRIDE.issuperset(item) or not item.keys() >= {"score", "reason"}:
            raise NotProven
        if not (type(item["reason"]) is str and type(item.get("improvement", "")) is str):
            raise NotProven
        if type(item["score"]) not in (str, int, Decimal):
            raise NotProven
        found = strict.override(self.base, self.indicator, item)
        if found is None:
            raise NotProven
        return found

    def check_needed(self, entry: dict[str, Any], values: dict[str, Decimal], strict: Strict) -> None:
        """What the row's kind needs and was not given (`check_kinds`, `check_missing`)."""
        if self.declarative:
            strict.check_kinds(self.base, self.indicator, entry, values)
            return
        for spec in self.needed:
            if spec.name not in (values if spec.shared else entry):
                raise NotProven

    def read_targets(self, entry: dict[str, Any], strict: Strict) -> tuple[Target, ...]:
        if self.targets is None:
            raise NotProven
        return self.targets.read(entry["targets"], self.indicator, self.base, strict)
