"""The rule set: a year's rubric files read into frozen data, formulas and templates compiled once.

`read_rules` reads and checks a folder and returns the rule set with every problem found (for `score lint`);
`load_rules` is the strict form that raises when anything is wrong (for `score run`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import Location, Problem, UserError
from .formula import Formula, FormulaError, compile_formula
from .numbers import Rounding, fmt
from .resources import rules_root, shipped_years
from .schemas import field_name, load_schema, validate
from .template import Template, TemplateError, compile_template
from .yamlio import LineMap, YamlDocument, display_path, load_yaml_file

# Names a formula may use besides its indicator's inputs.
FORMULA_NAMES = {"weight", "year"}
# Placeholders a reason template may use besides its indicator's inputs and metrics.
REASON_NAMES = {"weight", "year", "score", "lost", "raw"}


@dataclass(frozen=True)
class InputSpec:
    name: str
    type: str  # number | integer | percent
    label: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    max_ref: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Metric:
    """An evidence ratio shown beside the score, never scored (e.g. 结转结余率)."""

    id: str
    name: str
    formula: Formula
    unit: str
    places: int


@dataclass(frozen=True)
class DeclaredDeduction:
    code: str
    points: Decimal
    reason: str
    improvement: str = ""


@dataclass(frozen=True)
class TargetsSpec:
    categories: tuple[str, ...]
    roll_up: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    level1: str
    level2: str
    weight: Decimal
    explanation: str
    scoring: str  # formula | deductions | targets
    inputs: tuple[InputSpec, ...]
    formula: Formula | None
    rounding: Rounding
    on_missing: str
    reason: Template | None
    metrics: tuple[Metric, ...]
    deductions: tuple[DeclaredDeduction, ...]
    targets: TargetsSpec | None
    provenance: dict[str, Any]
    path: str = field(compare=False)
    lines: LineMap = field(compare=False, repr=False)
    keys: frozenset[str] = field(compare=False, repr=False, default=frozenset())  # as written in the file

    @property
    def title(self) -> str:
        """The name to show where a row stands alone (the table leaves one name blank)."""
        return self.name or self.id

    def input(self, name: str) -> InputSpec | None:
        return next((spec for spec in self.inputs if spec.name == name), None)

    def declared(self, code: str) -> DeclaredDeduction | None:
        return next((d for d in self.deductions if d.code == code), None)


@dataclass(frozen=True)
class Level:
    name: str
    weight: Decimal
    children: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Grade:
    name: str
    min: Decimal
    max: Decimal

    def label(self, top: bool) -> str:
        if self.min <= 0:
            return f"得分<{self.max:f}分"
        upper = "≤" if top else "<"
        return f"{self.min:f}分≤得分{upper}{self.max:f}分"


@dataclass(frozen=True)
class RuleSet:
    year: int
    title: str
    total: Decimal
    rounding: Rounding
    levels: tuple[Level, ...]
    grades: tuple[Grade, ...]
    indicators: tuple[Indicator, ...]
    provenance: dict[str, Any]
    folder: str
    digest: str
    listed: tuple[str, ...]  # the ids as the year file lists them, to check against the files
    rubric_path: str = field(compare=False)
    rubric_lines: LineMap = field(compare=False, repr=False)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def grade_of(self, total: Decimal) -> Grade:
        for grade in sorted(self.grades, key=lambda g: g.min, reverse=True):
            if total >= grade.min:
                return grade
        return min(self.grades, key=lambda g: g.min)


class RulesNotFound(Exception):
    """`--rules` names neither a shipped year nor a rules folder (a usage error, not a file problem)."""


def resolve_rules(spec: str) -> Path:
    """A shipped year ("2022") or a path to a rules folder → the folder.

    A bare year names the shipped rules, even where the working folder happens to hold a folder of that name;
    if that folder is itself a rules folder, which one was meant is unclear and the user is asked to say.
    """
    if not spec.strip():
        raise RulesNotFound("--rules is empty; give a year (e.g. 2022) or the path of a rules folder")
    candidate = Path(spec)
    if spec in shipped_years():
        if (candidate / "rubric.yaml").is_file() and candidate.resolve() != (rules_root() / spec).resolve():
            raise RulesNotFound(
                f"'{spec}' is both a shipped year and a rules folder here; write ./{spec} for the folder, "
                f"or run from another folder for the shipped {spec} rules"
            )
        return rules_root() / spec
    if candidate.is_dir():
        return candidate
    years = ", ".join(shipped_years()) or "none"
    raise RulesNotFound(f"rules '{spec}' are neither a shipped year (shipped: {years}) nor a rules folder")


def load_rules(spec: str | Path) -> RuleSet:
    rules, problems = read_rules(spec)
    errors = [p for p in problems if p.severity == "error"]
    if errors or rules is None:
        raise UserError(errors)
    return rules


def read_rules(spec: str | Path) -> tuple[RuleSet | None, list[Problem]]:
    """Read and check a rules folder; return the rule set (None when it cannot be built) and every problem."""
    from .validate import check_indicator, check_rule_set  # the checks build on the dataclasses above

    folder = spec if isinstance(spec, Path) else resolve_rules(spec)
    problems: list[Problem] = []
    rubric_doc = _read(folder / "rubric.yaml", problems, folder)
    indicator_docs = [
        doc
        for p in sorted((folder / "indicators").glob("*.yaml"))
        if (doc := _read(p, problems, folder)) is not None
    ]
    rubric_problems = (
        validate(rubric_doc, load_schema("rubric.schema.json"), lambda path: (None, path))
        if rubric_doc
        else []
    )
    problems += rubric_problems
    # An indicator without its own rounding takes the year's (or, while the year file is broken, a stand-in).
    default = (
        _rounding(rubric_doc.data["rounding"])
        if rubric_doc and not rubric_problems
        else Rounding(2, "half_up")
    )
    indicators = [i for doc in indicator_docs if (i := _build_indicator(doc, default, problems)) is not None]
    complete = not any(p.severity == "error" for p in problems)
    if rubric_doc is None or rubric_problems:
        for indicator in indicators:  # the year file is broken: check what can be checked alone
            problems += check_indicator(indicator)
        return None, problems
    rules = _build_rule_set(rubric_doc, indicators, folder, _digest(folder, [rubric_doc, *indicator_docs]))
    # With a file missing, sums and listings would report that file again, less clearly: skip them then.
    problems += check_rule_set(rules, complete=complete)
    return (rules if not any(p.severity == "error" for p in problems) else None), problems


def _read(path: Path, problems: list[Problem], folder: Path | None = None) -> YamlDocument | None:
    root = (folder or path.parent).resolve()
    if path.exists() and root not in path.resolve().parents:
        problems.append(
            Problem(
                Location(display_path(path), 1),
                "is a link that leads outside the rules folder; copy the file in",
            )
        )
        return None
    try:
        doc = load_yaml_file(path)
    except UserError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(Location(doc.path, 1), "expected a mapping of keys to values"))
        return None
    return doc


def _build_indicator(doc: YamlDocument, default: Rounding, problems: list[Problem]) -> Indicator | None:
    data = doc.data
    ident = data.get("id") if isinstance(data.get("id"), str) else Path(doc.path).stem
    schema_problems = validate(doc, load_schema("indicator.schema.json"), lambda path: (ident, path))
    problems += schema_problems
    if schema_problems:
        return None
    inputs = tuple(_input_spec(name, spec) for name, spec in (data.get("inputs") or {}).items())
    input_names = {spec.name for spec in inputs}

    def fail(key: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(doc.at(key, ident, field_name(key)), message))

    formula = None
    if "formula" in data:
        try:
            formula = compile_formula(data["formula"], input_names | FORMULA_NAMES)
        except FormulaError as exc:
            fail(("formula",), str(exc))
    metrics = []
    for index, item in enumerate(data.get("metrics") or []):
        try:
            compiled = compile_formula(item["formula"], input_names | FORMULA_NAMES)
        except FormulaError as exc:
            fail(("metrics", index, "formula"), str(exc))
            continue
        metrics.append(
            Metric(item["id"], item["name"], compiled, item.get("unit", ""), item.get("places", 2))
        )
    reason = None
    if "reason" in data:
        allowed = input_names | REASON_NAMES | {m.id for m in metrics}
        try:
            reason = compile_template(data["reason"], allowed)
        except TemplateError as exc:
            fail(("reason",), str(exc))
    targets = data.get("targets")
    return Indicator(
        id=ident,
        name=data["name"],
        level1=data["level1"],
        level2=data["level2"],
        weight=Decimal(data["weight"]),
        explanation=data["explanation"],
        scoring=data["scoring"],
        inputs=inputs,
        formula=formula,
        rounding=_rounding(data["rounding"]) if "rounding" in data else default,
        on_missing=data.get("on_missing", "error"),
        reason=reason,
        metrics=tuple(metrics),
        deductions=tuple(
            DeclaredDeduction(d["code"], Decimal(d["points"]), d["reason"], d.get("improvement", ""))
            for d in data.get("deductions") or []
        ),
        targets=TargetsSpec(tuple(targets["categories"]), targets["roll_up"]) if targets else None,
        provenance=data["provenance"],
        path=doc.path,
        lines=doc.lines,
        keys=frozenset(data),
    )


def _input_spec(name: str, spec: dict[str, Any]) -> InputSpec:
    def dec(key: str) -> Decimal | None:
        return Decimal(spec[key]) if key in spec else None

    return InputSpec(
        name=name,
        type=spec["type"],
        label=spec["label"],
        unit=spec.get("unit", ""),
        min=dec("min"),
        max=dec("max"),
        max_ref=spec.get("max_ref"),
        optional=spec.get("optional", False),
    )


def _rounding(data: dict[str, Any]) -> Rounding:
    return Rounding(int(data["places"]), data["mode"])


def _build_rule_set(doc: YamlDocument, indicators: list[Indicator], folder: Path, digest: str) -> RuleSet:
    data = doc.data
    default = _rounding(data["rounding"])
    # In the table's order; unlisted or repeated ids keep their file order at the end (the checks report them).
    position = {ident: n for n, ident in reversed(list(enumerate(data["indicators"])))}
    ordered = sorted(indicators, key=lambda i: position.get(i.id, len(position)))
    return RuleSet(
        year=data["year"],
        title=data["title"],
        total=Decimal(data["total"]),
        rounding=default,
        levels=tuple(
            Level(
                level["name"],
                Decimal(level["weight"]),
                tuple((child["name"], Decimal(child["weight"])) for child in level["children"]),
            )
            for level in data["levels"]
        ),
        grades=tuple(Grade(g["name"], Decimal(g["min"]), Decimal(g["max"])) for g in data["grades"]),
        indicators=tuple(ordered),
        provenance=data["provenance"],
        folder=str(folder),
        digest=digest,
        listed=tuple(data["indicators"]),
        rubric_path=doc.path,
        rubric_lines=doc.lines,
    )


def _digest(folder: Path, docs: list[YamlDocument]) -> str:
    """sha256 over what the rule files say: each file's path in the folder and its data, canonically written.

    Comments, key order, quoting, line endings and trailing zeros (1.50 vs 1.5) do not change it; any change
    of a value, a key or a file does. It names exactly the rules a result was scored with.
    """
    sha = hashlib.sha256()
    root = folder.resolve()
    for doc in sorted(docs, key=lambda d: d.path):
        relative = Path(doc.path).resolve().relative_to(root).as_posix()
        canonical = json.dumps(_canonical(doc.data), sort_keys=True, ensure_ascii=False)
        sha.update(relative.encode() + b"\0" + canonical.encode() + b"\0")
    return "sha256:" + sha.hexdigest()


def _canonical(value: Any) -> Any:
    """Numbers by their value (1, 1.0 and 1.00 alike), kept apart from text that looks like a number."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return {"number": fmt(Decimal(value))}
    return value
