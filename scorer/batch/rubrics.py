"""Which rubric each department of a batch is scored against.

A batch given `--rules` scores every department against that rubric (and a file naming another is refused at
its `rubric:` line, as `score run` refuses it). A batch without `--rules` scores a file that names its rubric
(`rubric:` in YAML or JSON Lines, the 基本情况 record `rubric` of a clerk's workbook) against that rubric, and
everything else against the batch's own rubric (the default family's latest year). The rubric a file names is
found as `score run` finds it (scorer/inputs/choose.py: only a rubric's name is looked up, never a path), loaded
once per batch (once per worker process), and the summary ranks each rubric's departments apart.
"""

from __future__ import annotations

from decimal import Decimal

from scorer.rules.identity import named_mismatch
from scorer.rules.model import RuleSet
from scorer.sources.yaml import YamlDocument


class Rubrics:
    """The batch's own rubric, whether it was forced (`--rules`), and every other rubric a file named."""

    def __init__(self, main: RuleSet, forced: bool = False):
        self.main = main
        self.forced = forced
        self._loaded: dict[str, RuleSet] = {main.folder: main}

    def of(self, doc: YamlDocument) -> RuleSet:
        """The rubric a department's document is scored against; a UserError at its `rubric:` line when the
        rubric it names cannot be found."""
        data = doc.data
        if self.forced or not isinstance(data, dict):
            return self.main
        named = data.get("rubric")
        if not isinstance(named, str) or not named.strip():
            return self.main
        year = _year(data.get("year"))
        if named_mismatch(self.main, named, year) is None:
            return self.main
        from scorer.errors import UserError
        from scorer.facts import fact, joined, said
        from scorer.inputs.choose import named_rubric

        folder = named_rubric(doc, named, year)
        try:
            return self.load(folder)
        except UserError as exc:  # said at the file that names it, with the rubric's own first problem
            first = (
                exc.problems[0] if exc.problems else None
            )  # its place (a rubric's file and line) and words
            problem = joined(said(first.location.prefix() + " "), first.message) if first else said("")
            where = doc.at(("rubric",), None, "rubric")
            raise UserError.at(
                where, fact("batch.rubric_unreadable", rubric=named, problem=problem)
            ) from None

    def load(self, folder: str) -> RuleSet:
        """A rubric by its folder, loaded once."""
        rules = self._loaded.get(folder)
        if rules is None:
            from scorer.rules.read import load_rules

            rules = self._loaded[folder] = load_rules(folder)
        return rules

    def other(self, rules: RuleSet) -> str:
        """The folder that names `rules` to the summary and the worker processes; "" for the batch's own."""
        return "" if rules is self.main else rules.folder


def _year(value: object) -> object:
    """The year as a file gives it ("2022年" and 2022.0 name 2022); anything else as it is, for the reader to
    refuse at its line."""
    from scorer.inputs.values import envelope_integer

    year = envelope_integer("year", value)
    whole = isinstance(year, Decimal) and year.is_finite() and year == year.to_integral_value()
    return int(year) if whole else year
