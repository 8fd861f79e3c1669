"""The rule set: a year's rubric files read into frozen data, formulas and templates compiled once.

`read_rules` reads and checks a folder and returns the rule set with every problem found (for `score lint`);
`load_rules` is the strict form that raises when anything is wrong (for `score run`).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from scorer.errors import Location, Problem, RulesNotFound, UserError
from scorer.facts import fact
from scorer.immutable import FrozenMap
from scorer.rounding import Rounding, fmt
from scorer.rules.build import build_indicator, build_rule_set, rounding_of, shared_inputs
from scorer.rules.cache import Parts, Sources, cached
from scorer.rules.extends import Reader, extending, resolve
from scorer.rules.model import RowOrigin, RuleSet
from scorer.sources.schema import load_schema, validate
from scorer.sources.shipped import (
    RUBRIC_NAME,
    default_family,
    rules_root,
    shipped_rubric,
    shipped_rubrics,
    shipped_years,
)
from scorer.sources.yaml import YamlDocument, display_path, load_yaml_file, parse_yaml, utf8_text


def resolve_rules(spec: str) -> Path:
    """A shipped year ("2022": the default family's), a shipped rubric ("guangzhou-huangpu-bumen/2022") or a
    path to a rules folder → the folder.

    A bare year or a rubric's name names the shipped rules, even where the working folder happens to hold a
    folder of that name; if that folder is itself a rules folder, which one was meant is unclear and the user is
    asked to say.
    """
    if not spec.strip():
        raise RulesNotFound(fact("rules.empty_spec"))
    candidate = Path(spec)
    shipped = rules_root() / default_family() / spec if spec in shipped_years() else shipped_rubric(spec)
    if shipped is not None:
        if (candidate / "rubric.yaml").is_file() and candidate.resolve() != shipped.resolve():
            raise RulesNotFound(fact("rules.ambiguous", spec=spec))
        return shipped
    if candidate.is_dir():
        return candidate
    local = Path("rules") / spec  # a rubric repository's own rubric, by its name
    if RUBRIC_NAME.fullmatch(spec) and (local / "rubric.yaml").is_file():
        return local
    names = ", ".join([*shipped_years(), *shipped_rubrics()]) or fact("rules.no_years")
    raise RulesNotFound(fact("rules.not_found", spec=spec, years=names))


def load_rules(spec: str | Path) -> RuleSet:
    """A checked rule set (from the cache when its files are unchanged); raises UserError with every error."""
    folder = spec if isinstance(spec, Path) else resolve_rules(spec)
    files = sorted([folder / "rubric.yaml", *indicator_files(folder)])
    errors: list[Problem] = []

    def build(sources: Sources | None) -> tuple[RuleSet | None, Parts]:
        rules, problems, docs = _read_and_check(folder, sources)
        errors.extend(p for p in problems if p.severity == "error")
        if errors or rules is None:
            return None, []
        if extending(docs.get(folder / "rubric.yaml")):
            return rules, []  # a rubric resolved from other folders' files is read from them each time
        return rules, [(docs[path].data, docs[path].lines) for path in files]

    def rebuild(parts: Parts) -> RuleSet | None:
        """The rule set of documents the cache kept: checked and built as the files' own would be."""
        shown = Path(display_path(folder))  # the files were opened inside it, none through a link
        places = [path.relative_to(folder).as_posix() for path in files]
        docs = [
            YamlDocument(str(shown / place), data, lines)
            for place, (data, lines) in zip(places, parts, strict=True)
        ]
        rubric = docs[places.index("rubric.yaml")]
        if extending(rubric):
            return None  # never stored: read from the files
        problems: list[Problem] = []
        rules = _checked(
            folder,
            rubric,
            [doc for doc in docs if doc is not rubric],
            problems,
            {doc.path: place for doc, place in zip(docs, places, strict=True)},
        )
        return None if any(p.severity == "error" for p in problems) else rules

    rules = cached(folder, files, build, rebuild)
    if errors or rules is None:
        raise UserError(errors)
    return rules


def indicator_files(folder: Path) -> list[Path]:
    """The files `indicators/*.yaml` of a rules folder, sorted (as `Path.glob` finds them, without compiling a
    pattern at every start)."""
    try:
        with os.scandir(folder / "indicators") as entries:
            return sorted(folder / "indicators" / e.name for e in entries if e.name.endswith(".yaml"))
    except OSError:  # no such folder, or not one: reading says what is wrong
        return []


def read_rules(spec: str | Path) -> tuple[RuleSet | None, list[Problem]]:
    """Read and check a rules folder; return the rule set (None when it cannot be built) and every problem."""
    folder = spec if isinstance(spec, Path) else resolve_rules(spec)
    rules, problems, _ = _read_and_check(folder, None)
    return rules, problems


def _read_and_check(
    folder: Path, sources: Sources | None
) -> tuple[RuleSet | None, list[Problem], dict[Path, YamlDocument]]:
    """Read the folder's files (from `sources`, their bytes as already read, when given), resolve what it
    extends or uses (scorer/rules/extends.py), then check and build them: (the rule set or None, every problem,
    each of the folder's own files' document)."""
    problems: list[Problem] = []
    rubric_path = folder / "rubric.yaml"
    inside = _rows_inside(folder)
    rubric_doc = _read(rubric_path, problems, folder, sources) if inside else None
    if not inside:
        # one message for the cause, rather than one for every indicator the year file lists; a rubric that
        # extends another may have no rows of its own
        probe: list[Problem] = []
        rubric_doc = _read(rubric_path, probe, folder, sources) if rubric_path.is_file() else None
        if not extending(rubric_doc) or (folder / "indicators").exists():
            shown = display_path(folder / "indicators")  # and why the year file could not say it extends one
            return None, [*probe, Problem(Location(shown), fact("rules.no_indicators_folder"))], {}
        problems += probe
    paths = [p for p in (sorted(sources) if sources else indicator_files(folder)) if p != rubric_path]
    docs = {path: doc for path in paths if (doc := _read(path, problems, folder, sources)) is not None}
    if rubric_doc is not None:
        docs[rubric_path] = rubric_doc
    own_rows = [doc for path, doc in docs.items() if path != rubric_path]
    if not extending(rubric_doc):
        return _checked(folder, rubric_doc, own_rows, problems), problems, docs
    assert rubric_doc is not None
    resolved = resolve(folder, rubric_doc, own_rows, problems, Reader(_read, indicator_files))
    if resolved is None:
        return None, problems, docs
    return (
        _checked(folder, resolved.rubric, resolved.rows, problems, origins=resolved.origins),
        problems,
        docs,
    )


def _rows_inside(folder: Path) -> bool:
    rows = folder / "indicators"
    return rows.is_dir() and folder.resolve() in rows.resolve().parents


def _checked(
    folder: Path,
    rubric_doc: YamlDocument | None,
    indicator_docs: list[YamlDocument],
    problems: list[Problem],
    places: dict[str, str] | None = None,
    origins: dict[str, RowOrigin] | None = None,
) -> RuleSet | None:
    """The rule set of the folder's documents, checked: against the schemas, then built (formulas against their
    allow-list, reason templates, kinds), then as a whole; every problem is added to `problems`. What the files
    say and what the rules cache kept both go through here. `places`: each document's file in the folder, where
    known without resolving its path; `origins`: the documents are a resolved rubric's, and where each row not its
    own comes from (scorer/rules/extends.py)."""
    # What only checking needs, not the start of a command that reads no rules.
    from scorer.rules.check import check_indicator, check_rule_set

    rubric_problems = (
        validate(rubric_doc, load_schema("rubric.schema.json"), lambda path: (None, path))
        if rubric_doc
        else []
    )
    problems += rubric_problems
    # An indicator without its own rounding takes the year's (or, while the year file is broken, a stand-in).
    default = (
        rounding_of(rubric_doc.data["rounding"])
        if rubric_doc and not rubric_problems
        else Rounding(2, "half_up")
    )
    shared = shared_inputs(rubric_doc.data) if rubric_doc and not rubric_problems else ()
    indicators = [
        i for doc in indicator_docs if (i := build_indicator(doc, default, problems, shared)) is not None
    ]
    complete = not any(p.severity == "error" for p in problems)
    if rubric_doc is None or rubric_problems:
        year = _year_if_readable(rubric_doc)
        for indicator in indicators:  # the year file is broken: check what can be checked alone
            problems += check_indicator(indicator, year)
        return None
    rules = replace(build_rule_set(rubric_doc, indicators, folder, ""), origins=FrozenMap(origins or {}))
    # With a file missing, sums and listings would report that file again, less clearly: skip them then.
    problems += check_rule_set(rules, complete=complete)
    if any(p.severity == "error" for p in problems):
        return None
    # Digested last: only documents that passed every check are written out canonically.
    docs = [rubric_doc, *indicator_docs]
    if origins is not None:  # a resolved rubric's rows by their ids: the files they come from are others'
        rows = [(f"rows/{i.id}", doc.data) for i, doc in zip(indicators, indicator_docs, strict=True)]
        return replace(rules, digest=_digest([("rubric.yaml", rubric_doc.data), *rows]))
    root = folder.resolve()
    named = [
        (places[doc.path] if places else Path(doc.path).resolve().relative_to(root).as_posix(), doc.data)
        for doc in docs
    ]
    return replace(rules, digest=_digest(named))


def _year_if_readable(rubric: YamlDocument | None) -> int | None:
    """The year a broken year file still states plainly, to try formulas in; None when it does not."""
    year = rubric.data.get("year") if rubric is not None else None
    return year if type(year) is int and 2000 <= year <= 2999 else None  # the range the schema allows


def _read(
    path: Path, problems: list[Problem], folder: Path | None = None, sources: Sources | None = None
) -> YamlDocument | None:
    root = (folder or path.parent).resolve()
    if path.exists() and root not in path.resolve().parents:
        problems.append(
            Problem(
                Location(display_path(path), 1),
                fact("rules.link_outside"),
            )
        )
        return None
    # A value refused as it is read names the indicator the file describes (its id is its file name).
    indicator = path.stem if path.parent.name == "indicators" else None
    try:
        if sources is not None and path in sources:  # the bytes the cache key was made of
            display = display_path(path)
            doc = parse_yaml(utf8_text(sources[path], display), display, indicator)
        else:
            doc = load_yaml_file(path, indicator=indicator)
    except UserError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(Location(doc.path, 1), fact("rules.not_a_mapping")))
        return None
    return doc


# The keys that name a rubric (rules/<id>/<year>/) and its state; they change no score, so not its digest.
_IDENTITY = frozenset({"id", "region", "family", "status"})


def _digest(named: list[tuple[str, Any]]) -> str:
    """sha256 over what the rule files say: each file's place in the folder (a resolved rubric's row: its id)
    and its data, canonically written.

    Comments, key order, quoting, line endings and trailing zeros (1.50 vs 1.5) do not change it; any change
    of a value, a key or a file does. It names exactly the rules a result was scored with.
    """
    import hashlib
    import json

    sha = hashlib.sha256()
    for place, data in sorted(named, key=lambda item: item[0]):
        if place == "rubric.yaml":  # who the rubric is, not what it scores: a result's digest outlives a move
            data = {key: value for key, value in data.items() if key not in _IDENTITY}
        canonical = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
        sha.update(place.encode() + b"\0" + canonical.encode() + b"\0")
    return "sha256:" + sha.hexdigest()


def _canonical(value: Any) -> Any:
    """Numbers by their value (1, 1.0 and 1.00 alike), kept apart from text that looks like a number."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return {"number": fmt(Decimal(value))}
    return value
