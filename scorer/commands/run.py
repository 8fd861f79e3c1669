"""The steps strung together, for the command line and for programs that use the package."""

from __future__ import annotations

from pathlib import Path

from scorer.load.inputs import read_inputs
from scorer.load.rules import load_rules
from scorer.load.yamlio import YamlDocument, load_yaml_file
from scorer.model.problems import Location, UserError
from scorer.model.result import Result
from scorer.model.rules import RuleSet
from scorer.scoring.engine import score


def score_file(inputs: Path, rules: str | Path | None = None) -> tuple[Result, RuleSet]:
    """Score one inputs file. Without `rules`, the shipped rules of the inputs' `year` are used."""
    doc = load_yaml_file(inputs)  # read once: it also names the year when `rules` is not given
    rule_set = load_rules(rules if rules is not None else inputs_year(doc))
    return score(rule_set, read_inputs(doc, rule_set)), rule_set


def inputs_year(doc: YamlDocument) -> str:
    """The `year` an inputs file declares, to pick the rules when --rules is not given."""
    year = doc.data.get("year") if isinstance(doc.data, dict) else None
    if year is None:
        raise UserError.at(
            Location(doc.path, 1), "no 'year' in the inputs file; add one or give --rules YEAR"
        )
    return str(year)
