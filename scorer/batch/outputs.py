"""`score batch` as typed, and where its results go: the files it may read and write checked before any work,
each summary's format, the JSON Lines streamed as departments are scored, every output written whole or not at
all. What the command line says meanwhile (progress, each file written, the refused departments) it says
through the callbacks it hands in (scorer/cli/batch.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from msgspec.structs import replace

from scorer.batch.run import BatchRun, run_batch
from scorer.batch.stream import Outcome
from scorer.batch.summary import Summary
from scorer.errors import Location, Problem, UserError
from scorer.facts import fact
from scorer.i18n import language as i18n_language
from scorer.rules.model import RuleSet

if TYPE_CHECKING:
    from scorer.batch.adjust import Adjustments
    from scorer.batch.returns import Returns
    from scorer.render import Renderer
    from scorer.render.options import RenderOptions
    from scorer.sources.file_plan import FilePlan
    from scorer.sources.output import AtomicWriter


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
    aliases: Path | None = None  # departments renamed or merged since last year
    unit: str = ""  # who circulates the summary: in the title of the workbook and the brief
    adjustments: Path | None = None  # the bureau's 复核调整 (scorer/batch/adjust.py)
    return_to: Path | None = None  # a new folder or a .zip: each department's workbook to send back


@dataclass
class Outputs:
    """Where a batch's results go: the checked plan of its files, the rules, each summary's file (None: the
    screen) and renderer, and the JSON Lines streams."""

    files: FilePlan
    rules: RuleSet
    targets: list[tuple[Path | None, Renderer]]
    streams: list[AtomicWriter | TextIO] = field(default_factory=list)
    adjustments: Adjustments | None = None
    returns: Returns | None = None
    aside: int = 0  # the files read that are no departments (--aliases, --adjustments)

    def discard(self) -> None:
        from scorer.sources.output import AtomicWriter

        if self.returns is not None:
            self.returns.discard()
        for stream in self.streams:
            if isinstance(stream, AtomicWriter):
                stream.discard()


def plan_outputs(command: Command, stdout: TextIO) -> Outputs:
    """Every path checked and every output chosen before any department is read."""
    from scorer.inputs.choose import latest_year
    from scorer.rules.read import load_rules
    from scorer.sources.output import AtomicWriter

    check_paths(command.paths)
    files = file_plan(command)
    files.check()
    rules = load_rules(latest_year(command.rules))
    if (
        command.rules is None
    ):  # the latest year taken by default: a later department's year is not scored under it
        rules = replace(rules, later_years=False)
    outputs = Outputs(files, rules, _summary_targets(command))
    outputs.aside = len([*_given(command.aliases), *_given(command.adjustments)])
    if command.adjustments is not None:
        from scorer.batch.adjust import read_adjustments

        outputs.adjustments = read_adjustments(command.adjustments, outputs.rules)
    if command.return_to is not None:
        from scorer.batch.returns import Returns

        outputs.returns = Returns(command.return_to, files, i18n_language())
    for target, renderer in outputs.targets:
        if target is None and renderer.binary:
            raise UserError.at(Location("-"), fact("cli.binary_needs_file", format=renderer.name))
        if renderer.name == "pdf":  # said before any work, not after the batch
            from scorer.batch.report.brief_pdf import missing

            if (why := missing()) is not None:
                raise UserError.at(Location(str(target)), why)
    for target, renderer in outputs.targets:
        if renderer.name == "jsonl":
            outputs.streams.append(AtomicWriter(target, files) if target is not None else stdout)
    return outputs


def _summary_targets(command: Command) -> list[tuple[Path | None, Renderer]]:
    """Each -o with the format its name (or -f) asks; the screen's table where no -o is given."""
    from scorer.batch.report import SUMMARIES
    from scorer.render import by_name, for_output

    targets: list[tuple[Path | None, Renderer]] = []
    single = command.fmt if len(command.outputs) <= 1 else None
    for path in command.outputs:
        if str(path) == "-":
            targets.append((None, by_name(single or "table", SUMMARIES)))
            continue
        targets.append((path, for_output(path, single, SUMMARIES)))
    if not targets:
        targets.append((None, by_name(single or "table", SUMMARIES)))
    return targets


def score_all(
    command: Command, outputs: Outputs, lang: str, on_outcome: Callable[[Outcome], None] | None
) -> tuple[Summary, BatchRun]:
    """Score every department, streaming the JSON Lines as they come; nothing half-written stays on a failure."""
    from scorer.batch.aliases import read_aliases
    from scorer.batch.rubrics import Rubrics

    def on_line(line: str) -> None:
        for stream in outputs.streams:
            stream.write(line)

    run = BatchRun(
        jobs=command.jobs if command.jobs > 0 else (os.cpu_count() or 1),
        summarised=any(renderer.name != "jsonl" for _, renderer in outputs.targets),
        db=command.db,
        keep_results=command.sheets,
        on_line=on_line if outputs.streams else None,
        on_outcome=on_outcome,
        given=given_files(command),
        aliases=read_aliases(command.aliases) if command.aliases is not None else None,
        adjustments=outputs.adjustments,
        on_scored=outputs.returns.scored if outputs.returns else None,
        on_refused=outputs.returns.refused if outputs.returns else None,
    )
    try:
        rubrics = Rubrics(outputs.rules, forced=command.rules is not None)  # else each file's own rubric
        return run_batch(command.paths, rules=rubrics, lang=lang, run=run), run
    except BaseException:
        outputs.discard()
        raise


def expected(outputs: Outputs) -> int:
    """How many departments the batch will read, for the progress display: one a file, one a line of JSON Lines,
    one a row of a CSV sheet after its two heading rows (counted in bytes, without reading them as inputs)."""
    count = 0
    for path in outputs.files.inputs:
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".csv"):
            try:
                with path.open("rb") as handle:
                    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                lines = 1
            count += max(1, lines - 2) if suffix == ".csv" else max(1, lines)
        else:
            count += 1
    return count - outputs.aside  # the bureau's own files are no departments


def given_files(command: Command) -> dict[Path, str]:
    """Each file given to `score batch` as an option (an output, the database, the alias file, the bureau's
    adjustments) with its option: never also read as a submission, though it lies in a folder of PATHS."""
    options = [("--aliases", command.aliases), ("--adjustments", command.adjustments), ("--db", command.db),
               ("--return-to", command.return_to), *(("-o", output) for output in command.outputs)]  # fmt: skip
    return {path: option for option, path in options if path is not None and str(path) != "-"}


def _given(path: Path | None) -> list[Path]:
    return [path] if path is not None else []


def unmatched(summary: Summary, outputs: Outputs) -> list[Problem]:
    """The bureau's adjustments of departments this batch never scored."""
    from scorer.inputs.model import department_key

    if outputs.adjustments is None:
        return []
    return outputs.adjustments.unmatched({department_key(entry.department) for entry in summary.entries})


def finish_streams(summary: Summary, outputs: Outputs) -> list[Path]:
    """The JSON Lines files put in place, once there was something to score; the paths written."""
    from scorer.sources.output import AtomicWriter

    if not summary.scored and not summary.refusals:
        outputs.discard()
        raise UserError.at(Location(""), fact("batch.no_inputs"))
    written = []
    if outputs.returns is not None:
        outputs.returns.finish()
        written.append(outputs.returns.target)
    for stream in outputs.streams:
        if isinstance(stream, AtomicWriter):
            stream.finish()
            written.append(stream.path)
    return written


def write_summaries(
    summary: Summary,
    command: Command,
    outputs: Outputs,
    lang: str,
    stdout: TextIO,
    wrote: Callable[[Path], None],
) -> None:
    """Each summary in its format: on the screen, or to its file (then `wrote` is told). A format that makes
    its document a piece at a time (`pieces`: text; `write_to`: a workbook into the file it is handed) is
    written as it is made, so that memory stays flat in the number of departments; the others whole."""
    from importlib import import_module

    from scorer.render.options import RenderOptions
    from scorer.sources.output import write_atomic, write_streamed

    width = command.width if not command.outputs else 160
    summary.unit = command.unit
    for target, renderer in outputs.targets:
        if renderer.name == "jsonl":
            continue
        options = RenderOptions(lang, width=width, to_stream=target is None)
        module = import_module(renderer.module)
        if hasattr(module, "pieces") and target is None:
            for piece in module.pieces(summary, options):
                stdout.write(piece)
            stdout.flush()
            continue
        if hasattr(module, "pieces") or hasattr(module, "write_to"):
            assert target is not None  # a workbook is never printed (refused before any work)
            write_streamed(target, _filler(module, summary, options), outputs.files)
            wrote(target)
            continue
        content: str | bytes = module.render(summary, options)
        if target is None:
            stdout.write(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
            stdout.flush()
        else:
            write_atomic(target, content, outputs.files)
            wrote(target)


def _filler(module: Any, summary: Summary, options: RenderOptions) -> Callable[[BinaryIO], object]:
    """What writes one summary into its (temporary) file: its pieces as UTF-8, or the workbook itself."""
    if hasattr(module, "write_to"):
        return lambda out: module.write_to(summary, options, out)

    def fill(out: BinaryIO) -> None:
        for piece in module.pieces(summary, options):
            out.write(piece.encode("utf-8"))

    return fill


def file_plan(command: Command) -> FilePlan:
    """What `score batch` reads (every file its PATHS name) and writes (each -o, and the history database, which
    it also reads), checked before any department is read (scorer/sources/file_plan.py)."""
    from scorer.batch.sources import files_named, gathered
    from scorer.inputs.choose import latest_year
    from scorer.rules.read import resolve_rules
    from scorer.sources.file_plan import FilePlan

    plan = FilePlan(rules=[resolve_rules(latest_year(command.rules))])
    if command.rules is None and Path("rules").is_dir():  # a file may name a rubric of the working folder's
        plan.rules.append(Path("rules"))
    plan.inputs += [command.aliases] if command.aliases is not None else []
    for path in command.paths:
        plan.inputs += files_named(path)
        if (where := gathered(path)) is not None:
            plan.gathered.append(where)
    plan.inputs += _given(command.adjustments)
    for output in command.outputs:
        plan.write(output)
    if command.return_to is not None and command.return_to.suffix.lower() == ".zip":
        plan.write(command.return_to, "--return-to")
    elif command.return_to is not None:
        plan.write_folder(command.return_to, "--return-to")
    return plan.write(command.db, "--db")


def check_paths(paths: list[Path]) -> None:
    """A file or folder named on the command line that does not exist is a slip in the command, said before any
    work, not a refused department."""
    from scorer.batch.sources import is_pattern
    from scorer.sources.yaml import display_path

    missing = [path for path in paths if not path.exists() and not is_pattern(path)]
    if missing:
        raise UserError([Problem(Location(display_path(p)), fact("batch.path_not_found")) for p in missing])
