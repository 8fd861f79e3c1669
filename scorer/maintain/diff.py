"""`score diff OLD NEW`: what changed between two rule sets, and what it does to real departments' scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from scorer.engine.errors import RuleRuntimeError
from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.errors import Problem, UserError
from scorer.i18n import t
from scorer.inputs.read import read_inputs
from scorer.maintain.cases import discover, load_case
from scorer.maintain.kind_diff import kind_rows
from scorer.rounding import Rounding, fmt
from scorer.rules.model import Indicator, RuleSet
from scorer.sources.yaml import YamlDocument, display_path, load_yaml_file

if TYPE_CHECKING:
    from scorer.sources.file_plan import Gathered


@dataclass(frozen=True)
class Change:
    subject: str  # an indicator id, or "rubric"
    what: str
    table: tuple[tuple[str, str, str], ...] = ()  # a declarative kind's parts: (part, before, after)


@dataclass(frozen=True)
class Impact:
    label: str
    old: Result | str  # a result, or why the inputs were refused
    new: Result | str

    @property
    def delta(self) -> Decimal | None:
        if isinstance(self.old, Result) and isinstance(self.new, Result):
            return self.new.total - self.old.total
        return None

    def changed_rows(self) -> list[tuple[str, Decimal, Decimal]]:
        if not (isinstance(self.old, Result) and isinstance(self.new, Result)):
            return []
        before = {i.id: i.score for i in self.old.indicators}
        return [
            (i.id, before[i.id], i.score)
            for i in self.new.indicators
            if i.id in before and before[i.id] != i.score
        ]


@dataclass
class RulesDiff:
    old: RuleSet
    new: RuleSet
    changes: list[Change] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)


def diff(old: RuleSet, new: RuleSet, inputs: list[Path]) -> RulesDiff:
    return diff_documents(old, new, read_documents(inputs)[0])


def diff_documents(old: RuleSet, new: RuleSet, documents: list[tuple[str, YamlDocument]]) -> RulesDiff:
    """What changed between two rule sets, and each document's totals under both (`read_documents`)."""
    result = RulesDiff(old, new, rubric_changes(old, new) + _located(new, indicator_changes(old, new)))
    for label, doc in documents:
        result.impacts.append(Impact(label, _score(old, doc), _score(new, doc)))
    return result


def _located(new: RuleSet, changes: list[Change]) -> list[Change]:
    """A row's change said with the change of the rubric that made it (a rubric that extends another)."""
    out = []
    for change in changes:
        origin = new.origins.get(change.subject)
        where = t("diff.changed_at", change=origin.change) if origin is not None and origin.change else ""
        out.append(Change(change.subject, change.what + where, change.table))
    return out


def rubric_changes(old: RuleSet, new: RuleSet) -> list[Change]:
    changes = []
    if (old.provisional, old.name) != (new.provisional, new.name):
        status = [t("diff.provisional") if r.provisional else t("diff.released") for r in (old, new)]
        changes.append(
            Change(
                "rubric", t("diff.rubric", old=f"{old.name} ({status[0]})", new=f"{new.name} ({status[1]})")
            )
        )
    for attr, message in (("year", "diff.year"), ("title", "diff.title"), ("total", "diff.total")):
        if getattr(old, attr) != getattr(new, attr):
            was, now = _show(getattr(old, attr)), _show(getattr(new, attr))
            changes.append(Change("rubric", t(message, old=was, new=now)))
    old_bands = {g.name: (g.min, g.max) for g in old.grades}
    new_bands = {g.name: (g.min, g.max) for g in new.grades}
    for name in sorted(old_bands.keys() | new_bands.keys()):
        before, after = old_bands.get(name), new_bands.get(name)
        if before != after:
            changes.append(
                Change("rubric", t("diff.grade_band", name=name, old=_band(before), new=_band(after)))
            )
    old_levels = {(level.name, child): w for level in old.levels for child, w in level.children}
    new_levels = {(level.name, child): w for level in new.levels for child, w in level.children}
    for key in sorted(old_levels.keys() | new_levels.keys()):
        weight_before, weight_after = old_levels.get(key), new_levels.get(key)
        if weight_before != weight_after:
            what = t(
                "diff.level_weight",
                level1=key[0],
                level2=key[1],
                old=_show(weight_before),
                new=_show(weight_after),
            )
            changes.append(Change("rubric", what))
    return changes


def indicator_changes(old: RuleSet, new: RuleSet) -> list[Change]:
    before = {i.id: i for i in old.indicators}
    after = {i.id: i for i in new.indicators}
    removed = [i for ident, i in before.items() if ident not in after]
    added = [i for ident, i in after.items() if ident not in before]
    changes = []
    for gone in list(removed):  # same name and weight under a new id: a renamed id
        twin = next((a for a in added if a.name == gone.name and a.name and a.weight == gone.weight), None)
        if twin is not None:
            changes.append(Change(twin.id, t("diff.id_renamed", old=gone.id)))
            removed.remove(gone)
            added.remove(twin)
            changes += _compare(gone, twin)
    changes += [Change(i.id, t("diff.removed", title=i.title, weight=i.weight)) for i in removed]
    changes += [Change(i.id, t("diff.added", title=i.title, weight=i.weight)) for i in added]
    for ident in before.keys() & after.keys():
        changes += _compare(before[ident], after[ident])
    return sorted(changes, key=lambda c: (c.subject, c.what))


def _compare(old: Indicator, new: Indicator) -> list[Change]:
    out = []

    def note(key: str, before: object, after: object) -> None:
        if before != after:
            out.append(Change(new.id, t(key, old=_show(before), new=_show(after))))

    note("diff.renamed", old.name, new.name)
    note("diff.name_en", old.name_en or None, new.name_en or None)
    note("diff.explanation", old.explanation or None, new.explanation or None)
    note("diff.explanation_en", old.explanation_en or None, new.explanation_en or None)
    note("diff.reweighted", old.weight, new.weight)
    note("diff.level", f"{old.level1} / {old.level2}", f"{new.level1} / {new.level2}")
    note("diff.scoring", old.scoring, new.scoring)
    note(
        "diff.formula",
        old.formula.source if old.formula else None,
        new.formula.source if new.formula else None,
    )
    note("diff.rounding", _rounding(old.rounding), _rounding(new.rounding))
    note("diff.on_missing", old.on_missing, new.on_missing)
    note("diff.inputs", _inputs_text(old), _inputs_text(new))
    note("diff.deductions", _deductions_text(old), _deductions_text(new))
    note(
        "diff.roll_up",
        old.targets.roll_up if old.targets else None,
        new.targets.roll_up if new.targets else None,
    )
    note("diff.reason", old.reason.source if old.reason else None, new.reason.source if new.reason else None)
    rows = kind_rows(old, new)
    if rows:
        out.append(Change(new.id, t("diff.kind_heading"), rows))
    return out


def _rounding(rounding: Rounding) -> str:
    """As `score explain` words a rounding step: "2 places, half_up" (保留2位小数，四舍五入)."""
    return t("step.rounding", places=rounding.places, mode=t(f"rounding.{rounding.mode}"))


def _inputs_text(indicator: Indicator) -> str:
    return ", ".join(f"{s.name}:{s.type}" + ("?" if s.optional else "") for s in indicator.inputs) or t(
        "diff.none"
    )


def _deductions_text(indicator: Indicator) -> str:
    return ", ".join(f"{d.code}={fmt(d.points)}" for d in indicator.deductions) or t("diff.none")


def _show(value: object) -> str:
    if value is None:
        return t("diff.none")
    return fmt(value) if isinstance(value, Decimal) else str(value)


def _band(band: tuple[Decimal, Decimal] | None) -> str:
    return t("diff.none") if band is None else f"[{fmt(band[0])}, {fmt(band[1])})"


def read_documents(paths: list[Path]) -> tuple[list[tuple[str, YamlDocument]], list[Path]]:
    """Inputs files and golden cases under `paths`, as documents ready to score under either rule set; and every
    file read to find them (a golden case's `inputs_file` too)."""
    found = []
    read = discover(paths)
    for path in list(read):
        try:
            doc = load_yaml_file(path)
            if isinstance(doc.data, dict) and "expect" in doc.data:  # a golden case
                case = load_case(path)
                if case.inputs_file is not None:
                    read.append(case.inputs_file)
                inputs = load_yaml_file(case.inputs_file) if case.inputs_file is not None else case.inputs_doc
                assert inputs is not None
                found.append((str(case.path), inputs))
                continue
        except UserError:
            continue  # not an inputs file; `score lint` and `score test` speak of broken ones
        found.append((doc.path, doc))
    return found, read


def gathered(paths: list[Path]) -> list[Gathered]:
    """The folders `score diff` reads inputs from, and the names it reads there (`*.yaml`), for its file plan."""
    from scorer.sources.file_plan import Gathered

    return [Gathered(p, _a_yaml_file, display_path(p)) for p in paths if p.is_dir()]


def _a_yaml_file(relative: PurePath) -> bool:
    return relative.suffix.lower() == ".yaml"


def _score(rules: RuleSet, doc: YamlDocument) -> Result | str:
    data = dict(doc.data) if isinstance(doc.data, dict) else doc.data
    if isinstance(data, dict) and "year" in data:
        data["year"] = rules.year  # scored as if for the rules' year: the diff compares rules, not years
    try:
        return score(rules, read_inputs(YamlDocument(doc.path, data, doc.lines), rules))
    except UserError as exc:
        problem = exc.problems[0]
        where = f"[{problem.location.indicator}] " if problem.location.indicator else ""
        return t("diff.refused", where=where, message=problem.message)
    except (
        RuleRuntimeError
    ) as exc:  # the rules fail on this case: that is the case's outcome, not the diff's end
        return t("diff.fails", problem=str(Problem(exc.location(), exc.fact)))
