"""`score batch`: many departments at once.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated, Literal

import typer

from scorer.cli.app import LangOption, RulesOption, _, _Command, app
from scorer.cli.emit import terminal_width
from scorer.cli.errors import handled

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
    lang: LangOption = None,
) -> None:
    from scorer.batch.run import Command, batch_command

    with handled():
        command = Command(paths, rules, outputs or [], fmt, jobs, db, sheets, terminal_width())
        code = batch_command(command)
    if code:
        raise typer.Exit(code)
