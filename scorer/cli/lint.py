"""`score lint`: check rule folders.

The annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, LintFormat, _, _Command, app
from scorer.cli.errors import EXIT_USER, handled


@app.command(cls=_Command, help=_("cli.lint"))
def lint(
    rules: Annotated[
        list[str] | None, typer.Argument(help=_("cli.arg.lint_rules"), metavar="[RULES]...")
    ] = None,
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.lint_format"), metavar="text|json")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help=_("cli.opt.strict"))] = False,
    lang: LangOption = None,
) -> None:
    from scorer.maintain.lint import lint as run_lint
    from scorer.maintain.report import render_lint

    with handled():
        report = run_lint(rules or [])
        sys.stdout.write(render_lint(report, fmt, i18n.language()))
        if report.failed(strict):
            raise typer.Exit(EXIT_USER)
