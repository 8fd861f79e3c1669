"""`score audit`: check submitted 自评表 against the rules.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scorer import i18n
from scorer.cli.app import AuditFormat, LangOption, OutputOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import EXIT_USER, handled, problem_lines, to_stderr
from scorer.facts import fact
from scorer.i18n import t

if TYPE_CHECKING:
    from scorer.sources.file_plan import FilePlan


@app.command(cls=_Command, help=_("cli.audit"))
def audit(
    tables: Annotated[
        list[Path], typer.Argument(help=_("cli.arg.tables"), show_default=False, metavar="TABLE|FOLDER...")
    ],
    rules: Annotated[
        str | None, typer.Option("--rules", "-r", help=_("cli.opt.audit_rules"), metavar="YEAR|FOLDER")
    ] = None,
    fmt: Annotated[
        AuditFormat | None,
        typer.Option("--format", "-f", help=_("cli.opt.audit_format"), metavar="text|json|xlsx|csv|markdown"),
    ] = None,
    to_inputs: Annotated[
        Path | None,
        typer.Option("--to-inputs", help=_("cli.opt.to_inputs"), dir_okay=False, metavar="OUT.yaml"),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.audit.files import inputs_yaml
    from scorer.batch.outputs import check_paths
    from scorer.batch.review import review
    from scorer.batch.review_formats import render
    from scorer.batch.sources import is_pattern

    with handled():
        if to_inputs is not None and (len(tables) != 1 or tables[0].is_dir() or is_pattern(tables[0])):
            raise typer.BadParameter(t("audit.to_inputs_one"), param_hint="--to-inputs")
        check_paths(tables)
        plan = _plan(tables, rules, {"--to-inputs": to_inputs, "-o": output})
        name = _format(output, fmt)
        found = review(tables, rules, {p: o for o, p in (("-o", output), ("--to-inputs", to_inputs)) if p})
        if to_inputs is not None and found.audits:
            emit(inputs_yaml(found.audits[0]), to_inputs, plan)
        if name == "text" and found.refused:
            to_stderr(problem_lines(found.refused))
        if found.audits or found.others or name != "text":  # a file's list names the refused tables too
            emit(render(found, name, i18n.language()), output, plan)
        if len(found.rows) + len(found.others) > 1 or any(path.is_dir() for path in tables):
            to_stderr(found.tally())  # a district's: one line
        if found.failed or not found.rows:
            raise typer.Exit(EXIT_USER)


def _format(output: Path | None, fmt: str | None) -> str:
    """The format `-o`'s extension names (as every command chooses it); `-f` for the screen, or agreeing with
    it: no format is written under another's name (no text in an .xlsx); an unknown extension is refused."""
    from scorer.batch.review_formats import REVIEWS
    from scorer.errors import Location, UserError
    from scorer.render import by_name, for_output

    if output is None or str(output) == "-":
        chosen = by_name(fmt or "text", REVIEWS)
        if chosen.binary:
            raise UserError.at(Location("-"), fact("cli.binary_needs_file", format=chosen.name))
        return chosen.name
    named = for_output(output, None, REVIEWS).name
    if fmt is not None and fmt != named:
        raise UserError.at(
            Location(str(output)), fact("audit.format_disagrees", format=fmt, suffix=output.suffix)
        )
    return named


def _plan(tables: list[Path], rules: str | None, writes: dict[str, Path | None]) -> "FilePlan":
    """What the audit reads (every file its folders and globs name) and writes, checked before any work."""
    from scorer.batch.sources import files_named, gathered

    reads = [file for path in tables for file in files_named(path)]
    found = [where for path in tables if (where := gathered(path)) is not None]
    return plan_files(reads, [rules], writes, found)
