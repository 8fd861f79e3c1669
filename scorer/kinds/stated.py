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
from scorer.formula.evaluate import Formula
from scorer.formula.template import TemplateError, compile_template
from scorer.formula.template_match import matcher, normalise
from scorer.i18n import t
from scorer.kinds import registry
from scorer.kinds.rule import Rule
from scorer.kinds.specs import Texts

LANGUAGES = ("zh", "en")


def scored_by_kind(indicator: Rule) -> bool:
    return indicator.kinds.spec is not None or bool(indicator.kinds.conditions)


def kind_inputs(indicator: Rule, reason: str) -> dict[str, Decimal] | None:
    """The inputs of a kind row its reason states, or None when they cannot be read back."""
    if indicator.kinds.conditions:
        return None  # a gate or a not-applicable rule decides on inputs its reason does not state
    spec = indicator.kinds.spec
    if spec is None:
        return None
    return registry.kind(spec.kind).stated(spec, indicator, normalise(reason or ""))


def value_of(
    indicator: Rule, of: Formula, texts: list[Texts], wording: list[Template], text: str
) -> dict[str, Decimal] | None:
    """The one input a band's or a step's value is taken of, as the reason states it in `{value}` (by the
    rule's `texts`, then the catalogue's `wording`); None for a value computed from several inputs."""
    name = of.source.strip()
    if name not in {i.name for i in indicator.inputs}:
        return None  # a value computed from several inputs does not give them back
    found = first([template for given in texts for template in templates(given)] + wording, text)
    if found is None or "value" not in found:
        return None  # full marks say nothing of the value
    return {name: found["value"]}


def templates(texts: Texts, fixed: Mapping[str, str] | None = None) -> list[Template]:
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


def defaults(key: str, fixed: Mapping[str, str], open_names: set[str]) -> list[Template]:
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


def first(templates: Iterable[Template], text: str) -> dict[str, Decimal] | None:
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
