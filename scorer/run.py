"""`score run` and `score explain`: read one inputs file, choose its rules, score it."""

from __future__ import annotations

from pathlib import Path

from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.inputs.choose import rules_for_inputs
from scorer.inputs.read import read_document, read_inputs
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules


def score_file(inputs: Path, rules: str | Path | None = None) -> tuple[Result, RuleSet]:
    """Score one inputs file (YAML or workbook). Without `rules`, the released rules of its `year` are used."""
    doc = read_document(inputs)  # read once: it also names the year when `rules` is not given
    rule_set = load_rules(rules if rules is not None else rules_for_inputs(None, doc))
    return score(rule_set, read_inputs(doc, rule_set)), rule_set
