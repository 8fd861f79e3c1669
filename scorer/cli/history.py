"""`score history`: the scores a results database holds.

The annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, LintFormat, _, _Command, app
from scorer.cli.errors import EXIT_USER, handled


@app.command(cls=_Command, help=_("cli.history"))
def history(
    department: Annotated[
        str | None,
        typer.Argument(help=_("cli.arg.history_department"), show_default=False, metavar="[DEPARTMENT]"),
    ] = None,
    db: Annotated[
        Path, typer.Option("--db", help=_("cli.opt.history_db"), dir_okay=False, metavar="FILE")
    ] = Path("results.sqlite"),
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.history_format"), metavar="text|json")
    ] = "text",
    lang: LangOption = None,
) -> None:
    from scorer.batch.report.history import history as run_history

    with handled():
        text, found = run_history(db, department, fmt, i18n.language())
        sys.stdout.write(text)
    if not found:
        raise typer.Exit(EXIT_USER)
