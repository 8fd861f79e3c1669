"""`score batch`: many departments, one rule set, one summary; the library functions behind it.

- `score_many(sources, rules, jobs)`: each department's outcome, in input order (scorer/batch/stream.py);
- `jsonl_to_jsonl(lines_in, out, rules, jobs)`: JSON Lines of inputs in, JSON Lines of Contract-3 results out;
- `run_batch(paths, …)`: what the command does: expand the paths, score, gather the summary, append to the
  history database, stream the JSON Lines output, keep the results only when each department's 自评表 is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scorer.batch.adjust import Adjustments, with_review
from scorer.batch.aliases import Aliases
from scorer.batch.entries import Seen
from scorer.batch.rubrics import Rubrics
from scorer.batch.sources import Source, expand
from scorer.batch.stream import (
    Briefed,
    Other,
    Outcome,
    Refused,
    Scored,
    as_rubrics,
    score_briefs,
    score_lines,
    score_stream,
    worded,
)
from scorer.batch.summary import Previous, Summary, project_of
from scorer.engine.result import Result
from scorer.errors import Location, Problem
from scorer.immutable import let_go
from scorer.rules.model import RuleSet

if TYPE_CHECKING:
    from scorer.batch.history import Writer


def score_many(sources: Iterable[Source], rules: RuleSet, jobs: int = 1) -> Iterator[Outcome]:
    """Each source's outcome (`Scored` with its result, or `Refused` with its problems), in input order."""
    return score_stream(sources, rules, jobs)


def result_line(result: Result, lang: str) -> str:
    """One Contract-3 result as one line of JSON: the keys and values of `score run -f json`, in its order."""
    from scorer.render.json_result import as_line

    return as_line(result, lang) + "\n"


def jsonl_to_jsonl(
    lines: Iterable[str],
    out: TextIO,
    rules: RuleSet,
    jobs: int = 1,
    lang: str = "zh",
    display: str = "<stdin>",
) -> list[Refused]:
    """Score JSON Lines of inputs into JSON Lines of results (same order); the refused lines are returned."""
    sources = (
        Source(display, number, "json", text) for number, text in enumerate(lines, start=1) if text.strip()
    )
    refused = []
    for outcome in score_lines(sources, rules, jobs, lang):
        if isinstance(outcome, str):
            out.write(outcome)
        elif isinstance(outcome, Refused):  # a line is never some other file
            refused.append(outcome)
    return refused


@dataclass
class BatchRun:
    """What `run_batch` was asked to do besides the summary."""

    jobs: int = 1
    summarised: bool = True  # False: no output reads the summary's details (`Summary.detailed`)
    db: Path | None = None
    keep_results: bool = False  # each department's 自评表 in the workbook: the results are kept till the end
    on_result: Callable[[Result], None] | None = None  # a streaming output (JSON Lines)
    on_line: Callable[[str], None] | None = None  # each result's JSON line (with its newline), for JSON Lines
    on_outcome: Callable[[Outcome], None] | None = None  # progress
    given: dict[Path, str] = field(
        default_factory=dict
    )  # files given as another option → the option: no input
    adjustments: Adjustments | None = None  # the bureau's 复核调整 (scorer/batch/adjust.py)
    on_scored: Callable[[Scored], None] | None = None  # each department scored, as it comes (--return-to)
    on_refused: Callable[[str, tuple[Problem, ...]], None] | None = None
    empty: list[str] = field(default_factory=list)  # filled in: the folders and globs that named no input
    aliases: Aliases | None = None  # departments renamed or merged since last year (--aliases)


def run_batch(paths: list[Path], rules: RuleSet | Rubrics, lang: str, run: BatchRun | None = None) -> Summary:
    """The batch's summary; the departments of each other rubric a file named in its own `groups`."""
    run = run or BatchRun()
    rubrics = as_rubrics(rules)
    rules = rubrics.main
    summary = Summary(rules, lang, run.summarised)
    summary.kept = [] if run.keep_results else None
    writer = None
    if run.db is not None:
        from scorer.batch.history import Writer, connect

        writer = Writer(connect(run.db), lang)
        summary.last_year = summary.year - 1 if writer.holds_year(summary.year - 1) else None
    sources = expand(paths, rules, run.given, run.empty)
    seen = _Groups(summary, rubrics)  # each rubric's summary, and the departments and years read so far
    try:
        if (
            run.jobs > 1
            and writer is None
            and summary.kept is None
            and run.on_result is None
            and not run.on_scored
        ):
            # Workers send back what the summary takes and the JSON line, not the results.
            outcomes = score_briefs(
                sources, rubrics, run.jobs, lang, run.on_line is not None, run.adjustments, run.summarised
            )
            _briefly(outcomes, summary, run, seen, lang)
            let_go()
            return summary
        for outcome in score_stream(sources, rubrics, run.jobs, run.adjustments):
            if isinstance(outcome, Scored):
                result = outcome.result
                named = Named(result.department, result.year, project_of(result))
                outcome = _checked(outcome, named, seen, run) or outcome
            if isinstance(outcome, Scored):
                _take(outcome, seen.summary(outcome.rubric), run, writer, lang)
            elif isinstance(outcome, Other):
                summary.other(outcome.source.place, outcome.problems)
            else:
                of = seen.summary(outcome.rubric)
                summary.refuse(outcome.source.place, _naming_department(outcome), outcome.bug, of)
                if run.on_refused:
                    run.on_refused(outcome.source.place, summary.refusals[-1].problems)
            if run.on_outcome:
                run.on_outcome(outcome)
        if writer:
            writer.commit()
            _missing(summary, writer, run)
        let_go()  # what scoring kept to reuse, given back before the summaries are written
    except BaseException:
        if writer:
            writer.rollback()  # what was committed stays; the chunk being written goes
        raise
    finally:
        if writer:
            writer.close()
    return summary


def _take(outcome: Scored, summary: Summary, run: BatchRun, writer: Writer | None, lang: str) -> None:
    """A scored department into the summary, the history database and every output that wants it."""
    result, place = outcome.result, outcome.source.place
    previous, identity = _last_year(writer, result, run, summary) if writer else (None, "")
    found = worded(outcome.findings, lang)
    summary.add(result, place, previous, outcome.stated, identity, found, outcome.review)
    line = result_line(result, lang) if run.on_line else None  # written once, for both
    if writer:
        writer.add(result, place, line[:-1] if line else None)
    if run.on_result:
        run.on_result(result)
    if run.on_scored:
        run.on_scored(outcome)
    if run.on_line and line is not None:
        run.on_line(with_review(line, outcome.review))
    if summary.kept is not None:
        summary.kept.append(result)


def _last_year(
    writer: Writer, result: Result, run: BatchRun, summary: Summary
) -> tuple[Previous | None, str]:
    """The department's previous year (under its earlier name, when the alias file renames it) and how it
    stands against last year: 新增 (the database knows last year, and nothing of it), merged, renamed, or ""."""
    from scorer.i18n import t

    before = run.aliases.before(result.department) if run.aliases else []
    if len(before) > 1:  # two departments' totals are not one department's change
        return None, t("batch.identity.merged", summary.lang, names="、".join(before))
    previous = writer.previous(result, before)
    if previous is None:
        return None, t("batch.identity.new", summary.lang) if summary.last_year is not None else ""
    return previous, t("batch.identity.renamed", summary.lang, name=before[0]) if before else ""


def _missing(summary: Summary, writer: Writer, run: BatchRun) -> None:
    """Last year's departments this batch has not scored (本年缺报), renames and mergers followed. Read at the
    end, and the batch's departments kept as 8-byte digests (`Seen`), not as a set of names: a province's
    100,000 names held for this took some 15 MB more at the batch's peak."""
    from scorer.inputs.model import department_key

    if summary.last_year is None:
        return
    now = run.aliases.now if run.aliases else (lambda key: key)
    scored = Seen()
    for name in summary.entries.departments():
        scored.first(department_key(name), 0, 0)
    last = writer.names_of(summary.last_year)
    summary.missing = sorted(
        (name for name in last if not scored.holds(now(department_key(name)), 0)), key=department_key
    )


def _briefly(
    outcomes: Iterable[Briefed | Refused | Other],
    summary: Summary,
    run: BatchRun,
    seen: _Groups,
    lang: str,
) -> None:
    for outcome in outcomes:
        if isinstance(outcome, Briefed):
            place, got = outcome.source.place, outcome.brief
            named = Named(got.department, got.year, got.project)
            refused = _checked(outcome, named, seen, run)
            if refused is not None:
                summary.refuse(place, refused.problems, of=seen.summary(outcome.rubric))
            else:
                seen.summary(outcome.rubric).add_brief(outcome.brief, place)
                if run.on_line and outcome.line is not None:
                    run.on_line(outcome.line)
        elif isinstance(outcome, Other):
            summary.other(outcome.source.place, outcome.problems)
        else:
            of = seen.summary(outcome.rubric)
            summary.refuse(outcome.source.place, _naming_department(outcome), outcome.bug, of)
        if run.on_outcome:
            run.on_outcome(outcome)  # type: ignore[arg-type]


def _naming_department(outcome: Refused) -> tuple[Problem, ...]:
    """A refused row of a batch sheet names its department (the row's `department` cell) in each problem."""
    from msgspec.structs import replace

    from scorer.escape import one_line
    from scorer.facts import fact

    source = outcome.source
    name = source.payload[0].get("department") if source.kind == "row" else None
    if not isinstance(name, str) or not name.strip():
        return tuple(outcome.problems)
    name = one_line(name.strip())
    return tuple(
        replace(p, message=fact("batch.of_department", department=name, message=p.message))
        for p in outcome.problems
    )


class _Groups:
    """The summary of each rubric a batch scores against (the batch's own, and each other one a file named:
    ranked apart, since a project is not ranked against a department) and the departments each has seen."""

    def __init__(self, summary: Summary, rubrics: Rubrics):
        self.main = summary
        self.rubrics = rubrics
        self.seen: dict[str, Seen] = {}

    def summary(self, rubric: str) -> Summary:
        """The summary of the rubric in `rubric` (a folder; "" for the batch's own), made when first met."""
        if not rubric:
            return self.main
        group = self.main.groups.get(rubric)
        if group is None:
            group = self.main.groups[rubric] = Summary(
                self.rubrics.load(rubric), self.main.lang, self.main.detailed
            )
            group.kept = [] if self.main.kept is not None else None
        return group

    def first(self, rubric: str) -> Seen:
        return self.seen.setdefault(rubric, Seen())


@dataclass(frozen=True)
class Named:
    """Who a submission is of: its department (under a project rubric, the unit), year and project (None under
    a department's rubric; "" when a project's file names none)."""

    department: str
    year: int
    project: str | None = None

    def key(self) -> str:
        """One department (by `department_key`: `财政局` and `财政局\u3000` are one) and, under a project rubric,
        one of its projects (by the same key): two projects of one unit are two submissions."""
        from scorer.inputs.model import department_key

        unit = department_key(self.department)
        return unit if self.project is None else f"{unit}\x00{department_key(self.project)}"


def _checked(outcome: Scored | Briefed, named: Named, groups: _Groups, run: BatchRun) -> Refused | None:
    """The refusal of a submission the batch cannot take (a second copy, or a project where an option knows
    departments alone), or None."""
    from scorer.errors import Problem
    from scorer.facts import fact

    option = "--db" if run.db else "--aliases" if run.aliases else "--adjustments" if run.adjustments else ""
    if named.project is not None and option:  # each of them keys by the department: projects would merge
        source = outcome.source
        rubric = groups.summary(outcome.rubric).rubric
        message = fact("batch.projects_by_unit_only", option=option, rubric=rubric)
        return Refused(
            source, (Problem(Location(source.display, source.where), message),), rubric=outcome.rubric
        )
    first = _duplicate_of(named, groups, outcome.rubric)
    return None if first is None else _refuse_duplicate(outcome.source, named, first, outcome.rubric)


def _duplicate_of(named: Named, groups: _Groups, rubric: str) -> str | None:
    """Where the same submission (`Named.key`) and year was read before in this batch under the same rubric, or
    None (and it is noted: the next entry of that rubric's summary is this one)."""
    summary = groups.summary(rubric)
    key = named.key()
    position = groups.first(rubric).first(key, named.year, len(summary.entries))
    if position is None:
        return None
    first = summary.entries[position]
    if Named(first.department, first.year, first.project).key() != key or first.year != named.year:
        return None  # two names with one 8-byte digest: not the same submission (never seen in practice)
    return str(first.place)


def _refuse_duplicate(source: Source, named: Named, first: str, rubric: str) -> Refused:
    """A submission and year already scored in this batch: refused, so that neither the ranking counts it twice
    nor the history database keeps only whichever came last. Two files of one unit that both leave out their
    project's name cannot be told apart: each is asked to name its project."""
    from scorer.errors import Problem
    from scorer.facts import fact

    department, year = named.department, named.year
    if named.project is None:
        message = fact("batch.duplicate", department=department, year=year, first=first)
    elif named.project.strip():
        message = fact("batch.duplicate_project", department=department, project=named.project, year=year,
                       first=first)  # fmt: skip
    else:
        message = fact("batch.project_unnamed", department=department, year=year, first=first)
    return Refused(source, (Problem(Location(source.display, source.where), message),), rubric=rubric)
