"""`score`: the command line. Each command parses its options, calls one library function and renders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from scorer import __version__
from scorer.engine import RuleRuntimeError
from scorer.errors import Location, Problem, UserError
from scorer.rules import RulesNotFound

app = typer.Typer(
    name="score",
    help="Score a department's 部门整体支出绩效自评 against a versioned rubric, exactly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class LintFormat(StrEnum):
    text = "text"
    json = "json"


RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules",
        "-r",
        help="A shipped year (e.g. 2022) or a path to a rules folder. Default: the inputs file's year.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of printing.", dir_okay=False),
]


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(message.rstrip() + "\n")
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Map every error to one message and an exit code: 1 for the user's files, 2 usage, 3 a bug."""
    try:
        yield
    except typer.Exit:
        raise
    except UserError as exc:
        _fail("\n".join(f"error: {p}" for p in exc.problems), EXIT_USER)
    except RuleRuntimeError as exc:
        problem = Problem(Location(exc.indicator.path, None, exc.indicator.id), str(exc))
        _fail(f"error: {problem}", EXIT_USER)
    except RulesNotFound as exc:
        _fail(f"error: {exc}", EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("SCORE_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in score, not in your files. Please report it with the command and files you used "
            "(set SCORE_DEBUG=1 to see the traceback).",
            EXIT_BUG,
        )


def _emit(text: str, output: Path | None, protected: list[Path]) -> None:
    from scorer.output import write_atomic

    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, protected)
        sys.stderr.write(f"wrote {output}\n")


@app.command()
def run(
    inputs: Annotated[Path, typer.Argument(help="The department's inputs file (YAML).", show_default=False)],
    rules: RulesOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or markdown.")] = Format.table,
    output: OutputOption = None,
) -> None:
    """Score one department: per-indicator scores and reasons, subtotals, the total and the grade."""
    from scorer.api import score_file
    from scorer.report import render

    with handled():
        result, rules_set = score_file(inputs, rules)
        color = output is None and fmt is Format.table and sys.stdout.isatty()
        width = shutil.get_terminal_size((160, 40)).columns if color else 160
        text = render(result, fmt.value, color=color, width=width)
        _emit(text, output, [inputs, Path(rules_set.folder)])


@app.command()
def lint(
    rules: Annotated[list[str] | None, typer.Argument(help="Years or rules folders. Default: every shipped year.")] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="text, or json for tools.")] = LintFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check rule folders: every problem as path:line: [indicator] message; exit 1 on any error."""
    import json

    from scorer.lint import lint as run_lint

    with handled():
        report = run_lint(rules or [])
        if fmt is LintFormat.json:
            data = {"checked": report.checked, "problems": [p.to_dict() for p in report.problems]}
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            for problem in report.errors:
                sys.stdout.write(f"{problem}\n")
            for problem in report.warnings:
                sys.stdout.write(f"{problem} (warning)\n")
            sys.stdout.write(
                f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in {len(report.checked)} rule folder(s)\n"
            )
        if report.failed(strict):
            raise typer.Exit(EXIT_USER)


@app.command()
def schema(rules: RulesOption = None, output: OutputOption = None) -> None:
    """Print the JSON Schema of an inputs file for a rule year, for editors to check and complete inputs."""
    import json

    from scorer.inputs_schema import inputs_schema
    from scorer.rules import load_rules

    with handled():
        rules_set = load_rules(rules or _latest_year())
        text = json.dumps(inputs_schema(rules_set), ensure_ascii=False, indent=2) + "\n"
        _emit(text, output, [Path(rules_set.folder)])


@app.command()
def template(
    rules: RulesOption = None,
    targets: Annotated[
        Path | None,
        typer.Option(
            "--targets",
            "-t",
            help="The 申报表's 绩效指标 table (CSV or tab-separated, with 二级指标, 三级指标 and 年度指标值 "
            "columns) or a YAML list of {category, name, target}.",
        ),
    ] = None,
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Write an inputs file ready to fill, with the declared targets pre-filled."""
    from scorer.rules import load_rules
    from scorer.scaffold import read_declared, scaffold

    with handled():
        rules_set = load_rules(rules or _latest_year())
        declared = read_declared(targets, rules_set) if targets else []
        if output is not None and output.exists() and not force:
            raise UserError.at(Location(str(output)), "already exists; choose another -o or add --force")
        protected = [Path(rules_set.folder)] + ([targets] if targets else [])
        _emit(scaffold(rules_set, declared), output, protected)


def _latest_year() -> str:
    from scorer.resources import shipped_years

    years = shipped_years()
    if not years:
        raise RulesNotFound("no rule years are shipped; give --rules PATH")
    return years[-1]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"score {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Score a department's 部门整体支出绩效自评 against a versioned rubric, exactly.

    Start with:  score run examples/2022-zhengwu-fuwu.yaml --rules 2022
    """


def main() -> None:
    app()


if __name__ == "__main__":
    main()
