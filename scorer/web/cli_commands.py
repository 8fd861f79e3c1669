"""`score serve` and `score accounts add|import`: the typer functions, registered by `cli.py` (`register`).

Importing this module costs nothing at the start of other commands: Django, waitress and the web app are
imported when one of these commands runs. The annotations are evaluated where they are written (typer reads the
parameters from them), as in cli.py.
"""

import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Literal

import typer

from scorer.i18n import t
from scorer.model.problems import Location, UserError

Role = Literal["bureau", "department"]
Handled = Callable[[], AbstractContextManager[None]]


def _site(data: Path, database_url: str | None) -> object:
    from scorer.web.config import Site, prepare

    site = Site.from_environment(data, database_url)
    prepare(site)
    return site


def register(
    app: typer.Typer,
    command: type,
    group: type,
    handled: Handled,
    _: Callable[[str], str],
    lang_option: object,
) -> None:
    """Add `serve` and the `accounts` group to the `score` app, with help texts in the chosen language; every
    command takes `--lang` (`lang_option`, cli.py's) like the others."""
    data_option = Annotated[
        Path, typer.Option("--data", help=_("cli.opt.web_data"), file_okay=False, metavar="DIR")
    ]
    url_option = Annotated[
        str | None,
        typer.Option(
            "--database-url", help=_("cli.opt.database_url"), envvar="SCORE_DATABASE_URL", metavar="URL"
        ),
    ]

    @app.command(cls=command, help=_("cli.serve"))
    def serve(
        data: data_option = Path("score-data"),
        host: Annotated[str, typer.Option("--host", help=_("cli.opt.host"), metavar="HOST")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help=_("cli.opt.port"), min=0, max=65535)] = 8000,
        database_url: url_option = None,
        threads: Annotated[int, typer.Option("--threads", help=_("cli.opt.threads"), min=1, max=64)] = 8,
        lang: lang_option = None,  # type: ignore[valid-type]
    ) -> None:
        with handled():
            _serve(data, host, port, database_url, threads)

    accounts = typer.Typer(cls=group, help=_("cli.accounts"), no_args_is_help=True)
    app.add_typer(accounts, name="accounts")

    @accounts.command("add", cls=command, help=_("cli.accounts.add"))
    def add(
        role: Annotated[Role, typer.Option("--role", help=_("cli.opt.role"), metavar="bureau|department")],
        login: Annotated[str, typer.Option("--login", help=_("cli.opt.login"), metavar="LOGIN")],
        department: Annotated[
            str | None, typer.Option("--department", help=_("cli.opt.department"), metavar="NAME")
        ] = None,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help=_("cli.opt.password_stdin"))
        ] = False,
        data: data_option = Path("score-data"),
        database_url: url_option = None,
        lang: lang_option = None,  # type: ignore[valid-type]
    ) -> None:
        with handled():
            password = _password_from_stdin() if password_stdin else None
            _site(data, database_url)
            from scorer.web.accounts import add_account

            made = add_account(role, login, password, department)
            sys.stdout.write(_made_lines([made]))

    @accounts.command("import", cls=command, help=_("cli.accounts.import"))
    def import_(
        roster: Annotated[Path, typer.Argument(help=_("cli.arg.roster"), show_default=False, metavar="LIST")],
        data: data_option = Path("score-data"),
        database_url: url_option = None,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help=_("cli.opt.roster_output"), dir_okay=False, metavar="FILE"),
        ] = None,
        lang: lang_option = None,  # type: ignore[valid-type]
    ) -> None:
        with handled():
            _import(roster, data, database_url, output)


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise UserError.at(Location("--password-stdin"), t("web.account.empty_password"))
    return password


def _import(roster: Path, data: Path, database_url: str | None, output: Path | None) -> None:
    from scorer.file_plan import FilePlan
    from scorer.load.yamlio import display_path
    from scorer.web.roster import read_roster

    plan = FilePlan(inputs=[roster])
    plan.write(output, "-o")
    plan.check()  # the list is never overwritten by the passwords written beside it
    listed = read_roster(roster)
    _site(data, database_url)
    from scorer.web.accounts import import_roster

    made = import_roster(listed, display_path(roster))
    text = _made_lines(made)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from scorer.output import write_atomic

    write_atomic(output, "\ufeff" + text.replace("\t", ","), plan)  # with a BOM: Excel opens it as UTF-8
    fresh = sum(1 for m in made if m.password)
    sys.stderr.write(t("web.account.written", path=str(output), count=fresh) + "\n")


def _made_lines(made: list) -> str:  # type: ignore[type-arg]
    """One account a line: department, login, one-time password (or a note that the account was there)."""
    from scorer.escape import one_line

    header = "\t".join((t("web.roster.department"), t("web.roster.login"), t("web.roster.password")))
    lines = [header]
    for item in made:
        password = item.password or t("web.roster.kept" if item.existed else "web.roster.given")
        lines.append("\t".join((one_line(item.department) or "—", item.login, password)))
    return "\n".join(lines) + "\n"


def _serve(data: Path, host: str, port: int, database_url: str | None, threads: int) -> None:
    import logging

    from waitress import serve

    from scorer.web.config import REQUEST_LIMIT, Site, prepare

    hosts = ("*",) if host in ("0.0.0.0", "::", "") else (host, "127.0.0.1", "localhost", "[::1]")
    site = Site.from_environment(data, database_url)
    if "SCORE_ALLOWED_HOSTS" not in os.environ:
        site = Site(site.data, site.database_url, hosts, site.https, site.trusted_origins)
    prepare(site)
    from django.core.wsgi import get_wsgi_application

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(t("web.serving", url=f"http://{shown}:{port}/", data=str(site.data)) + "\n")
    try:
        serve(get_wsgi_application(), host=host, port=port, threads=threads, ident="score",
              max_request_body_size=REQUEST_LIMIT, clear_untrusted_proxy_headers=True)  # fmt: skip
    except OSError as exc:
        raise UserError.at(
            Location(f"{host}:{port}"), t("web.cannot_listen", why=str(exc.strerror or exc))
        ) from None
