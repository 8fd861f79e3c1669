"""A rule set built from its checked documents: each indicator with its formulas and reason templates compiled
once, its kind read, and the year file's levels, grades and order."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import replace

from scorer.errors import Problem
from scorer.facts import Message, Template
from scorer.formula.evaluate import Formula, FormulaError, compile_formula
from scorer.immutable import FrozenMap, freeze
from scorer.kinds.base import FORMULA_NAMES, InputSpec
from scorer.kinds.registry import declares
from scorer.kinds.specs import KindRules
from scorer.kinds.targets.model import TargetsSpec
from scorer.rounding import Rounding
from scorer.rules.model import (
    Check,
    DeclaredDeduction,
    Form,
    Grade,
    Indicator,
    Level,
    Metric,
    RuleSet,
)
from scorer.sources.schema import field_name, load_schema, validate
from scorer.sources.yaml import YamlDocument

# Placeholders a reason template may use besides its indicator's inputs and metrics.
REASON_NAMES = {"weight", "year", "score", "lost", "raw"}
# What a rubric's shared input may not be named: what every formula or reason already reads by that name.
RESERVED = frozenset(REASON_NAMES | FORMULA_NAMES)


def build_indicator(
    doc: YamlDocument, default: Rounding, problems: list[Problem], shared: tuple[InputSpec, ...] = ()
) -> Indicator | None:
    """A row; `shared`: the inputs the rubric declares once and the budget block's (`shared_inputs`), which its
    formulas, conditions and reasons may name where it declares no input of that name."""
    data = doc.data
    ident = data.get("id") if isinstance(data.get("id"), str) else Path(doc.path).stem
    schema_problems = validate(doc, load_schema("indicator.schema.json"), lambda path: (ident, path))
    problems += schema_problems
    if schema_problems:
        return None
    inputs = tuple(input_spec(name, spec) for name, spec in (data.get("inputs") or {}).items())
    own = {spec.name for spec in inputs}
    others = {spec.name: spec for spec in shared if spec.name not in own}  # the row's own input wins
    input_names = own | set(others)

    def fail(key: tuple[str | int, ...], message: Message) -> None:
        problems.append(Problem(doc.at(key, ident, field_name(key)), message))

    formula = _formula(data, input_names, fail)
    metrics = _metrics(data, input_names, fail)
    reasons = _reasons(data, input_names | REASON_NAMES | {m.id for m in metrics}, fail)
    kinds: KindRules = KindRules()
    asked: tuple[InputSpec, ...] = ()
    if declares(data):  # the kinds' reader is imported for a rule set that declares one
        from scorer.kinds.read import read_kinds

        kinds, asked = read_kinds(
            data, input_names | FORMULA_NAMES, input_names | REASON_NAMES | {m.id for m in metrics}, fail
        )
    targets = data.get("targets")
    indicator = Indicator(
        id=ident,
        name=data["name"],
        level1=data["level1"],
        level2=data["level2"],
        weight=Decimal(data["weight"]),
        explanation=data["explanation"],
        scoring=data["scoring"],
        inputs=inputs + asked,
        formula=formula,
        rounding=rounding_of(data["rounding"], default) if "rounding" in data else default,
        on_missing=data.get("on_missing", "error"),
        reason_templates=FrozenMap(reasons),
        metrics=tuple(metrics),
        deductions=tuple(
            DeclaredDeduction(d["code"], Decimal(d["points"]), d["reason"], d.get("improvement", ""))
            for d in data.get("deductions") or []
        ),
        targets=TargetsSpec(tuple(targets["categories"]), targets["roll_up"]) if targets else None,
        provenance=freeze(data["provenance"]),
        path=doc.path,
        lines=doc.lines,
        keys=frozenset(data),
        name_en=data.get("name_en", ""),
        explanation_en=data.get("explanation_en", ""),
        kinds=kinds,
    )
    return _with_shared(indicator, others)


def _with_shared(indicator: Indicator, others: dict[str, InputSpec]) -> Indicator:
    """The row with the shared inputs it reads as inputs of its own (a row that reads none, as it is)."""
    used = _names_read(indicator) & set(others)
    if not used:
        return indicator
    return replace(indicator, inputs=indicator.inputs + tuple(others[name] for name in sorted(used)))


def _names_read(indicator: Indicator) -> set[str]:
    """Every name a row's formulas, conditions, kind and reasons read."""
    names = set(indicator.formula.names) if indicator.formula is not None else set()
    for metric in indicator.metrics:
        names |= metric.formula.names
    for template in indicator.reason_templates.values():
        names |= template.names
    if indicator.kinds.spec is not None or indicator.kinds.conditions:
        from scorer.kinds.lint_tools import used_names

        names |= used_names(indicator)
    return names


def _label(spec: dict[str, Any]) -> str:
    """A budget part's name as the inputs schema describes it (总预算, 全年执行数)."""
    return str(spec.get("description", "")).split(" (")[0]


def shared_inputs(data: dict[str, Any]) -> tuple[InputSpec, ...]:
    """What every row may read besides its own inputs: the inputs the year file declares once (`inputs:`), and
    the budget block of an inputs file as `budget_total`, `budget_basic`, … (万元)."""
    parts = load_schema("inputs.schema.json")["properties"]["budget"]["properties"]
    budget = tuple(
        InputSpec(f"budget_{part}", "number", _label(spec), "万元", Decimal(0), shared="budget")
        for part, spec in parts.items()
    )
    declared = tuple(
        msgspec.structs.replace(input_spec(name, spec), shared="shared")
        for name, spec in (data.get("inputs") or {}).items()
        if not reserved(name)  # lint refuses it (scorer/rules/across.py)
    )
    return declared + budget


def reserved(name: str) -> bool:
    """A name a rubric's shared input may not take: what every formula or reason reads already (`weight`,
    `year`, `score`, …), or a part of the budget block (`budget_total`)."""
    parts = load_schema("inputs.schema.json")["properties"]["budget"]["properties"]
    return name in RESERVED or name.removeprefix("budget_") in parts and name.startswith("budget_")


Fail = Callable[[tuple[str | int, ...], Message], None]


def _formula(data: dict[str, Any], input_names: set[str], fail: Fail) -> Formula | None:
    if "formula" not in data:
        return None
    try:
        return compile_formula(data["formula"], input_names | FORMULA_NAMES)
    except FormulaError as exc:
        fail(("formula",), exc.fact)
        return None


def _metrics(data: dict[str, Any], input_names: set[str], fail: Fail) -> list[Metric]:
    metrics = []
    for index, item in enumerate(data.get("metrics") or []):
        try:
            compiled = compile_formula(item["formula"], input_names | FORMULA_NAMES)
        except FormulaError as exc:
            fail(("metrics", index, "formula"), exc.fact)
            continue
        metrics.append(
            Metric(item["id"], item["name"], compiled, item.get("unit", ""), item.get("places", 2))
        )
    return metrics


def _reasons(data: dict[str, Any], allowed: set[str], fail: Fail) -> dict[str, Template]:
    from scorer.formula.template import TemplateError, compile_template

    reasons: dict[str, Template] = {}
    if "reason" not in data:
        return reasons
    given = data["reason"] if isinstance(data["reason"], dict) else {"zh": data["reason"]}
    for language, source in given.items():
        where = ("reason", language) if isinstance(data["reason"], dict) else ("reason",)
        try:
            reasons[language] = compile_template(source, allowed)
        except TemplateError as exc:
            fail(where, exc.fact)
    return reasons


def input_spec(name: str, spec: dict[str, Any]) -> InputSpec:
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


def rounding_of(data: dict[str, Any], default: Rounding | None = None) -> Rounding:
    """A `rounding:` block; a row's own block keeps the rubric's display places unless it declares its own."""
    display = data.get("display", default.display if default is not None else None)
    return Rounding(int(data["places"]), data["mode"], None if display is None else int(display))


def build_rule_set(doc: YamlDocument, indicators: list[Indicator], folder: Path, digest: str) -> RuleSet:
    data = doc.data
    default = rounding_of(data["rounding"])
    # In the table's order; unlisted or repeated ids keep their file order at the end (the checks report them).
    position = {ident: n for n, ident in reversed(list(enumerate(data["indicators"])))}
    ordered = sorted(indicators, key=lambda i: position.get(i.id, len(position)))
    for index in range(1, len(ordered)):  # a row printed without a name continues the row above, in its level
        above, row = ordered[index - 1], ordered[index]
        if not row.name.strip() and above.title and above.level2 == row.level2:
            ordered[index] = replace(row, continues=above.title)
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
        grades=tuple(
            Grade(g["name"], Decimal(g["min"]), Decimal(g["max"])) for g in data.get("grades") or []
        ),
        indicators=tuple(ordered),
        provenance=freeze(data["provenance"]),
        folder=str(folder),
        digest=digest,
        listed=tuple(data["indicators"]),
        rubric_path=doc.path,
        rubric_lines=doc.lines,
        title_en=data.get("title_en", ""),
        english=english_names(data),
        id=data.get("id", ""),
        region=data.get("region", ""),
        family=data.get("family", ""),
        status=data.get("status", "released"),
        extends=data.get("extends", ""),
        form=form_of(data.get("form") or {}),
        shared=tuple(
            msgspec.structs.replace(input_spec(n, s), shared="shared")
            for n, s in (data.get("inputs") or {}).items()
        ),
        checks=tuple(
            Check(c["id"], c["holds"], FrozenMap(_languages(c["message"])), n)
            for n, c in enumerate(data.get("checks") or [])
        ),
    )


def _languages(text: str | dict[str, str]) -> dict[str, str]:
    return dict(text) if isinstance(text, dict) else {"zh": text}


def form_of(data: dict[str, Any]) -> Form:
    """The table the rubric prints: the 部门整体 one unless it declares another."""
    budget = data.get("budget") or {}
    columns = FrozenMap((key, name) for key, name in budget.items() if key != "row")
    return Form(data.get("layout", "department"), budget.get("row", ""), columns)


def english_names(data: dict[str, Any]) -> FrozenMap[str, str]:
    """Level, child and grade names → their English names, where the year file gives them."""
    named = [
        *data["levels"],
        *(c for level in data["levels"] for c in level["children"]),
        *(data.get("grades") or []),
    ]
    return FrozenMap((item["name"], item["name_en"]) for item in named if item.get("name_en"))
