"""`score batch`: many departments at once.

The annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from scorer import i18n
from scorer.cli.app import LangOption, RulesOption, _, _Command, app
from scorer.cli.emit import terminal_width
from scorer.cli.errors import handled, problem_lines
from scorer.escape import one_line
from scorer.i18n import t

if TYPE_CHECKING:  # imported when a batch runs, not at every start
    from collections.abc import Callable

    from scorer.batch.outputs import Command
    from scorer.batch.stream import Outcome
    from scorer.batch.summary import Summary

BatchFormat = Literal["table", "csv", "xlsx", "jsonl", "html"]


@app.command(cls=_Command, help=_("cli.batch"))
def batch(
    paths: Annotated[
        list[Path], typer.Argument(help=_("cli.arg.batch_paths"), show_default=False, metavar="PATHS...")
    ],
    rules: RulesOption = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help=_("cli.opt.batch_output"), dir_okay=False, metavar="FILE"),
    ] = None,
    fmt: Annotated[
        BatchFormat | None,
        typer.Option("--format", "-f", help=_("cli.opt.batch_format"), metavar="table|csv|xlsx|jsonl|html"),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=_("cli.opt.jobs"), min=0, metavar="N")] = 1,
    db: Annotated[
        Path | None, typer.Option("--db", help=_("cli.opt.db"), dir_okay=False, metavar="FILE")
    ] = None,
    sheets: Annotated[bool, typer.Option("--sheets", help=_("cli.opt.sheets"))] = False,
    aliases: Annotated[
        Path | None, typer.Option("--aliases", help=_("cli.opt.aliases"), dir_okay=False, metavar="FILE")
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help=_("cli.opt.unit"), metavar="NAME")] = "",
    adjustments: Annotated[
        Path | None,
        typer.Option("--adjustments", help=_("cli.opt.adjustments"), dir_okay=False, metavar="FILE"),
    ] = None,
    return_to: Annotated[
        Path | None, typer.Option("--return-to", help=_("cli.opt.return_to"), metavar="FOLDER|FILE.zip")
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.batch.outputs import Command

    with handled():
        command = Command(
            paths, rules, outputs or [], fmt, jobs, db, sheets, terminal_width(), aliases, unit, adjustments,
            return_to,
        )  # fmt: skip
        code = _batch(command)
    if code:
        raise typer.Exit(code)


def _batch(command: "Command") -> int:
    """Score, write every output, list the refused departments on stderr; the exit code: 0, or 1 when any
    department was refused (3 when the engine failed on one)."""
    from scorer.batch.outputs import (
        expected,
        finish_streams,
        plan_outputs,
        score_all,
        unmatched,
        write_summaries,
    )

    lang = i18n.language()
    outputs = plan_outputs(command, sys.stdout)
    progress = _progress(lambda: expected(outputs))
    try:
        summary, run = score_all(command, outputs, lang, progress.advance if progress else None)
    finally:
        if progress:
            progress.stop()
    for named in run.empty:
        sys.stderr.write(t("batch.warning", message=t("batch.nothing_in", path=named)) + "\n")
    for path in finish_streams(summary, outputs):
        _wrote(path)
    write_summaries(summary, command, outputs, lang, sys.stdout, _wrote)
    unused = unmatched(summary, outputs)
    if unused:
        sys.stderr.write(problem_lines(unused) + "\n")
    return max(_report_refusals(summary), 1 if run.empty or unused else 0)


def _wrote(path: Path) -> None:
    sys.stderr.write(t("cli.wrote", path=one_line(str(path))) + "\n")


def _report_refusals(summary: "Summary") -> int:
    from scorer.batch.report.common import counted, other_lines, refusal_lines

    others = (problem for other in summary.others for problem in other.problems)
    for line in other_lines(others, summary.lang):  # never passed over in silence; no fault of a department's
        sys.stderr.write(line + "\n")
    if summary.others:
        sys.stderr.write(t("batch.others_count", count=len(summary.others)) + "\n")
    if not summary.refusals:
        return 0
    for line in refusal_lines(summary):
        sys.stderr.write(line + "\n")
    sys.stderr.write(
        counted(summary, "batch.refused_count", count=len(summary.refusals), scored=summary.scored) + "\n"
    )
    return 3 if summary.bugs else 1


class _Progress:
    """A progress line on stderr while a batch runs, when stderr is a terminal (rich, imported only then)."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=sys.__stderr__, stderr=True)
        self.bar = Progress(
            TextColumn(t("batch.progress")), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[refused]}"),
            TimeElapsedColumn(), console=console, transient=True,
        )  # fmt: skip
        self.task = self.bar.add_task("batch", total=total, refused="")
        self.refused = 0
        self.bar.start()

    def advance(self, outcome: "Outcome") -> None:
        from scorer.batch.stream import Refused

        if isinstance(outcome, Refused):
            self.refused += 1
        refused = t("batch.progress_refused", count=self.refused) if self.refused else ""
        self.bar.update(self.task, advance=1, refused=refused)

    def stop(self) -> None:
        self.bar.stop()


def _progress(total: "Callable[[], int]") -> _Progress | None:
    """The progress display, knowing how many departments there are (counted only when it is shown)."""
    import os

    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        return None
    return _Progress(total())
