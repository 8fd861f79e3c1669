"""`score accounts add|import|reset|disable|enable`: the web workplace's accounts, set up from the command line. The annotations are
evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated, Literal

import typer

from scorer.cli.app import LangOption, _, _Command, _Group, app
from scorer.cli.errors import handled
from scorer.cli.serve import DatabaseUrlOption, DataOption

NewDepartmentOption = Annotated[bool, typer.Option("--new-department", help=_("cli.opt.new_department"))]

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
    new_department: NewDepartmentOption = False,
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import add_one

    with handled():
        add_one(role, login, department, password_stdin, data, database_url, new_department)


@accounts.command("import", cls=_Command, help=_("cli.accounts.import"))
def import_(
    roster: Annotated[Path, typer.Argument(help=_("cli.arg.roster"), show_default=False, metavar="LIST")],
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("cli.opt.roster_output"), dir_okay=False, metavar="FILE"),
    ] = None,
    new_department: NewDepartmentOption = False,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import import_accounts

    with handled():
        import_accounts(roster, data, database_url, output, new_department)


LoginArgument = Annotated[str, typer.Argument(help=_("cli.arg.login"), show_default=False, metavar="LOGIN")]


@accounts.command("reset", cls=_Command, help=_("cli.accounts.reset"))
def reset(
    login: LoginArgument,
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import change_account

    with handled():
        change_account("reset", login, data, database_url)


@accounts.command("disable", cls=_Command, help=_("cli.accounts.disable"))
def disable(
    login: LoginArgument,
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import change_account

    with handled():
        change_account("disable", login, data, database_url)


@accounts.command("enable", cls=_Command, help=_("cli.accounts.enable"))
def enable(
    login: LoginArgument,
    data: DataOption = Path("score-data"),
    database_url: DatabaseUrlOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import change_account

    with handled():
        change_account("enable", login, data, database_url)
