"""`score serve`: the district's shared web workplace (scorer/web/), on an embedded SQLite database in `--data`
or on PostgreSQL (`--database-url`). The annotations are evaluated where they are written: typer reads the
parameters from them."""

from pathlib import Path
from typing import Annotated

import typer

from scorer.cli.app import LangOption, _, _Command, app
from scorer.cli.errors import handled

DataOption = Annotated[
    Path, typer.Option("--data", help=_("cli.opt.web_data"), file_okay=False, metavar="DIR")
]
DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url", help=_("cli.opt.database_url"), envvar="SCORE_DATABASE_URL", metavar="URL"
    ),
]


@app.command(cls=_Command, help=_("cli.serve"))
def serve(
    data: DataOption = Path("score-data"),
    host: Annotated[str, typer.Option("--host", help=_("cli.opt.host"), metavar="HOST")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help=_("cli.opt.port"), min=0, max=65535, metavar="PORT")
    ] = 8000,
    database_url: DatabaseUrlOption = None,
    threads: Annotated[
        int, typer.Option("--threads", help=_("cli.opt.threads"), min=1, max=64, metavar="N")
    ] = 8,
    history: Annotated[
        Path | None,
        typer.Option("--history", help=_("cli.opt.serve_history"), dir_okay=False, metavar="FILE"),
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.web.commands import serve_site

    with handled():
        serve_site(data, host, port, database_url, threads, history)
