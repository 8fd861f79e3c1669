"""`score rules list|new`: the rubrics there are, and a new year's (or region's) as an extension of one. The
annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, LintFormat, _, _Command, _Group, app
from scorer.cli.errors import handled

rules = typer.Typer(cls=_Group, help=_("cli.rules"), no_args_is_help=True)
app.add_typer(rules, name="rules")


@rules.command("list", cls=_Command, help=_("cli.rules.list"))
def list_(
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.rules_format"), metavar="text|json")
    ] = "text",
    lang: LangOption = None,
) -> None:
    from scorer.maintain.rubrics import list_rubrics, render_list

    with handled():
        sys.stdout.write(render_list(list_rubrics(), fmt, i18n.language()))


@rules.command("new", cls=_Command, help=_("cli.rules.new"))
def new(
    name: Annotated[str, typer.Argument(help=_("cli.arg.rubric_new"), show_default=False, metavar="ID/YEAR")],
    source: Annotated[
        str, typer.Option("--from", help=_("cli.opt.rubric_from"), show_default=False, metavar="ID/YEAR")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("cli.opt.rubric_folder"), file_okay=False, metavar="FOLDER"),
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.escape import one_line
    from scorer.i18n import t
    from scorer.maintain.rubrics import new_rubric

    with handled():
        folder = new_rubric(name, source, output)
        sys.stderr.write(t("rubrics.written", path=one_line(str(folder)), name=name) + "\n")
