"""What `score serve` and `score accounts add|import` do (their options are read in scorer/cli/serve.py and
accounts.py): Django, waitress and the web app are imported only when one of them runs."""

import os
import sys
from pathlib import Path
from typing import Literal

from scorer.errors import Location, UserError
from scorer.facts import fact
from scorer.i18n import t

Role = Literal["bureau", "department"]


def site(data: Path, database_url: str | None) -> object:
    from scorer.web.config import Site, prepare

    site = Site.from_environment(data, database_url)
    prepare(site)
    return site


def password_from_stdin() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise UserError.at(Location("--password-stdin"), fact("web.account.empty_password"))
    return password


def import_accounts(
    roster: Path, data: Path, database_url: str | None, output: Path | None, new_departments: bool = False
) -> None:
    from scorer.sources.file_plan import FilePlan
    from scorer.sources.yaml import display_path
    from scorer.web.roster import read_roster

    plan = FilePlan(inputs=[roster])
    plan.write_once(output, "-o")  # the only copy of the passwords: never over a file, readable by its owner
    plan.check()  # the list is never overwritten by the passwords written beside it
    listed = read_roster(roster)
    site(data, database_url)
    from scorer.web.accounts import import_roster

    def keep(made: list) -> None:  # type: ignore[type-arg]  # before the accounts are committed
        text = made_lines(made)
        if output is None or str(output) == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        from scorer.sources.output import write_atomic

        write_atomic(output, "\ufeff" + text.replace("\t", ","), plan)  # with a BOM: Excel opens it as UTF-8

    made = import_roster(listed, display_path(roster), new_departments, keep)
    if output is None or str(output) == "-":
        where_to_sign_in()
        return
    fresh = sum(1 for m in made if m.password)
    sys.stderr.write(t("web.account.written", path=str(output), count=fresh) + "\n")
    where_to_sign_in()


def where_to_sign_in() -> None:
    """The address clerks open: the site's own where it is configured, else where `score serve` says it."""
    origins = [o.strip() for o in os.environ.get("SCORE_TRUSTED_ORIGINS", "").split(",") if o.strip()]
    if origins:
        sys.stderr.write(t("web.account.address", url=origins[0].rstrip("/") + "/") + "\n")
    else:
        sys.stderr.write(t("web.account.address_unknown") + "\n")


def made_lines(made: list) -> str:  # type: ignore[type-arg]
    """One account a line: department, login, one-time password (or a note that the account was there)."""
    from scorer.escape import one_line

    header = "\t".join((t("web.roster.department"), t("web.roster.login"), t("web.roster.password")))
    lines = [header]
    for item in made:
        password = item.password or t("web.roster.kept" if item.existed else "web.roster.given")
        lines.append("\t".join((one_line(item.department) or "—", item.login, password)))
    return "\n".join(lines) + "\n"


def serve_site(
    data: Path, host: str, port: int, database_url: str | None, threads: int, history: Path | None = None
) -> None:
    import logging

    from waitress import serve

    from scorer.web.config import REQUEST_LIMIT, Site, prepare

    hosts = ("*",) if host in ("0.0.0.0", "::", "") else (host, "127.0.0.1", "localhost", "[::1]")
    site = Site.from_environment(data, database_url)
    if "SCORE_ALLOWED_HOSTS" not in os.environ:
        site = Site(site.data, site.database_url, hosts, site.https, site.trusted_origins)
    if history is not None:  # refused now, naming the file, unless it is a history database of ours
        from scorer.web.history import VARIABLE, check

        os.environ[VARIABLE] = str(check(history))
        sys.stderr.write(t("web.history.used", path=str(history)) + "\n")
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
            Location(f"{host}:{port}"), fact("web.cannot_listen", why=str(exc.strerror or exc))
        ) from None


def add_one(
    role: Role, login: str, department: str | None, password_stdin: bool, data: Path, url: str | None,
    new_department: bool = False,
) -> None:  # fmt: skip
    """`score accounts add`: one account, its one-time password printed unless it was read from standard input."""
    password = password_from_stdin() if password_stdin else None
    site(data, url)
    from scorer.web.accounts import add_account

    made = add_account(role, login, password, department, new_department)
    sys.stdout.write(made_lines([made]))
    if role == "department":
        where_to_sign_in()


def change_account(
    action: Literal["reset", "disable", "enable"], login: str, data: Path, url: str | None
) -> None:
    """`score accounts reset|disable|enable LOGIN`: a new one-time password printed, or the account switched."""
    site(data, url)
    from scorer.web.accounts import reset_password, set_active

    if action == "reset":
        sys.stdout.write(made_lines([reset_password(login)]))
        where_to_sign_in()
        return
    made = set_active(login, action == "enable")
    said_done = "web.account.enabled" if action == "enable" else "web.account.disabled"
    sys.stderr.write(t(said_done, login=made.login) + "\n")
