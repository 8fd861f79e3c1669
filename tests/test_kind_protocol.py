"""Each scoring kind stands behind one protocol (scorer/kinds/base.py) and a registry that imports it only when a
rule set uses it: nothing outside scorer/kinds/ tells kinds apart, and a new kind is one module."""

from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import msgspec
import pytest
import yaml

import scorer.kinds
from scorer.engine.score import score
from scorer.i18n import say, speaking
from scorer.inputs.read import parse_inputs
from scorer.kinds import registry
from scorer.kinds.needs import needed_inputs
from scorer.kinds.read import read_kinds
from scorer.kinds.specs import KindRules, where
from scorer.maintain.edge_coverage import edge_items, edges_seen
from scorer.maintain.kind_coverage import kind_items
from scorer.maintain.kind_diff import parts
from scorer.rules.read import load_rules

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT / "scorer"
KINDS = SCORER / "kinds"
ILLUSTRATIVE = ROOT / "tests" / "fixtures" / "rules" / "illustrative"


def _spec_classes() -> set[str]:
    """Every class the kinds' modules declare: the specs and their parts."""
    found = set()
    for path in KINDS.rglob("*.py"):
        found |= {n.name for n in ast.walk(ast.parse(path.read_text("utf-8"))) if isinstance(n, ast.ClassDef)}
    return found


def _scoring_reads(tree: ast.AST) -> set[str]:
    """The names bound to an indicator's `.scoring` (`kind = indicator.scoring`)."""
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "scoring"
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _told_apart(source: str, name: str, specs: set[str]) -> Iterator[str]:
    tree = ast.parse(source)
    bound = _scoring_reads(tree)
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance":
            named = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            named |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
            if named & specs:
                yield f"{where}: isinstance(…, {', '.join(sorted(named & specs))})"
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if (isinstance(side, ast.Attribute) and side.attr == "scoring") or (
                    isinstance(side, ast.Name) and side.id in bound
                ):
                    yield f"{where}: compares the scoring kind's name"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Attribute) and first.attr == "scoring":
                yield f"{where}: looks up by the scoring kind's name"


def test_nothing_outside_the_kinds_tells_kinds_apart() -> None:
    specs = _spec_classes()
    assert {"Bands", "Checklist", "Alternatives", "Graded"} <= specs
    found = [
        problem
        for path in sorted(SCORER.rglob("*.py"))
        if KINDS not in path.parents
        for problem in _told_apart(path.read_text("utf-8"), str(path.relative_to(ROOT)), specs)
    ]
    assert found == []


def test_the_check_would_see_a_switch() -> None:
    source = "def f(indicator, spec):\n    kind = indicator.scoring\n    return kind == 'formula' or isinstance(spec, Bands)\n"
    assert len(list(_told_apart(source, "probe.py", {"Bands"}))) == 2


def test_the_kinds_are_the_scoring_values_the_schema_allows() -> None:
    schema = json.loads((ROOT / "schemas" / "indicator.schema.json").read_text("utf-8"))
    assert set(registry.names()) == set(schema["properties"]["scoring"]["enum"])
    for name in registry.names():
        assert registry.kind(name).name == name


def test_a_kind_is_imported_only_when_a_rule_set_uses_it() -> None:
    code = """
        import sys
        from pathlib import Path
        from scorer.engine.score import score
        from scorer.inputs.read import load_inputs
        from scorer.rules.read import load_rules
        rules = load_rules("2022")
        score(rules, load_inputs(Path("examples/2022-zhengwu-fuwu.yaml"), rules))
        print(" ".join(sorted(m for m in sys.modules if m.startswith("scorer.kinds."))))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert {"scorer.kinds.formula", "scorer.kinds.deductions", "scorer.kinds.targets.kind"} <= loaded
    unused = {f"scorer.kinds.{name}" for name in ("bands", "steps", "per_occurrence", "checklist", "graded")}
    assert not loaded & (unused | {"scorer.kinds.proportional", "scorer.kinds.alternatives"})
    tools = {"scorer.kinds.read", "scorer.kinds.lint_tools", "scorer.kinds.parts", "scorer.kinds.interval"}
    assert not loaded & tools  # the 2022 rules declare no kind: the kinds' reader and lint stay out


# A kind written as the recipe in docs/architecture.md says: one module (here in a folder of the test's own, put
# on the package's path), nothing else of the scorer changed.
HALVES = '''
"""Halves: half the weight when the value is below a threshold, else full marks."""
from __future__ import annotations
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from scorer.facts import fact
from scorer.kinds.base import FORMULA_NAMES, Step
from scorer.kinds.context import Declarative
from scorer.kinds.parts import Edge, Item, side
from scorer.kinds.specs import where


@dataclass(frozen=True, slots=True)
class Halves:
    of: object
    below: Decimal
    path: tuple
    kind: str = "halves"


class HalvesKind(Declarative):
    name = "halves"

    def read(self, data, path, at):
        return Halves(at.formula(data["of"], path + ("of",)), Decimal(data["below"]), path)

    def needs(self, spec, names, choice):
        return spec.of.names - FORMULA_NAMES

    def scored(self, spec, row):
        value = spec.of.evaluate(row.names)
        half = value < spec.below
        row.steps.append(Step("value", fact("step.value", formula=spec.of.source, values=""), value))
        result = row.finish(Fraction(row.weight) / 2 if half else Fraction(row.weight))
        if half:
            row.exercised.append(where(spec.path))
            row.reasons.append(fact("reason.band", value=value, band=f"< {spec.below}", points=result))
        return result

    def items(self, spec, ident):
        place = where(spec.path)
        yield Item(place, fact("cases.item.steps", id=ident, where=place))

    def parts(self, spec):
        yield where(spec.path), f"{spec.of.source} < {spec.below}"

    def edges(self, spec, ident):
        place, edge = where(spec.path), Fraction(spec.below)
        label = fact("cases.item.threshold", id=ident, where=place, threshold=edge, side=side("at"))
        yield Edge((place, edge, "at"), label)

    def edges_seen(self, spec, names):
        at = spec.of.evaluate(names) == spec.below
        return {(where(spec.path), Fraction(spec.below), "at")} if at else set()


KIND = HalvesKind()
'''


@pytest.fixture
def halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "halves.py").write_text(HALVES, encoding="utf-8")
    monkeypatch.setattr(scorer.kinds, "__path__", [*scorer.kinds.__path__, str(tmp_path)])
    registry.kind.cache_clear()
    yield
    registry.kind.cache_clear()
    sys.modules.pop("scorer.kinds.halves", None)


def test_a_new_kind_is_one_module(halves: None) -> None:
    assert "halves" in registry.names()
    rules = load_rules(ILLUSTRATIVE)
    old = rules.indicator("execution_bands")
    assert old is not None
    problems: list[str] = []
    declared, asked = read_kinds(
        {"scoring": "halves", "halves": {"of": "execution_rate", "below": 90}},
        {"execution_rate", "weight", "year"},
        set(),
        lambda path, message: problems.append(message),
    )
    assert problems == [] and asked == ()
    new = msgspec.structs.replace(old, scoring="halves", kinds=KindRules(declared.spec))
    changed = msgspec.structs.replace(
        rules, indicators=tuple(new if i is old else i for i in rules.indicators)
    )
    given = yaml.safe_load((ILLUSTRATIVE / "golden" / "band-edges-b.yaml").read_text("utf-8"))["inputs"]
    given["indicators"]["execution_bands"] = {"execution_rate": 85}
    department = parse_inputs(yaml.safe_dump(given, allow_unicode=True), changed)
    row = next(i for i in score(changed, department).indicators if i.id == "execution_bands")
    assert row.score == 5 and row.exercised == ("halves",)
    with speaking("en"):
        assert [say(reason) for reason in row.reasons] == ["The value 85 lies in < 90: 5 points."]
    assert [step.what for step in row.steps] == ["value", "rounding"]
    assert needed_inputs(new, {}, "", 2030) == {"execution_rate"}
    assert list(kind_items(new)) == ["halves"]
    assert parts(new) == {"halves": "execution_rate < 90"}
    # `score test --coverage` counts the edges the kind says it has, keyed by data, worded where shown.
    edges = edge_items(new)
    assert list(edges) == [("edge", "execution_bands", "halves", Fraction(90), "at")]
    with speaking("en"):
        assert [say(label) for label in edges.values()] == [
            "steps threshold execution_bands.halves 90, a value on it"
        ]
    assert edges_seen(new, {"execution_rate": Decimal(90)}, 2030) == set(edges)
    assert edges_seen(new, {"execution_rate": Decimal(91)}, 2030) == set()


def test_the_steps_kind_lints_its_own_threshold() -> None:
    """A threshold outside its input's declared range is the steps kind's own lint, wherever the steps stand."""
    rules = load_rules(ILLUSTRATIVE)
    for ident in ("public_expense_steps", "execution_by_type"):
        indicator = rules.indicator(ident)
        assert indicator is not None
        specs = [indicator.spec, *(o.spec for o in getattr(indicator.spec, "options", ()))]
        steps = next(spec for spec in specs if getattr(spec, "kind", "") == "steps")
        assert not list(registry.kind("steps").lint(steps, indicator, rules.year))
        far = dataclasses.replace(steps, threshold=Decimal(-5))
        with speaking("en"):
            found = [
                p
                for p in registry.kind("steps").lint(far, indicator, rules.year)
                if "threshold" in say(p.message)
            ]
        assert len(found) == 1, found
        place = (*steps.path, "threshold")
        assert found[0].location.field == where(place) and found[0].location.line == indicator.lines.line(
            place
        )
        assert isinstance(found[0].location.line, int)
        assert "the threshold -5 lies outside what" in say(found[0].message)
