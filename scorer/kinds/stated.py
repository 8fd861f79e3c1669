"""The inputs a row scored by a declarative kind states in its reasons, read back with that kind's own reason texts.

`score run` writes each part of a kind's reason from the rule file's text for that part (an occurrence's, a
checklist item's, a band's) or, where the file gives none, from the catalogue's wording in either language. Each
is turned into a matcher (audit_facts.py) and looked for in the row's reason cell: an occurrence's `{count}` is
its input; a checklist item whose reason is there was missed, one whose reason is not was met; a band's or a
step's `{value}` is the input it is taken of, when that is one input. The audit then scores the row through the
engine from these inputs, so it reads a reason exactly as `score run` wrote it. None where a kind's inputs cannot
be read back (a value computed from several inputs, the department's choice, an evaluator's pick). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from scorer.facts import Template
from scorer.formula.template import TemplateError, compile_template
from scorer.formula.template_match import matcher, normalise
from scorer.i18n import t
from scorer.kinds.specs import Bands, Checklist, PerOccurrence, Proportional, Steps, Texts
from scorer.rounding import fmt
from scorer.rules.model import Indicator

LANGUAGES = ("zh", "en")


def scored_by_kind(indicator: Indicator) -> bool:
    return indicator.kinds.spec is not None or bool(indicator.kinds.conditions)


def kind_inputs(indicator: Indicator, reason: str) -> dict[str, Decimal] | None:
    """The inputs of a kind row its reason states, or None when they cannot be read back."""
    if indicator.kinds.conditions:
        return None  # a gate or a not-applicable rule decides on inputs its reason does not state
    spec = indicator.kinds.spec
    text = normalise(reason or "")
    if isinstance(spec, PerOccurrence):
        return _occurrences(spec, text)
    if isinstance(spec, Checklist):
        return _checklist(spec, text)
    if isinstance(spec, Bands | Steps):
        return _value_of(indicator, spec, text)
    if isinstance(spec, Proportional):
        return _proportional(indicator, spec, text)
    return None


def _occurrences(spec: PerOccurrence, text: str) -> dict[str, Decimal] | None:
    counts: dict[str, Decimal] = {}
    for item in spec.items:
        fixed = {"label": item.label, "unit": item.unit, "points": fmt(item.points)}
        templates = _templates(item.reason) or _defaults("reason.occurrence", fixed, {"count", "deducted"})
        found = _first(templates, text)
        if found is None:
            counts[item.id] = Decimal(0)  # an item counted writes its reason; one not there was not counted
        elif "count" in found:
            counts[item.id] = found["count"]
        elif "computed" in found and item.points:
            counts[item.id] = found["computed"] / item.points
        else:
            return None
    return counts


def _checklist(spec: Checklist, text: str) -> dict[str, Decimal]:
    answers: dict[str, Decimal] = {}
    for leaf in spec.leaves():
        fixed = {"text": leaf.text, "points": fmt(leaf.points)}
        templates = _templates(leaf.reason, {"points": fmt(leaf.points)}) or _defaults(
            "reason.check_missed", fixed, set()
        )
        answers[leaf.id] = Decimal(0) if _first(templates, text) is not None else Decimal(1)
    return answers


def _value_of(indicator: Indicator, spec: Bands | Steps, text: str) -> dict[str, Decimal] | None:
    name = spec.of.source.strip()
    if name not in {i.name for i in indicator.inputs}:
        return None  # a value computed from several inputs does not give them back
    defaults: list[Template]
    if isinstance(spec, Bands):
        texts: list[Texts] = [band.reason for band in spec.items]
        defaults = []  # the catalogue's wording names the band's text, which is not a number
    else:
        texts = [spec.reason]
        key = "reason.steps_above" if spec.direction == "above" else "reason.steps_below"
        defaults = _defaults(key, {}, {"value", "threshold", "excess", "per", "points", "steps", "deducted"})
    templates = [template for given in texts for template in _templates(given)] + defaults
    found = _first(templates, text)
    if found is None or "value" not in found:
        return None  # full marks say nothing of the value
    return {name: found["value"]}


def _proportional(indicator: Indicator, spec: Proportional, text: str) -> dict[str, Decimal] | None:
    names = {i.name for i in indicator.inputs}
    actual, target = spec.actual.source.strip(), spec.target.source.strip()
    if actual not in names or target not in names:
        return None
    defaults = _defaults("reason.proportional", {}, {"actual", "target", "score"})
    found = _first(_templates(spec.reason) + defaults, text)
    if found is None or "actual" not in found or "target" not in found:
        return None
    return {actual: found["actual"], target: found["target"]}


def _templates(texts: Texts, fixed: Mapping[str, str] | None = None) -> list[Template]:
    """A part's rule-file texts in every language, with values known beforehand filled in."""
    out = []
    for _, template in texts:
        if fixed and template.names & fixed.keys():
            source = "".join(
                literal.replace("{", "{{").replace("}", "}}")
                + ("" if name is None else fixed.get(name, "{" + name + "}"))
                for literal, name in template.parts
            )
            try:
                template = compile_template(source, set(template.names))
            except TemplateError:
                continue
        out.append(template)
    return out


def _defaults(key: str, fixed: Mapping[str, str], open_names: set[str]) -> list[Template]:
    """The catalogue's wording of `key` in each language, as a template of its open values."""
    out = []
    for lang in LANGUAGES:
        escaped = {k: v.replace("{", "{{").replace("}", "}}") for k, v in fixed.items()}
        source = t(key, lang, **escaped, **{n: "{" + n + "}" for n in open_names})
        try:
            out.append(compile_template(source, open_names))
        except TemplateError:
            continue
    return out


def _first(templates: Iterable[Template], text: str) -> dict[str, Decimal] | None:
    for template in templates:
        try:  # the template's words folded as the text's are (，→ ,)
            folded = compile_template(normalise(template.source), set(template.names))
            found = matcher(folded).search(text)
        except (re.error, TemplateError):  # a pattern that cannot be built (a placeholder used twice)
            continue
        if found:
            values = {}
            for key, value in found.groupdict().items():
                try:
                    values[key] = Decimal(value)
                except (InvalidOperation, TypeError):
                    continue
            return values
    return None
