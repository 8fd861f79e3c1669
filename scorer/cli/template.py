"""`score template`: an inputs file (YAML or workbook) to fill in, or a batch sheet.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import LangOption, OutputOption, RulesOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import handled


@app.command(cls=_Command, help=_("cli.template"))
def template(
    rules: RulesOption = None,
    targets: Annotated[
        Path | None, typer.Option("--targets", "-t", help=_("cli.opt.targets"), metavar="TABLE")
    ] = None,
    given: Annotated[
        Path | None, typer.Option("--from", help=_("cli.opt.from"), metavar="INPUTS", show_default=False)
    ] = None,
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help=_("cli.opt.force"))] = False,
    for_batch: Annotated[bool, typer.Option("--batch", help=_("cli.opt.template_batch"))] = False,
    lang: LangOption = None,
) -> None:
    from scorer.inputs.choose import latest_year, rules_named_by
    from scorer.inputs.read import read_document
    from scorer.template.scaffold import refuse_existing, refuse_extension, scaffold_file

    with handled():
        spec = latest_year(rules)
        if rules is None and given is not None and not for_batch:  # pre-filled under the rubric it names
            spec = rules_named_by(read_document(given)) or spec
        plan = plan_files([targets, given], [spec], {"-o": output})
        refuse_extension(output, for_batch)
        refuse_existing(output, force)
        if for_batch:
            from scorer.batch.template import batch_template

            content, _ = batch_template(latest_year(rules), output, i18n.language())
            emit(content, output, plan)
            return
        content, _ = scaffold_file(spec, targets, given, output, i18n.language())
        emit(content, output, plan)
