"""`score run` and `score explain`: read one inputs file, choose its rules, score it."""

from __future__ import annotations

from pathlib import Path

from scorer.commands.choose import rules_for_inputs
from scorer.load.inputs import read_inputs
from scorer.load.rules import load_rules
from scorer.load.yamlio import load_yaml_file
from scorer.model.result import Result
from scorer.model.rules import RuleSet
from scorer.scoring.engine import score


def score_file(inputs: Path, rules: str | Path | None = None) -> tuple[Result, RuleSet]:
    """Score one inputs file. Without `rules`, the released rules of the inputs' `year` are used."""
    doc = load_yaml_file(inputs)  # read once: it also names the year when `rules` is not given
    rule_set = load_rules(rules if rules is not None else rules_for_inputs(None, doc))
    return score(rule_set, read_inputs(doc, rule_set)), rule_set
