"""`score run` and `score explain`: read one inputs file, choose its rules, score it."""

from __future__ import annotations

from pathlib import Path

from scorer.commands.choose import rules_for_inputs
from scorer.load.inputs import read_inputs
from scorer.load.rules import load_rules
from scorer.load.workbook_layout import WORKBOOK_SUFFIXES
from scorer.load.yamlio import YamlDocument, load_yaml_file
from scorer.model.result import Result
from scorer.model.rules import RuleSet
from scorer.scoring.engine import score


def read_document(inputs: Path) -> YamlDocument:
    """An inputs file's data and where each value stands: a YAML file, or a clerk's workbook (.xlsx)."""
    if inputs.suffix.lower() in WORKBOOK_SUFFIXES:
        from scorer.load.workbook import load_workbook_inputs  # only a workbook needs its reader

        return load_workbook_inputs(inputs)
    return load_yaml_file(inputs)


def score_file(inputs: Path, rules: str | Path | None = None) -> tuple[Result, RuleSet]:
    """Score one inputs file (YAML or workbook). Without `rules`, the released rules of its `year` are used."""
    doc = read_document(inputs)  # read once: it also names the year when `rules` is not given
    rule_set = load_rules(rules if rules is not None else rules_for_inputs(None, doc))
    return score(rule_set, read_inputs(doc, rule_set)), rule_set
