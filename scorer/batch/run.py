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

from scorer.batch.sources import Source, expand
from scorer.batch.stream import Briefed, Outcome, Refused, Scored, score_briefs, score_lines, score_stream
from scorer.batch.summary import Summary
from scorer.engine.result import Result
from scorer.errors import Location, Problem, UserError
from scorer.rules.model import RuleSet

if TYPE_CHECKING:
    from scorer.sources.file_plan import FilePlan


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
        else:
            refused.append(outcome)
    return refused


@dataclass
class BatchRun:
    """What `run_batch` was asked to do besides the summary."""

    jobs: int = 1
    db: Path | None = None
    keep_results: bool = False  # each department's 自评表 in the workbook: the results are kept till the end
    on_result: Callable[[Result], None] | None = None  # a streaming output (JSON Lines)
    on_line: Callable[[str], None] | None = None  # each result's JSON line (with its newline), for JSON Lines
    on_outcome: Callable[[Outcome], None] | None = None  # progress
    skip: list[Path] = field(default_factory=list)  # files never read as inputs (the outputs)
    empty: list[str] = field(default_factory=list)  # filled in: the folders and globs that named no input


def run_batch(paths: list[Path], rules: RuleSet, lang: str, run: BatchRun | None = None) -> Summary:
    run = run or BatchRun()
    summary = Summary(rules, lang)
    summary.kept = [] if run.keep_results else None
    writer = None
    if run.db is not None:
        from scorer.batch.history import Writer, connect

        writer = Writer(connect(run.db), lang)
    sources = expand(paths, rules, run.skip, run.empty)
    seen: dict[tuple[str, int], str] = {}  # (department, year) → where it was first read
    try:
        if run.jobs > 1 and writer is None and summary.kept is None and run.on_result is None:
            # Workers send back what the summary takes and the JSON line, not the results.
            outcomes = score_briefs(sources, rules, run.jobs, lang, run.on_line is not None)
            _briefly(outcomes, summary, run, seen, lang)
            return summary
        for outcome in score_stream(sources, rules, run.jobs):
            if isinstance(outcome, Scored):
                result = outcome.result
                first = _duplicate_of(result.department, result.year, outcome.source.place, seen)
                if first is not None:
                    outcome = _refuse_duplicate(outcome.source, result.department, result.year, first, lang)
            if isinstance(outcome, Scored):
                result, place = outcome.result, outcome.source.place
                previous = writer.previous(result) if writer else None
                summary.add(result, place, previous)
                if writer:
                    writer.add(result, place)
                if run.on_result:
                    run.on_result(result)
                if run.on_line:
                    run.on_line(result_line(result, lang))
                if summary.kept is not None:
                    summary.kept.append(result)
            else:
                summary.refuse(outcome.source.place, _naming_department(outcome, lang), outcome.bug)
            if run.on_outcome:
                run.on_outcome(outcome)
        if writer:
            writer.commit()
    except BaseException:
        if writer:
            writer.rollback()  # what was committed stays; the chunk being written goes
        raise
    finally:
        if writer:
            writer.close()
    return summary


def _briefly(
    outcomes: Iterable[Briefed | Refused],
    summary: Summary,
    run: BatchRun,
    seen: dict[tuple[str, int], str],
    lang: str,
) -> None:
    for outcome in outcomes:
        if isinstance(outcome, Briefed):
            place, department, year = outcome.source.place, outcome.brief.department, outcome.brief.year
            first = _duplicate_of(department, year, place, seen)
            if first is not None:
                duplicate = _refuse_duplicate(outcome.source, department, year, first, lang)
                summary.refuse(place, duplicate.problems)
            else:
                summary.add_brief(outcome.brief, place)
                if run.on_line and outcome.line is not None:
                    run.on_line(outcome.line)
        else:
            summary.refuse(outcome.source.place, _naming_department(outcome, lang), outcome.bug)
        if run.on_outcome:
            run.on_outcome(outcome)  # type: ignore[arg-type]


def _naming_department(outcome: Refused, lang: str) -> tuple[Problem, ...]:
    """A refused row of a batch sheet names its department (the row's `department` cell) in each problem."""
    from dataclasses import replace

    from scorer.escape import one_line
    from scorer.i18n import t

    source = outcome.source
    name = source.payload[0].get("department") if source.kind == "row" else None
    if not isinstance(name, str) or not name.strip():
        return tuple(outcome.problems)
    name = one_line(name.strip())
    return tuple(
        replace(p, message=t("batch.of_department", lang, department=name, message=p.message))
        for p in outcome.problems
    )


def _duplicate_of(department: str, year: int, place: str, seen: dict[tuple[str, int], str]) -> str | None:
    """Where the same department (by `department_key`: `财政局` and `财政局\u3000` are one) and year was read
    before in this batch, or None (and it is noted)."""
    from scorer.inputs.model import department_key

    key = (department_key(department), year)
    first = seen.get(key)
    if first is None:
        seen[key] = place
    return first


def _refuse_duplicate(source: Source, department: str, year: int, first: str, lang: str) -> Refused:
    """A department and year already scored in this batch: refused, so that neither the ranking counts it twice
    nor the history database keeps only whichever came last."""
    from scorer.errors import Problem
    from scorer.i18n import t

    message = t("batch.duplicate", lang, department=department, year=year, first=first)
    return Refused(source, (Problem(Location(source.display, source.where), message),))


# ---- the command: outputs, progress, messages ----


@dataclass
class Command:
    """`score batch` as typed: what to read, which rules, where to write."""

    paths: list[Path]
    rules: str | None = None
    outputs: list[Path] = field(default_factory=list)
    fmt: str | None = None
    jobs: int = 1
    db: Path | None = None
    sheets: bool = False
    width: int = 160


def batch_command(command: Command) -> int:
    """Score, write every output, list the refused departments on stderr; the exit code: 0, or 1 when any
    department was refused (3 when the engine failed on one)."""
    import os
    import sys
    from importlib import import_module

    from scorer.batch.report import SUMMARIES
    from scorer.escape import one_line
    from scorer.i18n import language, t
    from scorer.inputs.choose import latest_year
    from scorer.render import Renderer, by_name, for_output
    from scorer.render.options import RenderOptions
    from scorer.rules.read import load_rules
    from scorer.sources.output import AtomicWriter, write_atomic

    lang = language()
    _check_paths(command.paths)
    files = file_plan(command)
    files.check()
    rules = load_rules(latest_year(command.rules))
    targets: list[tuple[Path | None, Renderer]] = []
    single = command.fmt if len(command.outputs) <= 1 else None
    for path in command.outputs:
        if str(path) == "-":
            targets.append((None, by_name(single or "table", SUMMARIES)))
            continue
        targets.append((path, for_output(path, single, SUMMARIES)))
    if not targets:
        targets.append((None, by_name(single or "table", SUMMARIES)))
    for target, renderer in targets:
        if target is None and renderer.binary:
            raise UserError.at(Location("-"), t("cli.binary_needs_file", format=renderer.name))
    streams: list[AtomicWriter | TextIO] = []
    for target, renderer in targets:
        if renderer.name == "jsonl":
            streams.append(AtomicWriter(target, files) if target is not None else sys.stdout)  # type: ignore[arg-type]

    def on_line(line: str) -> None:
        for stream in streams:
            stream.write(line)

    progress = _progress()
    run = BatchRun(
        jobs=command.jobs if command.jobs > 0 else (os.cpu_count() or 1),
        db=command.db,
        keep_results=command.sheets,
        on_line=on_line if streams else None,
        on_outcome=progress.advance if progress else None,
        skip=[*command.outputs, *([command.db] if command.db else [])],
    )
    try:
        summary = run_batch(command.paths, rules, lang, run)
    except BaseException:
        for stream in streams:
            if isinstance(stream, AtomicWriter):
                stream.discard()
        raise
    finally:
        if progress:
            progress.stop()
    for named in run.empty:
        sys.stderr.write(t("batch.warning", message=t("batch.nothing_in", path=named)) + "\n")
    if not summary.entries and not summary.refusals:
        for stream in streams:
            if isinstance(stream, AtomicWriter):
                stream.discard()
        raise UserError.at(Location(""), t("batch.no_inputs"))
    for stream in streams:
        if isinstance(stream, AtomicWriter):
            stream.finish()
            sys.stderr.write(t("cli.wrote", path=one_line(str(stream.path))) + "\n")
    width = command.width if not command.outputs else 160
    for target, renderer in targets:
        if renderer.name == "jsonl":
            continue
        options = RenderOptions(lang, width=width, to_stream=target is None)
        content: str | bytes = import_module(renderer.module).render(summary, options)
        if target is None:
            sys.stdout.write(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
            sys.stdout.flush()
        else:
            write_atomic(target, content, files)
            sys.stderr.write(t("cli.wrote", path=one_line(str(target))) + "\n")
    return max(_report_refusals(summary), 1 if run.empty else 0)


def file_plan(command: Command) -> FilePlan:
    """What `score batch` reads (every file its PATHS name) and writes (each -o, and the history database, which
    it also reads), checked before any department is read (scorer/sources/file_plan.py)."""
    from scorer.batch.sources import files_named, gathered
    from scorer.inputs.choose import latest_year
    from scorer.rules.read import resolve_rules
    from scorer.sources.file_plan import FilePlan

    plan = FilePlan(rules=[resolve_rules(latest_year(command.rules))])
    for path in command.paths:
        plan.inputs += files_named(path)
        if (where := gathered(path)) is not None:
            plan.gathered.append(where)
    for output in command.outputs:
        plan.write(output)
    return plan.write(command.db, "--db")


def _check_paths(paths: list[Path]) -> None:
    """A file or folder named on the command line that does not exist is a slip in the command, said before any
    work, not a refused department."""
    from scorer.batch.sources import is_pattern
    from scorer.i18n import t
    from scorer.sources.yaml import display_path

    missing = [path for path in paths if not path.exists() and not is_pattern(path)]
    if missing:
        raise UserError([Problem(Location(display_path(p)), t("batch.path_not_found")) for p in missing])


def _report_refusals(summary: Summary) -> int:
    import sys

    from scorer.batch.report.common import refusal_lines
    from scorer.i18n import t

    if not summary.refusals:
        return 0
    for line in refusal_lines(summary):
        sys.stderr.write(line + "\n")
    sys.stderr.write(
        t("batch.refused_count", count=len(summary.refusals), scored=len(summary.entries)) + "\n"
    )
    return 3 if summary.bugs else 1


class _Progress:
    """A progress line on stderr while a batch runs, when stderr is a terminal (rich, imported only then)."""

    def __init__(self) -> None:
        import sys

        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from scorer.i18n import t

        console = Console(file=sys.__stderr__, stderr=True)
        self.bar = Progress(
            TextColumn(t("batch.progress")), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[refused]}"),
            TimeElapsedColumn(), console=console, transient=True,
        )  # fmt: skip
        self.task = self.bar.add_task("batch", total=None, refused="")
        self.refused = 0
        self.bar.start()

    def advance(self, outcome: Outcome) -> None:
        from scorer.i18n import t

        if isinstance(outcome, Refused):
            self.refused += 1
        refused = t("batch.progress_refused", count=self.refused) if self.refused else ""
        self.bar.update(self.task, advance=1, refused=refused)

    def stop(self) -> None:
        self.bar.stop()


def _progress() -> _Progress | None:
    import os
    import sys

    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        return None
    return _Progress()
