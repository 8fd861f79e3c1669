"""`score explain`: how each score of one inputs file came about.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import InputsArgument, LangOption, OutputOption, RulesOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import handled
from scorer.i18n import t


@app.command(cls=_Command, help=_("cli.explain"))
def explain(
    inputs: InputsArgument,
    rules: RulesOption = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", "-i", help=_("cli.opt.indicator"), metavar="ID")
    ] = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.errors import did_you_mean
    from scorer.render.explain import render
    from scorer.run import score_file

    with handled():
        plan = plan_files([inputs], [rules], {"-o": output})
        result, rule_set = score_file(inputs, rules)
        ids = [i.id for i in result.indicators]
        if indicator is not None and indicator not in ids:
            raise typer.BadParameter(
                t("cli.no_indicator", id=indicator, hint=did_you_mean(indicator, ids)),
                param_hint="--indicator",
            )
        emit(render(result, i18n.language(), indicator, rule_set.origins), output, plan)
