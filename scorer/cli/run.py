"""`score run`: score one inputs file and show or write the result in a format.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import Format, InputsArgument, LangOption, OutputOption, RulesOption, _, _Command, app
from scorer.cli.emit import colour_wanted, emit, scored, tell_outcome, terminal_width
from scorer.cli.errors import handled


@app.command(cls=_Command, help=_("cli.run"))
def run(
    inputs: InputsArgument,
    rules: RulesOption = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help=_("cli.opt.format"), metavar="table|json|markdown|xlsx"),
    ] = None,
    output: OutputOption = None,
    explanations: Annotated[bool, typer.Option("--explanations", help=_("cli.opt.explanations"))] = False,
    lang: LangOption = None,
) -> None:
    from scorer.render import RENDERERS
    from scorer.render.options import RenderOptions

    with handled():
        result, renderer, plan = scored(inputs, rules, output, fmt, RENDERERS)
        to_screen = output is None or str(output) == "-"
        color = to_screen and renderer.name == "table" and colour_wanted()
        width = terminal_width() if to_screen else 160
        options = RenderOptions(i18n.language(), color, width, explanations)
        emit(renderer.render(result, options), output, plan, coloured=color)
        if not to_screen:
            tell_outcome(result)
