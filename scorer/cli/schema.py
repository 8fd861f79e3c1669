"""`score schema`: the JSON Schema of an inputs file for a rule set.

The annotations are evaluated where they are written: typer reads the parameters from them."""

from scorer.cli.app import LangOption, OutputOption, RulesOption, _, _Command, app
from scorer.cli.emit import emit, plan_files
from scorer.cli.errors import handled


@app.command(cls=_Command, help=_("cli.schema"))
def schema(rules: RulesOption = None, output: OutputOption = None, lang: LangOption = None) -> None:
    import json

    from scorer.inputs.choose import latest_year
    from scorer.inputs.schema import inputs_schema
    from scorer.rules.read import load_rules

    with handled():
        plan = plan_files([], [latest_year(rules)], {"-o": output})
        rules_set = load_rules(latest_year(rules))
        text = json.dumps(inputs_schema(rules_set), ensure_ascii=False, indent=2) + "\n"
        emit(text, output, plan)
