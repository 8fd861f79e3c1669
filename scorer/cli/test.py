"""`score test`: run the golden cases, and their coverage of the rules.

The annotations are evaluated where they are written: typer reads the parameters from them."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, _, _Command, app
from scorer.cli.errors import EXIT_USER, handled
from scorer.i18n import t


def _percent(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 100:  # NaN fails both comparisons too
        raise typer.BadParameter(t("cases.min_coverage_number"))
    return value


@app.command("test", cls=_Command, help=_("cli.test"))
def test_cases(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=_("cli.arg.cases"), show_default=False, metavar="[PATHS]..."),
    ] = None,
    rules: Annotated[
        str | None, typer.Option("--rules", "-r", help=_("cli.opt.case_rules"), metavar="YEAR|FOLDER")
    ] = None,
    show_coverage: Annotated[bool, typer.Option("--coverage", help=_("cli.opt.coverage"))] = False,
    min_coverage: Annotated[
        float | None,
        typer.Option("--min-coverage", help=_("cli.opt.min_coverage"), callback=_percent, metavar="PERCENT"),
    ] = None,
    lang: LangOption = None,
) -> None:
    from scorer.inputs.choose import golden_folders, rules_for_case
    from scorer.maintain.cases import check_coverage, run_cases
    from scorer.maintain.report import render_cases

    with handled():
        report = run_cases(golden_folders(paths), lambda case: rules_for_case(rules, case))
        covered = report.coverage()
        shown = render_cases(report, covered, show_coverage, min_coverage is not None, i18n.language())
        sys.stdout.write(shown)
        if report.failed or report.broken or not report.outcomes:
            raise typer.Exit(EXIT_USER)
        shortfall = check_coverage(covered, min_coverage)
        if shortfall:
            sys.stdout.write(shortfall + "\n")
            raise typer.Exit(EXIT_USER)
