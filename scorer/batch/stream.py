"""Scoring a stream of sources with one rule set: in this process, or in `jobs` worker processes.

The rules are loaded once (once per worker). Sources are read and scored in chunks; at most a few chunks are in
flight at a time, so memory stays flat however long the stream, and outcomes come back in input order. A source
that cannot be scored becomes a `Refused` outcome carrying its problems: it never stops the stream.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from scorer.audit.model import Finding
from scorer.batch.adjust import Adjustments, Review
from scorer.batch.rubrics import Rubrics
from scorer.batch.sources import Source, read
from scorer.batch.summary import Brief, brief
from scorer.engine.result import Result
from scorer.errors import Location, Problem, UserError
from scorer.facts import fact
from scorer.i18n import t
from scorer.immutable import replace
from scorer.rules.model import RuleSet

if TYPE_CHECKING:
    from scorer.inputs.model import Department

CHUNK = 64  # sources a worker scores at a time: large enough to pay for the trip, small enough to stream


@dataclass(frozen=True)
class Scored:
    source: Source
    result: Result
    stated: Decimal | None = None  # a submitted 自评表's own total, as printed
    findings: tuple[Finding, ...] = ()  # what auditing it found: noted in the summary, on its 复核意见
    review: Review | None = None  # the department's overrides and the bureau's adjustments, kept apart
    rubric: str = (
        ""  # the folder of the rubric the file named, when not the batch's own (scorer/batch/rubrics.py)
    )


@dataclass(frozen=True)
class Other:
    """A file that is no submission (a PDF, a README, a workbook without a 自评表): listed with why, not scored."""

    source: Source
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Refused:
    source: Source
    problems: tuple[Problem, ...]
    bug: bool = False  # an error in the engine rather than in the department's file
    rubric: str = ""  # as `Scored.rubric`, when the file got as far as naming its rubric


Outcome = Scored | Refused | Other


def score_source(
    source: Source, rules: RuleSet | Rubrics, adjustments: Adjustments | None = None, lang: str | None = None
) -> Outcome:
    """One department: read, checked, scored against its rubric (again with the bureau's adjustments, when it has
    some); or refused with every problem of it, as facts. `lang`: the language of what a submitted 自评表 is
    restated with (the reason of a row that gives none); the problems are worded where they are shown."""
    from scorer.engine.errors import RuleRuntimeError
    from scorer.engine.score import score
    from scorer.inputs.read import read_inputs

    rubrics = as_rubrics(rules)
    rules = rubrics.main
    named = ""  # the rubric the file named, once known: its refusal is counted under it
    try:
        if source.kind == "other":
            return Other(source, tuple(source.payload))
        stated: Decimal | None = None  # a submitted 自评表's own total, and what auditing it found
        findings: tuple[Finding, ...] = ()
        if source.kind == "table":
            submitted = _table(source, rules, lang)
            if isinstance(submitted, Other):
                return submitted
            department, stated, findings = submitted
        else:
            doc = read(source)
            rules = rubrics.of(doc)
            named = rubrics.other(rules)
            department = read_inputs(doc, rules)
        own = score(rules, department)
        if adjustments is None or rules is not rubrics.main:  # adjustments name the batch's own rubric's rows
            return Scored(source, own, stated, findings, rubric=rubrics.other(rules))
        from scorer.batch.adjust import apply, review

        made = adjustments.of(department.name)
        adjusted = score(rules, apply(department, made)) if made else None
        return Scored(source, adjusted or own, stated, findings, review(own, adjusted, made))
    except UserError as exc:
        return Refused(source, tuple(exc.problems), rubric=named)
    except RuleRuntimeError as exc:
        return Refused(source, (Problem(exc.location(), exc.fact),), rubric=named)
    except RecursionError:
        return Refused(source, (Problem(Location(source.display, source.where), fact("batch.too_deep")),))
    except Exception as exc:  # a bug in the engine: the batch goes on, the department is listed
        if os.environ.get("SCORE_DEBUG"):
            raise
        what = fact("cli.bug", what=f"{type(exc).__name__}: {exc}")
        return Refused(source, (Problem(Location(source.display, source.where), what),), bug=True)


def _table(
    source: Source, rules: RuleSet, lang: str | None
) -> Other | tuple[Department, Decimal | None, tuple[Finding, ...]]:
    """A submitted 自评表: the facts it states (as `score audit --to-inputs` states them), to be re-scored, with
    its own total and what auditing it found; a file in which no 自评表 is found is no submission."""
    from pathlib import Path

    from scorer.audit.files import read_submitted

    try:
        submitted = read_submitted(Path(source.payload), rules, source.display, lang)
    except UserError as exc:
        said = [p.message for p in exc.problems]
        if said not in ([fact("audit.read.no_table")], [fact("audit.read.empty")]):
            raise
        why = fact("batch.other.no_table") if said == [fact("audit.read.no_table")] else said[0]
        return Other(source, (Problem(Location(source.display), why),))
    return submitted.department, submitted.audit.table.total, submitted.audit.errors


def worded(findings: tuple[Finding, ...], lang: str) -> tuple[str, ...]:
    """An audit's findings as notes of the batch, in `lang`: `[indicator] message` (a score kept as stated that
    the reason gives no figures for, a total that does not add up, …)."""
    from scorer.i18n import say

    return tuple(
        t(
            "batch.note",
            lang,
            indicator=finding.location.indicator or finding.location.field or t("audit.list.sheet", lang),
            note=t("batch.audit_note", lang, message=say(finding.message, lang)),
        )
        for finding in findings
    )


def as_rubrics(rules: RuleSet | Rubrics) -> Rubrics:
    """A rule set given alone scores every department against it, as `--rules` does."""
    return rules if isinstance(rules, Rubrics) else Rubrics(rules, forced=True)


def score_stream(
    sources: Iterable[Source], rules: RuleSet | Rubrics, jobs: int = 1, adjustments: Adjustments | None = None
) -> Iterator[Outcome]:
    """Each source's outcome, in input order."""
    if jobs <= 1:
        for source in sources:
            yield score_source(source, rules, adjustments)
        return
    yield from _in_processes(sources, rules, jobs, None, adjustments)


def score_lines(
    sources: Iterable[Source], rules: RuleSet | Rubrics, jobs: int = 1, lang: str = "zh"
) -> Iterator[str | Refused | Other]:
    """Each source's result as its JSON line (Contract 3, as `render/json_result.as_line` writes it, with its
    newline), or its refusal, in input order. With `jobs`, the workers write the lines: what comes back is the
    text, not the result objects, so the trip costs less than the scoring it saves."""
    if jobs <= 1:
        for source in sources:
            yield _as_line(score_source(source, rules), lang)
        return
    yield from _in_processes(sources, rules, jobs, ("line", lang))


def score_briefs(
    sources: Iterable[Source],
    rules: RuleSet | Rubrics,
    jobs: int = 1,
    lang: str = "zh",
    lines: bool = False,
    adjustments: Adjustments | None = None,
    detailed: bool = True,
) -> Iterator[Briefed | Refused | Other]:
    """Each source's outcome as what the batch summary takes of it (and its JSON line, with `lines`), in input
    order: with `jobs`, this is what the workers send back instead of the whole results. `detailed`: as
    `Summary.detailed` (False: the losses, reasons and notes no output reads are not worked out)."""
    shape = ("brief", lang, lines, detailed)
    if jobs <= 1:
        for source in sources:
            yield _shaped(score_source(source, rules, adjustments), shape)
        return
    yield from _in_processes(sources, rules, jobs, shape, adjustments)


@dataclass(frozen=True)
class Briefed:
    source: Source  # its place only: the payload is not sent back
    brief: Brief
    line: str | None  # the result's JSON line, when asked
    rubric: str = ""  # as `Scored.rubric`


def _as_line(outcome: Outcome, lang: str) -> str | Refused | Other:
    from scorer.batch.adjust import with_review
    from scorer.render.json_result import as_line

    if not isinstance(outcome, Scored):
        return outcome
    return with_review(as_line(outcome.result, lang) + "\n", outcome.review)


def _shaped(outcome: Outcome, shape: tuple[Any, ...] | None) -> Any:
    """The outcome as the caller asked it back: whole, as a JSON line, or as a `Briefed`."""
    if shape is None:
        return outcome
    if shape[0] == "line":
        return _as_line(outcome, shape[1])
    if not isinstance(outcome, Scored):
        return outcome
    _, lang, lines, detailed = shape
    line = _as_line(outcome, lang) if lines else None
    findings = worded(outcome.findings, lang) if detailed else ()
    seen = brief(outcome.result, lang, outcome.stated, findings, outcome.review, detailed)
    return Briefed(replace(outcome.source, payload=None), seen, line, outcome.rubric)  # type: ignore[arg-type]


# ---- worker processes ----

_worker_rules: Rubrics | None = None
_worker_adjustments: Adjustments | None = None
_worker_lang: str | None = None  # what a restated 自评表's words are in; the problems go back as facts


def _start_worker(
    folder: str,
    lang: str,
    later_years: bool = True,
    adjustments: Adjustments | None = None,
    forced: bool = True,
) -> None:
    global _worker_rules, _worker_adjustments, _worker_lang
    from scorer.rules.read import load_rules

    _worker_rules = Rubrics(replace(load_rules(folder), later_years=later_years), forced)
    _worker_adjustments = adjustments
    _worker_lang = lang


def _score_chunk(chunk: list[Source], shape: tuple[Any, ...] | None = None) -> list[Any]:
    """The outcomes of a chunk, shaped as asked (see `score_lines`, `score_briefs`)."""
    assert _worker_rules is not None
    outcomes = (score_source(source, _worker_rules, _worker_adjustments, _worker_lang) for source in chunk)
    return [_shaped(outcome, shape) for outcome in outcomes]


def _chunks(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    iterator = iter(sources)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_processes(
    sources: Iterable[Source],
    rules: RuleSet | Rubrics,
    jobs: int,
    shape: tuple[Any, ...] | None = None,
    adjustments: Adjustments | None = None,
) -> Iterator[Any]:
    from concurrent.futures import Future, ProcessPoolExecutor

    from scorer.i18n import language

    window = 2 * jobs  # chunks in flight: every worker busy, one waiting for each
    rubrics = as_rubrics(rules)
    main = rubrics.main
    with ProcessPoolExecutor(
        jobs,
        initializer=_start_worker,
        initargs=(main.folder, language(), main.later_years, adjustments, rubrics.forced),
    ) as pool:
        pending: deque[Future[Any]] = deque()
        for chunk in _chunks(sources, CHUNK):
            pending.append(pool.submit(_score_chunk, chunk, shape))
            while len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
