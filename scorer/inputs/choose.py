"""Which rules, which files: the defaults every command shares, decided in one place.

- An inputs file is scored with `--rules` if given, else the released rules of the `year` it declares.
- A golden case is scored with `--rules` if given, else the rules folder it lies in (`rules/<id>/2023/golden/x.yaml`
  is scored with `rules/<id>/2023`), else, under `<folder>/<year>/`, `./rules/<default id>/<year>` (or
  `./rules/<year>`) when the working folder is a rubric repository that has it, else the released `<year>`.
- A command that needs a year and has none (schema, template) uses the latest released year.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from scorer.errors import Location, RulesNotFound, UserError
from scorer.facts import fact
from scorer.inputs.values import envelope_integer
from scorer.sources.shipped import RUBRIC_NAME, default_family, shipped_rubric, shipped_rubrics, shipped_years
from scorer.sources.yaml import YamlDocument


def rules_for_inputs(explicit: str | None, doc: YamlDocument) -> str:
    if explicit is not None:
        return explicit
    year = doc.data.get("year") if isinstance(doc.data, dict) else None
    if year is None:
        raise UserError.at(Location(doc.path, 1), fact("inputs.no_year"))
    year = envelope_integer("year", year)  # "2022年" names the year 2022
    if isinstance(year, Decimal) and year == int(year):
        year = int(year)  # 2022.0 names the year 2022
    named = doc.data.get("rubric")
    if isinstance(named, str) and named.split("/")[0] != default_family():
        return named_rubric(doc, named, year)  # a file for another rubric than the default family's
    years = shipped_years()
    if str(year) not in years:
        # The file names a year no released rules cover: its own problem, at its line, not a usage error.
        released = "、".join(years) if years else "—"
        family = default_family()
        earlier = [y for y in years if not isinstance(year, int) or int(y) < year] or years or ["2022"]
        raise UserError.at(
            doc.at(("year",), None, "year"),
            fact(
                "inputs.year_not_released",
                year=str(year),
                released=released,
                earlier=f"{family}/{earlier[-1]}",
                new=f"{family}/{year}",
            ),
        )
    return str(year)


def named_rubric(doc: YamlDocument, named: str, year: object) -> str:
    """The folder of the rubric an inputs file names (`id`, with its `year`, or `id/year`): shipped, or the
    working rubric repository's own (./rules/<id>/<year>/). Only a rubric's name is looked up, never a path."""
    spec = named if "/" in named else f"{named}/{year}"
    where = doc.at(("rubric",), None, "rubric")
    if not RUBRIC_NAME.fullmatch(spec):
        raise UserError.at(where, fact("rubrics.bad_name", name=spec))
    local = Path("rules") / spec
    folder = shipped_rubric(spec) or (local if (local / "rubric.yaml").is_file() else None)
    if folder is None:
        shipped = "、".join(shipped_rubrics()) or "—"
        raise UserError.at(where, fact("inputs.rubric_not_shipped", spec=spec, shipped=shipped))
    return str(folder)


def rules_named_by(doc: YamlDocument) -> str | None:
    """The rubric an inputs file names when it is not the default family's (`rubric:`), as `run` finds it; None
    for a file of the default family or naming none."""
    data = doc.data if isinstance(doc.data, dict) else {}
    named = data.get("rubric")
    if not isinstance(named, str) or named.split("/")[0] == default_family():
        return None
    return named_rubric(doc, named, data.get("year"))


def rules_for_case(explicit: str | None, case: Path) -> str:
    if explicit is not None:
        return explicit
    enclosing = next((folder for folder in case.parents if (folder / "rubric.yaml").is_file()), None)
    if enclosing is not None:  # rules/2023/golden/x.yaml: the rules folder the cases live in
        return str(enclosing)
    year = case.parent.name
    local = [Path("rules") / default_family() / year, Path("rules") / year]
    return next((str(folder) for folder in local if (folder / "rubric.yaml").is_file()), year)


def latest_year(explicit: str | None = None) -> str:
    if explicit is not None:
        return explicit
    years = shipped_years()
    if not years:
        raise RulesNotFound(fact("rules.none_shipped"))
    return years[-1]


def golden_folders(given: list[Path] | None) -> list[Path]:
    """What `score test` runs: the paths given (each must exist), else tests/golden."""
    folders = given or [Path("tests/golden")]
    for folder in folders:
        if not folder.exists():
            raise UserError.at(Location(str(folder)), fact("cases.no_such_path"))
    return folders


def diff_inputs(given: list[Path] | None, folders: list[str]) -> tuple[list[Path], list[Path]]:
    """What `score diff` re-scores, and every place looked in: the paths given; else the golden cases of the
    rubrics compared (`folders`, the new one's first: rules/<id>/<year>/golden), examples/ and tests/golden/,
    where they exist."""
    if given is not None:
        return given, given
    places = [
        *dict.fromkeys(Path(folder) / "golden" for folder in folders),
        Path("examples"),
        Path("tests/golden"),
    ]
    return [p for p in places if p.is_dir()], places
