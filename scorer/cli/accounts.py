"""`score accounts add|import`: the web workplace's accounts, set up from the command line. The annotations are
evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated, Literal

import typer

from scorer.cli.app import LangOption, _, _Command, _Group, app
from scorer.cli.errors import handled
from scorer.cli.serve import DatabaseUrlOption, DataOption

accounts = typer.Typer(cls=_Group, help=_("cli.accounts"), no_args_is_help=True)
app.add_typer(accounts, name="accounts")


@accounts.command("add", cls=_Command, help=_("cli.accounts.add"))
def add(
    role: Annotated[
        Literal["bureau", "department"],
        typer.Option("--role", help=_("cli.opt.role"), metavar="bureau|department"),
    ],
    login: Annotated[str, typer.Option("--login", help=_("cli.opt.login"), metavar="LOGIN")],
    department: Annotated[
        str | None, typer.Option("--department", help=_("cli.opt.department"), metavar="NAME")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=_("cli.opt.password_stdin"))
    ] = False,
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import add_one

    with handled():
        add_one(role, login, department, password_stdin, data, database_url)


@accounts.command("import", cls=_Command, help=_("cli.accounts.import"))
def import_(
    roster: Annotated[Path, typer.Argument(help=_("cli.arg.roster"), show_default=False, metavar="LIST")],
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("cli.opt.roster_output"), dir_okay=False, metavar="FILE"),
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import import_accounts

    with handled():
        import_accounts(roster, data, database_url, output)
