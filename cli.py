"""`score`: the command line. Each command parses its options, calls one library function and renders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from scorer import __version__
from scorer.model.problems import Location, Problem, RulesNotFound, UserError
from scorer.output import OutputError, SafeStream, guard_streams
from scorer.scoring.engine import RuleRuntimeError

app = typer.Typer(
    name="score",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors: one line a person or a CI log can read
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


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"


InputsArgument = Annotated[
    Path, typer.Argument(help="The department's inputs file (YAML).", show_default=False, metavar="INPUTS")
]
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
    try:
        sys.stderr.write(message.rstrip() + "\n")
    except OutputError:  # stderr cannot show it either: say it the plainest way there is
        sys.__stderr__.buffer.write(message.encode("ascii", "backslashreplace") + b"\n")  # type: ignore[union-attr]
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Map every error to one message and an exit code: 1 for the user's files, 2 usage, 3 a bug."""
    try:
        yield
    except (typer.Exit, typer.BadParameter):
        raise
    except UserError as exc:
        _fail("\n".join(f"error: {p}" for p in exc.problems), EXIT_USER)
    except RuleRuntimeError as exc:
        rule = exc.indicator
        problem = Problem(Location(rule.path, rule.lines.line((exc.key,)), rule.id, exc.key), str(exc))
        _fail(f"error: {problem}", EXIT_USER)
    except RulesNotFound as exc:
        _fail(f"error: {exc}", EXIT_USAGE)
    except OutputError as exc:
        _fail(f"error: {exc}", EXIT_USER)
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


def _emit(text: str, output: Path | None, protected: list[Path], *, coloured: bool = False) -> None:
    """Print, or write to -o FILE (`-o -` prints). A coloured table's cells were escaped when it was built."""
    from scorer.output import write_atomic

    if output is None or str(output) == "-":
        stream = sys.stdout
        if coloured and isinstance(stream, SafeStream):
            stream.write_raw(text)
        else:
            stream.write(text)
        stream.flush()
    else:
        write_atomic(output, text, protected)
        sys.stderr.write(f"wrote {output}\n")


@app.command()
def run(
    inputs: InputsArgument,
    rules: RulesOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json or markdown.")] = Format.table,
    output: OutputOption = None,
) -> None:
    """Score one department: per-indicator scores and reasons, subtotals, the total and the grade."""
    from scorer.commands.run import score_file
    from scorer.render import render

    with handled():
        result, rules_set = score_file(inputs, rules)
        to_screen = output is None or str(output) == "-"
        color = to_screen and fmt is Format.table and sys.stdout.isatty()
        width = shutil.get_terminal_size((160, 40)).columns if color else 160
        text = render(result, fmt.value, color=color, width=width)
        _emit(text, output, [inputs, Path(rules_set.folder)], coloured=color)


@app.command()
def lint(
    rules: Annotated[
        list[str] | None,
        typer.Argument(
            help="Years or rules folders. Default: ./rules/<year> folders if any, else every shipped year.",
            metavar="RULES",
        ),
    ] = None,
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help="text, or json for tools.")
    ] = LintFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check rule folders: every problem as path:line: [indicator] message; exit 1 on any error."""
    from scorer.commands.lint import lint as run_lint
    from scorer.render.checks import render_lint

    with handled():
        report = run_lint(rules or [])
        sys.stdout.write(render_lint(report, fmt.value))
        if report.failed(strict):
            raise typer.Exit(EXIT_USER)


@app.command()
def explain(
    inputs: InputsArgument,
    rules: RulesOption = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", "-i", help="Explain this indicator only.")
    ] = None,
    output: OutputOption = None,
) -> None:
    """Show how each score came about: formula, values, raw result, rounding, clamping, deductions, overrides."""
    from scorer.commands.run import score_file
    from scorer.model.problems import did_you_mean
    from scorer.render.explain import render

    with handled():
        result, rules_set = score_file(inputs, rules)
        ids = [i.id for i in result.indicators]
        if indicator is not None and indicator not in ids:
            raise typer.BadParameter(
                f"no indicator '{indicator}'{did_you_mean(indicator, ids)}", param_hint="--indicator"
            )
        _emit(render(result, indicator), output, [inputs, Path(rules_set.folder)])


@app.command("test")
def test_cases(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Case files or folders. Default: tests/golden.", show_default=False, metavar="PATHS"
        ),
    ] = None,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            "-r",
            help="Score every case with these rules. Default: rules/<year> here, else shipped.",
        ),
    ] = None,
    show_coverage: Annotated[
        bool,
        typer.Option("--coverage", help="List the indicators, deduction codes and grades no case exercises."),
    ] = False,
    min_coverage: Annotated[
        float | None,
        typer.Option("--min-coverage", help="Fail below this percentage of coverage.", min=0, max=100),
    ] = None,
) -> None:
    """Run golden cases: inputs and the scores, grades and reasons they must give."""
    from scorer.commands.casefile import run_cases
    from scorer.render.checks import render_cases

    with handled():
        folders = paths or [Path("tests/golden")]
        for folder in folders:
            if not folder.exists():
                raise UserError.at(
                    Location(str(folder)), "no such file or folder (give the golden cases' path)"
                )
        report = run_cases(folders, lambda case: rules or _rules_for_case(case))
        covered = report.coverage()
        sys.stdout.write(render_cases(report, covered, show_coverage, with_percent=min_coverage is not None))
        if report.failed or report.broken or not report.outcomes:
            raise typer.Exit(EXIT_USER)
        if min_coverage is not None and covered.percent < Decimal(str(min_coverage)):
            sys.stdout.write(f"coverage {covered.percent}% is below --min-coverage {min_coverage}%\n")
            raise typer.Exit(EXIT_USER)


def _rules_for_case(case: Path) -> str:
    """A case under tests/golden/<year>/ is scored with ./rules/<year> if present, else the shipped year."""
    year = case.parent.name
    local = Path("rules") / year
    return str(local) if (local / "rubric.yaml").is_file() else year


@app.command()
def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The rules before: a shipped year or a folder.", show_default=False, metavar="OLD"
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="The rules after: a shipped year or a folder.", show_default=False, metavar="NEW"
        ),
    ],
    inputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--inputs",
            help="Inputs files, golden cases or folders to re-score. Default: examples/ and tests/golden/.",
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or markdown for a pull request.")
    ] = DiffFormat.text,
    output: OutputOption = None,
) -> None:
    """Show what changed between two rule sets and how every example and golden case would score under each."""
    from scorer.commands.diff import diff as run_diff
    from scorer.load.rules import load_rules
    from scorer.render.diff_report import render

    with handled():
        old_rules, new_rules = load_rules(old), load_rules(new)
        paths = (
            inputs
            if inputs is not None
            else [p for p in (Path("examples"), Path("tests/golden")) if p.is_dir()]
        )
        result = run_diff(old_rules, new_rules, paths)
        _emit(
            render(result, fmt.value, old, new),
            output,
            [Path(old_rules.folder), Path(new_rules.folder), *paths],
        )


@app.command()
def schema(rules: RulesOption = None, output: OutputOption = None) -> None:
    """Print the JSON Schema of an inputs file for a rule year, for editors to check and complete inputs."""
    import json

    from scorer.load.inputs_schema import inputs_schema
    from scorer.load.rules import load_rules

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
    from scorer.commands.scaffold import read_declared, scaffold
    from scorer.load.rules import load_rules

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

    Exit codes: 0 scored; 1 a problem in your files; 2 wrong usage; 3 a bug in score.
    """
    guard_streams()


def _stop(signum: int, _frame: object) -> None:
    """SIGTERM and SIGHUP end `score` as Ctrl-C does: files being written are removed, nothing half-done stays."""
    raise SystemExit(128 + signum)


def main() -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    guard_streams()
    app()


if __name__ == "__main__":
    main()
