"""`score report`: the 自评报告 of one inputs file, as a document.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from typing import Annotated, Literal

import typer

from scorer import i18n
from scorer.cli.app import InputsArgument, LangOption, OutputOption, RulesOption, _, _Command, app
from scorer.cli.emit import emit, scored, tell_outcome
from scorer.cli.errors import handled

ReportFormat = Literal["docx", "markdown"]


@app.command(cls=_Command, help=_("cli.report"))
def report(
    inputs: InputsArgument,
    rules: RulesOption = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help=_("cli.opt.report_format"), metavar="docx|markdown"),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.render import REPORTS
    from scorer.render.options import RenderOptions

    with handled():
        result, renderer, plan = scored(inputs, rules, output, fmt, REPORTS)
        emit(renderer.render(result, RenderOptions(i18n.language())), output, plan)
        if output is not None and str(output) != "-":
            tell_outcome(result)
