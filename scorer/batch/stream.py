"""Scoring a stream of sources with one rule set: in this process, or in `jobs` worker processes.

The rules are loaded once (once per worker). Sources are read and scored in chunks; at most a few chunks are in
flight at a time, so memory stays flat however long the stream, and outcomes come back in input order. A source
that cannot be scored becomes a `Refused` outcome carrying its problems: it never stops the stream.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from scorer.batch.adjust import Adjustments, Review
from scorer.batch.sources import Source, read
from scorer.batch.summary import Brief, brief
from scorer.engine.result import Result
from scorer.errors import Location, Problem, UserError
from scorer.i18n import t
from scorer.rules.model import RuleSet

CHUNK = 64  # sources a worker scores at a time: large enough to pay for the trip, small enough to stream


@dataclass(frozen=True)
class Scored:
    source: Source
    result: Result
    review: Review | None = None  # the department's overrides and the bureau's adjustments, kept apart


@dataclass(frozen=True)
class Refused:
    source: Source
    problems: tuple[Problem, ...]
    bug: bool = False  # an error in the engine rather than in the department's file


Outcome = Scored | Refused


def score_source(source: Source, rules: RuleSet, adjustments: Adjustments | None = None) -> Outcome:
    """One department: read, checked, scored (again with the bureau's adjustments, when it has some); or refused
    with every problem of it."""
    from scorer.engine.errors import RuleRuntimeError
    from scorer.engine.score import score
    from scorer.inputs.read import read_inputs

    try:
        department = read_inputs(read(source), rules)
        own = score(rules, department)
        if adjustments is None:
            return Scored(source, own)
        from scorer.batch.adjust import apply, review

        made = adjustments.of(department.name)
        adjusted = score(rules, apply(department, made)) if made else None
        return Scored(source, adjusted or own, review(own, adjusted, made))
    except UserError as exc:
        return Refused(source, tuple(exc.problems))
    except RuleRuntimeError as exc:
        return Refused(source, (Problem(exc.location(), str(exc)),))
    except RecursionError:
        return Refused(source, (Problem(Location(source.display, source.where), t("batch.too_deep")),))
    except Exception as exc:  # a bug in the engine: the batch goes on, the department is listed
        if os.environ.get("SCORE_DEBUG"):
            raise
        what = t("cli.bug", what=f"{type(exc).__name__}: {exc}")
        return Refused(source, (Problem(Location(source.display, source.where), what),), bug=True)


def score_stream(
    sources: Iterable[Source], rules: RuleSet, jobs: int = 1, adjustments: Adjustments | None = None
) -> Iterator[Outcome]:
    """Each source's outcome, in input order."""
    if jobs <= 1:
        for source in sources:
            yield score_source(source, rules, adjustments)
        return
    yield from _in_processes(sources, rules, jobs, None, adjustments)


def score_lines(
    sources: Iterable[Source], rules: RuleSet, jobs: int = 1, lang: str = "zh"
) -> Iterator[str | Refused]:
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
    rules: RuleSet,
    jobs: int = 1,
    lang: str = "zh",
    lines: bool = False,
    adjustments: Adjustments | None = None,
) -> Iterator[Briefed | Refused]:
    """Each source's outcome as what the batch summary takes of it (and its JSON line, with `lines`), in input
    order: with `jobs`, this is what the workers send back instead of the whole results."""
    shape = ("brief", lang, lines)
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


def _as_line(outcome: Outcome, lang: str) -> str | Refused:
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
    _, lang, lines = shape
    line = _as_line(outcome, lang) if lines else None
    return Briefed(replace(outcome.source, payload=None), brief(outcome.result, lang, outcome.review), line)  # type: ignore[arg-type]


# ---- worker processes ----

_worker_rules: RuleSet | None = None
_worker_adjustments: Adjustments | None = None


def _start_worker(folder: str, lang: str, adjustments: Adjustments | None = None) -> None:
    global _worker_rules, _worker_adjustments
    from scorer import i18n
    from scorer.rules.read import load_rules

    i18n.set_language(lang)
    _worker_rules = load_rules(folder)
    _worker_adjustments = adjustments


def _score_chunk(chunk: list[Source], shape: tuple[Any, ...] | None = None) -> list[Any]:
    """The outcomes of a chunk, shaped as asked (see `score_lines`, `score_briefs`)."""
    assert _worker_rules is not None
    return [_shaped(score_source(source, _worker_rules, _worker_adjustments), shape) for source in chunk]


def _chunks(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    iterator = iter(sources)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_processes(
    sources: Iterable[Source],
    rules: RuleSet,
    jobs: int,
    shape: tuple[Any, ...] | None = None,
    adjustments: Adjustments | None = None,
) -> Iterator[Any]:
    from concurrent.futures import Future, ProcessPoolExecutor

    from scorer.i18n import language

    window = 2 * jobs  # chunks in flight: every worker busy, one waiting for each
    with ProcessPoolExecutor(
        jobs, initializer=_start_worker, initargs=(rules.folder, language(), adjustments)
    ) as pool:
        pending: deque[Future[Any]] = deque()
        for chunk in _chunks(sources, CHUNK):
            pending.append(pool.submit(_score_chunk, chunk, shape))
            while len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
