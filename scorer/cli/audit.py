"""`score audit`: check submitted 自评表 against the rules.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import AuditFormat, LangOption, OutputOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import EXIT_USER, handled, to_stderr
from scorer.i18n import t


@app.command(cls=_Command, help=_("cli.audit"))
def audit(
    tables: Annotated[
        list[Path], typer.Argument(help=_("cli.arg.tables"), show_default=False, metavar="TABLE...")
    ],
    rules: Annotated[
        str | None, typer.Option("--rules", "-r", help=_("cli.opt.audit_rules"), metavar="YEAR|FOLDER")
    ] = None,
    fmt: Annotated[
        AuditFormat, typer.Option("--format", "-f", help=_("cli.opt.audit_format"), metavar="text|json")
    ] = "text",
    to_inputs: Annotated[
        Path | None,
        typer.Option("--to-inputs", help=_("cli.opt.to_inputs"), dir_okay=False, metavar="OUT.yaml"),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.audit.files import audit_files, inputs_yaml
    from scorer.audit.report import render

    with handled():
        if to_inputs is not None and len(tables) != 1:
            raise typer.BadParameter(t("audit.to_inputs_one"), param_hint="--to-inputs")
        plan = plan_files(list(tables), [rules], {"--to-inputs": to_inputs, "-o": output})
        audits, refused = audit_files(tables, rules)
        if to_inputs is not None and audits:
            emit(inputs_yaml(audits[0]), to_inputs, plan)
        if fmt == "text" and refused:
            to_stderr("\n".join(t("cli.error", message=str(p)) for p in refused))
        if audits or fmt == "json":
            emit(render(audits, refused, fmt, i18n.language()), output, plan)
        if refused or any(not a.consistent for a in audits):
            raise typer.Exit(EXIT_USER)
