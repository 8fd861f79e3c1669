"""`score diff`: what changed between two rule sets, and what it does to departments' scores.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from pathlib import Path
from typing import Annotated

import typer

from scorer import i18n
from scorer.cli.app import DiffFormat, LangOption, OutputOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import handled, to_stderr
from scorer.i18n import t


@app.command(cls=_Command, help=_("cli.diff"))
def diff(
    old: Annotated[str, typer.Argument(help=_("cli.arg.old"), show_default=False, metavar="OLD")],
    new: Annotated[str, typer.Argument(help=_("cli.arg.new"), show_default=False, metavar="NEW")],
    inputs: Annotated[
        list[Path] | None, typer.Option("--inputs", help=_("cli.opt.diff_inputs"), metavar="PATH")
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help=_("cli.opt.diff_format"), metavar="text|markdown")
    ] = "text",
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    from scorer.inputs.choose import diff_inputs
    from scorer.maintain.diff import diff_documents, gathered, read_documents
    from scorer.maintain.diff_report import render
    from scorer.rules.read import load_rules
    from scorer.sources.yaml import display_path

    with handled():
        old_rules, new_rules = load_rules(old), load_rules(new)
        paths, looked = diff_inputs(inputs, [new_rules.folder, old_rules.folder])
        documents, read = read_documents(paths)
        plan = plan_files(read, [old, new], {"-o": output}, gathered(paths))
        result = diff_documents(old_rules, new_rules, documents)
        # Only the rules' changes: say so, rather than let silence pass for "no effect".
        if not result.impacts:
            to_stderr(t("diff.no_inputs", paths=", ".join(display_path(p) for p in looked) or "—"))
        text = render(result, fmt, old, new, i18n.language())
        emit(text, output, plan)
