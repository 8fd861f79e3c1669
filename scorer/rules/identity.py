"""A rubric's identity as the files that use it see it: which rubric an inputs file names, and whether a
department's year may be scored under an earlier year's rubric."""

from __future__ import annotations

from pathlib import Path

from scorer.facts import Fact, fact
from scorer.rules.model import RuleSet
from scorer.sources.shipped import default_family, shipped_rubric, shipped_years


def has_rubric_for(rules: RuleSet, year: int) -> bool:
    """Whether the family of `rules` has a rubric for `year`: shipped, or beside it (rules/<id>/<year>/)."""
    beside = Path(rules.folder).parent / str(year) / "rubric.yaml"
    return beside.is_file() or (bool(rules.id) and shipped_rubric(f"{rules.id}/{year}") is not None)


def under_earlier_year(rules: RuleSet, year: object) -> bool:
    """A department of a later year than the rubric's, whose year has no rubric: scored under this one when it
    is named (`--rules ID/YEAR`), and every output says so."""
    return type(year) is int and year > rules.year and rules.later_years and not has_rubric_for(rules, year)


def without_rubric(rules: RuleSet, year: object) -> Fact | None:
    """For a department of a later year that has no rubric, scored under rules taken by default: the message
    with both ways forward (name this rubric with --rules, or create the year); else None."""
    if type(year) is not int or year <= rules.year or has_rubric_for(rules, year):
        return None
    family = rules.id or default_family()
    released = "、".join(shipped_years()) or "—"
    return fact(
        "inputs.year_not_released",
        year=str(year),
        released=released,
        earlier=rules.name,
        new=f"{family}/{year}",
    )


def named_mismatch(rules: RuleSet, named: str, own_year: object = None) -> str | None:
    """The rubric an inputs file names (`id` or `id/year`) when it is not `rules`, as `--rules` would name
    it (an id alone with the file's own year); None when it is (or the rules, from a folder written before
    rubrics had ids, say no id)."""
    ident, _, year = named.partition("/")
    if not rules.id or (ident == rules.id and (not year or year == str(rules.year))):
        return None
    return f"{ident}/{year or (own_year if type(own_year) is int else rules.year)}"
