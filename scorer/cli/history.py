"""`score history`: the scores a results database holds, this year against last; `score history import TABLES…`:
last year's 自评表 stored as printed.

The annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, LintFormat, _, _Command, app
from scorer.cli.errors import EXIT_USER, handled, problem_lines, to_stderr
from scorer.i18n import t


@app.command(cls=_Command, help=_("cli.history"))
def history(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help=_("cli.arg.history_department"), show_default=False, metavar="[DEPARTMENT] | import TABLE..."
        ),
    ] = None,
    db: Annotated[
        Path, typer.Option("--db", help=_("cli.opt.history_db"), dir_okay=False, metavar="FILE")
    ] = Path("results.sqlite"),
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.history_format"), metavar="text|json")
    ] = "text",
    rules: Annotated[
        str | None, typer.Option("--rules", "-r", help=_("cli.opt.import_rules"), metavar="YEAR|FOLDER")
    ] = None,
    aliases: Annotated[
        Path | None, typer.Option("--aliases", help=_("cli.opt.aliases"), dir_okay=False, metavar="FILE")
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.batch.report.history import history as run_history

    words = words or []
    with handled():
        if words[:1] == ["import"]:
            code = _import([Path(word) for word in words[1:]], db, rules)
            if code:
                raise typer.Exit(code)
            return
        if len(words) > 1:
            raise typer.BadParameter(t("history.one_department"), param_hint="DEPARTMENT")
        renamed = _renamed(aliases)
        text, found = run_history(db, words[0] if words else None, fmt, i18n.language(), renamed)
        sys.stdout.write(text)
    if not found:
        raise typer.Exit(EXIT_USER)


def _renamed(aliases: Path | None) -> dict[str, str]:
    if aliases is None:
        return {}
    from scorer.batch.aliases import read_aliases

    return read_aliases(aliases).renamed


def _import(tables: list[Path], db: Path, rules: str | None) -> int:
    """Store each table as printed; say each stored and each refused; 1 when any was refused."""
    from scorer.batch.history_import import import_tables
    from scorer.batch.outputs import check_paths
    from scorer.batch.report.common import other_lines
    from scorer.batch.sources import files_named, gathered
    from scorer.cli.emit import plan_files
    from scorer.escape import one_line
    from scorer.inputs.choose import latest_year
    from scorer.rules.read import load_rules

    if not tables:
        raise typer.BadParameter(t("history.import.no_tables"), param_hint="TABLE...")
    check_paths(tables)
    reads = [file for path in tables for file in files_named(path)]
    plan_files(reads, [rules], {"--db": db}, [g for path in tables if (g := gathered(path)) is not None])
    stored, problems, others = import_tables(db, tables, load_rules(latest_year(rules)))
    for line in other_lines(others, i18n.language()):  # a folder's file that is no 自评表: never passed over
        to_stderr(line)
    for one in stored:
        line = t("history.import.stored", department=one.department, year=one.year, total=one.total,
                 rows=one.rows, path=one.place)  # fmt: skip
        to_stderr(one_line(line))
    if problems:
        to_stderr(problem_lines(problems))
    to_stderr(t("history.import.count", stored=len(stored), refused=len(problems), db=one_line(str(db))))
    return EXIT_USER if problems or not stored else 0
