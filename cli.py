"""`score`: the command line. Each command parses its options, calls one library function and renders.

Only what a command needs is imported, when it runs: `score run -f json` never loads rich's console, and JSON
Schema is loaded only where a schema is checked. Every text comes from the catalogues (scorer/i18n) in the
language of `--lang`, `SCORE_LANG` or the locale.

The annotations here are evaluated where they are written (no `from __future__ import annotations`): typer reads
a command's parameters from them, and would otherwise evaluate each as text twice per function at every start.
"""

import copy
import gc
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer
from typer import _click as click

from scorer import __version__, i18n
from scorer.escape import one_line, visible
from scorer.i18n import t
from scorer.model.problems import Problem, RulesNotFound, UserError
from scorer.output import OutputError, SafeStream, guard_streams

if TYPE_CHECKING:  # imported where a command runs, so that the start stays quick
    from scorer.file_plan import FilePlan, Gathered
    from scorer.model.result import Result
    from scorer.render import Renderer

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _language_asked() -> str | None:
    """`--lang X` or `--lang=X` anywhere on the command line: help texts are written before options are parsed."""
    for index, word in enumerate(sys.argv):
        if word == "--lang" and index + 1 < len(sys.argv):
            return sys.argv[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


try:
    LANG = i18n.set_language(_language_asked())
except ValueError:  # reported as a usage error when --lang is parsed
    LANG = i18n.set_language(None)


def _(key: str) -> str:
    return t(key, LANG)


# The words typer writes around our help texts, put in the chosen language (English keeps them as they are).
_HELP_WORDS = {
    "Usage: ": "help.usage",
    "Options": "help.options",
    "Arguments": "help.arguments",
    "Commands": "help.commands",
    "Show this message and exit.": "help.help",
    "[required]": "help.required",
    "default: ": "help.default",
}


def _translate_help(formatter: typer.core._click.HelpFormatter) -> None:
    if LANG == "en":
        return
    for index, piece in enumerate(formatter.buffer):
        for english, key in _HELP_WORDS.items():
            piece = piece.replace(english, _(key))
        formatter.buffer[index] = piece


class _Command(typer.core.TyperCommand):
    """Usage lines as people read them (`score run [OPTIONS] INPUTS`, not `{INPUTS}`), in the chosen language."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        return [piece.strip("{}") for piece in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx: typer.Context, formatter: typer.core._click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        _translate_help(formatter)


class _Group(typer.core.TyperGroup):
    def format_help(self, ctx: typer.Context, formatter: typer.core._click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        _translate_help(formatter)


app = typer.Typer(
    name="score",
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors: one line a person or a CI log can read
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("cli.app"),
)


# The choices of --format and --lang, as literal types (typer offers them as choices; an Enum class each would
# be built at every start).
Format = Literal["table", "json", "markdown", "xlsx"]
LintFormat = Literal["text", "json"]
DiffFormat = Literal["text", "markdown"]
AuditFormat = Literal["text", "json"]
Language = Literal["zh", "en"]


def _set_language(value: Language | None) -> Language | None:
    if value is not None:
        i18n.set_language(value)
    return value


InputsArgument = Annotated[
    Path, typer.Argument(help=_("cli.arg.inputs"), show_default=False, metavar="INPUTS")
]
RulesOption = Annotated[
    str | None, typer.Option("--rules", "-r", help=_("cli.opt.rules"), metavar="YEAR|FOLDER")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help=_("cli.opt.output"), dir_okay=False, metavar="FILE")
]
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help=_("cli.opt.lang"), callback=_set_language, is_eager=True, metavar="zh|en"),
]


def _to_stderr(message: str) -> None:
    """Write a message through the escaping stream, or, where stderr cannot show it, the plainest way there is."""
    try:
        sys.stderr.write(message.rstrip() + "\n")
    except OutputError:
        plain = visible(message).encode("ascii", "backslashreplace") + b"\n"
        with suppress(OSError, ValueError, AttributeError):
            sys.__stderr__.buffer.write(plain)  # type: ignore[union-attr]


def _fail(message: str, code: int) -> NoReturn:
    _to_stderr(message)
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Map every error to one message and an exit code: 1 for the user's files, 2 usage, 3 a bug."""
    from scorer.scoring.engine import RuleRuntimeError

    try:
        yield
    except (typer.Exit, typer.BadParameter):
        raise
    except UserError as exc:
        _fail("\n".join(t("cli.error", message=str(p)) for p in exc.problems), EXIT_USER)
    except RuleRuntimeError as exc:
        _fail(t("cli.error", message=str(Problem(exc.location(), str(exc)))), EXIT_USER)
    except RulesNotFound as exc:
        _fail(t("cli.error", message=str(exc)), EXIT_USAGE)
    except OutputError as exc:
        _fail(t("cli.error", message=str(exc)), EXIT_USER)
    except KeyboardInterrupt:
        _fail(t("cli.interrupted"), 130)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("SCORE_DEBUG"):
            raise
        _fail(t("cli.bug", what=f"{type(exc).__name__}: {exc}"), EXIT_BUG)


def _files(
    reads: list[Path | None],
    rules: list[str | None],
    writes: dict[str, Path | None],
    gathered: "list[Gathered] | None" = None,
) -> "FilePlan":
    """The command's files (scorer/file_plan.py), checked before any work: what it reads (and the folders it
    reads from), the rules folders it uses (each `--rules`, found as the command will find it), and each output
    by the option that names it."""
    from scorer.file_plan import FilePlan
    from scorer.load.rules import resolve_rules

    plan = FilePlan(inputs=[path for path in reads if path is not None], gathered=gathered or [])
    for spec in rules:
        with suppress(RulesNotFound):  # the command says so in its own words when it loads them
            plan.rules += [resolve_rules(spec)] if spec is not None else []
    for option, path in writes.items():
        plan.write(path, option)
    plan.check()
    return plan


def _emit(content: str | bytes, output: Path | None, plan: "FilePlan", *, coloured: bool = False) -> None:
    """Print, or write to -o FILE (`-o -` prints). A coloured table's cells were escaped when it was built."""
    if output is None or str(output) == "-":
        stream = sys.stdout
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        if coloured and isinstance(stream, SafeStream):
            stream.write_raw(text)
        else:
            stream.write(text)
        stream.flush()
    else:
        from scorer.output import write_atomic

        write_atomic(output, content, plan)
        sys.stderr.write(t("cli.wrote", path=one_line(str(output))) + "\n")


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
        result, renderer, plan = _scored(inputs, rules, output, fmt, RENDERERS)
        to_screen = output is None or str(output) == "-"
        color = to_screen and renderer.name == "table" and _colour_wanted()
        width = _terminal_width() if to_screen else 160
        options = RenderOptions(i18n.language(), color, width, explanations)
        _emit(renderer.render(result, options), output, plan, coloured=color)


def _scored(
    inputs: Path, rules: str | None, output: Path | None, fmt: str | None, registry: "tuple[Renderer, ...]"
) -> "tuple[Result, Renderer, FilePlan]":
    """Refuse an -o that may not be written before any work, score the inputs, choose the renderer."""
    from scorer.commands.run import score_file
    from scorer.render import for_output

    plan = _files([inputs], [rules], {"-o": output})
    result, _ = score_file(inputs, rules)
    renderer = for_output(output, fmt, registry)
    if renderer.binary and (output is None or str(output) == "-"):
        raise typer.BadParameter(t("cli.binary_needs_file", format=renderer.name), param_hint="--output")
    return result, renderer, plan


def _colour_wanted() -> bool:
    """Colour on a terminal that can show it, unless NO_COLOR (no-color.org) or TERM=dumb says otherwise."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((160, 40)).columns if sys.stdout.isatty() else 160


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
        result, renderer, plan = _scored(inputs, rules, output, fmt, REPORTS)
        _emit(renderer.render(result, RenderOptions(i18n.language())), output, plan)


@app.command(cls=_Command, help=_("cli.lint"))
def lint(
    rules: Annotated[
        list[str] | None, typer.Argument(help=_("cli.arg.lint_rules"), metavar="[RULES]...")
    ] = None,
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.lint_format"), metavar="text|json")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help=_("cli.opt.strict"))] = False,
    lang: LangOption = None,
) -> None:
    from scorer.commands.lint import lint as run_lint
    from scorer.render.checks import render_lint

    with handled():
        report = run_lint(rules or [])
        sys.stdout.write(render_lint(report, fmt, i18n.language()))
        if report.failed(strict):
            raise typer.Exit(EXIT_USER)


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
    from scorer.commands.run import score_file
    from scorer.model.problems import did_you_mean
    from scorer.render.explain import render

    with handled():
        plan = _files([inputs], [rules], {"-o": output})
        result, _ = score_file(inputs, rules)
        ids = [i.id for i in result.indicators]
        if indicator is not None and indicator not in ids:
            raise typer.BadParameter(
                t("cli.no_indicator", id=indicator, hint=did_you_mean(indicator, ids)),
                param_hint="--indicator",
            )
        _emit(render(result, i18n.language(), indicator), output, plan)


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
    from scorer.commands.casefile import check_coverage, run_cases
    from scorer.commands.choose import golden_folders, rules_for_case
    from scorer.render.checks import render_cases

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
    from scorer.commands.choose import diff_inputs
    from scorer.commands.diff import diff_documents, gathered, read_documents
    from scorer.load.rules import load_rules
    from scorer.render.diff_report import render

    with handled():
        paths = diff_inputs(inputs)
        documents, read = read_documents(paths)
        plan = _files(read, [old, new], {"-o": output}, gathered(paths))
        old_rules, new_rules = load_rules(old), load_rules(new)
        result = diff_documents(old_rules, new_rules, documents)
        # Only the rules' changes: say so, rather than let silence pass for "no effect".
        if not result.impacts:
            _to_stderr(t("diff.no_inputs", paths=", ".join(str(p) for p in paths) or "—"))
        text = render(result, fmt, old, new, i18n.language())
        _emit(text, output, plan)


@app.command(cls=_Command, help=_("cli.schema"))
def schema(rules: RulesOption = None, output: OutputOption = None, lang: LangOption = None) -> None:
    import json

    from scorer.commands.choose import latest_year
    from scorer.load.inputs_schema import inputs_schema
    from scorer.load.rules import load_rules

    with handled():
        plan = _files([], [latest_year(rules)], {"-o": output})
        rules_set = load_rules(latest_year(rules))
        text = json.dumps(inputs_schema(rules_set), ensure_ascii=False, indent=2) + "\n"
        _emit(text, output, plan)


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
    from scorer.commands.choose import latest_year
    from scorer.commands.scaffold import refuse_existing, scaffold_file

    with handled():
        plan = _files([targets, given], [latest_year(rules)], {"-o": output})
        refuse_existing(output, force)
        if for_batch:
            from scorer.commands.batch_template import batch_template

            content, _ = batch_template(latest_year(rules), output, i18n.language())
            _emit(content, output, plan)
            return
        content, _ = scaffold_file(latest_year(rules), targets, given, output, i18n.language())
        _emit(content, output, plan)


BatchFormat = Literal["table", "csv", "xlsx", "jsonl", "html"]


@app.command(cls=_Command, help=_("cli.batch"))
def batch(
    paths: Annotated[
        list[Path], typer.Argument(help=_("cli.arg.batch_paths"), show_default=False, metavar="PATHS...")
    ],
    rules: RulesOption = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help=_("cli.opt.batch_output"), dir_okay=False, metavar="FILE"),
    ] = None,
    fmt: Annotated[
        BatchFormat | None,
        typer.Option("--format", "-f", help=_("cli.opt.batch_format"), metavar="table|csv|xlsx|jsonl|html"),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=_("cli.opt.jobs"), min=0, metavar="N")] = 1,
    db: Annotated[
        Path | None, typer.Option("--db", help=_("cli.opt.db"), dir_okay=False, metavar="FILE")
    ] = None,
    sheets: Annotated[bool, typer.Option("--sheets", help=_("cli.opt.sheets"))] = False,
    lang: LangOption = None,
) -> None:
    from scorer.commands.batch import Command, batch_command

    with handled():
        command = Command(paths, rules, outputs or [], fmt, jobs, db, sheets, _terminal_width())
        code = batch_command(command)
    if code:
        raise typer.Exit(code)


@app.command(cls=_Command, help=_("cli.history"))
def history(
    department: Annotated[
        str | None,
        typer.Argument(help=_("cli.arg.history_department"), show_default=False, metavar="[DEPARTMENT]"),
    ] = None,
    db: Annotated[
        Path, typer.Option("--db", help=_("cli.opt.history_db"), dir_okay=False, metavar="FILE")
    ] = Path("results.sqlite"),
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", help=_("cli.opt.history_format"), metavar="text|json")
    ] = "text",
    lang: LangOption = None,
) -> None:
    from scorer.commands.history import history as run_history

    with handled():
        text, found = run_history(db, department, fmt, i18n.language())
        sys.stdout.write(text)
    if not found:
        raise typer.Exit(EXIT_USER)


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
    from scorer.commands.audit import audit_files, inputs_yaml
    from scorer.render.audit_report import render

    with handled():
        if to_inputs is not None and len(tables) != 1:
            raise typer.BadParameter(t("audit.to_inputs_one"), param_hint="--to-inputs")
        plan = _files(list(tables), [rules], {"--to-inputs": to_inputs, "-o": output})
        audits, refused = audit_files(tables, rules)
        if to_inputs is not None and audits:
            _emit(inputs_yaml(audits[0]), to_inputs, plan)
        if fmt == "text" and refused:
            _to_stderr("\n".join(t("cli.error", message=str(p)) for p in refused))
        if audits or fmt == "json":
            _emit(render(audits, refused, fmt, i18n.language()), output, plan)
        if refused or any(not a.consistent for a in audits):
            raise typer.Exit(EXIT_USER)


# The web workplace: `score serve`, `score accounts add|import` (scorer/web/cli_commands.py).
from scorer.web.cli_commands import register as _web_commands  # noqa: E402

_web_commands(app, _Command, _Group, handled, _, LangOption)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"score {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("cli.opt.version"))
    ] = False,
    lang: LangOption = None,
) -> None:
    i18n.set_language(lang)  # each invocation starts from --lang, SCORE_LANG, the locale
    guard_streams()


def _only_the_command_asked() -> typer.Typer:
    """The app with only the command named on the command line, when one is (`score run …`): typer builds every
    command it holds before running one, which is most of the start. Help, completion and anything else see the
    whole app."""
    if len(sys.argv) < 2 or os.environ.get("_SCORE_COMPLETE"):
        return app
    chosen = [c for c in app.registered_commands if _command_name(c) == sys.argv[1]]
    groups = [g for g in app.registered_groups if g.name == sys.argv[1]]
    if not chosen and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands, lean.registered_groups = chosen, groups
    lean._add_completion = False  # --install-completion comes before a command's name, never after it
    return lean


def _command_name(info: typer.models.CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.lower().replace("_", "-")


def _stop(signum: int, _frame: object) -> None:
    """SIGTERM and SIGHUP end `score` as Ctrl-C does: files being written are removed, nothing half-done stays."""
    raise SystemExit(128 + signum)


def main() -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    guard_streams()
    try:
        _dispatch()
    finally:
        # The process ends now: the collection at exit need not walk what the command made (see __main__.py).
        gc.freeze()


def _dispatch() -> None:
    try:
        # Not standalone: click hands back an exit code instead of exiting, and leaves its usage errors to us.
        code = _only_the_command_asked()(prog_name="score", standalone_mode=False)
        if isinstance(code, int) and not isinstance(code, bool):
            raise SystemExit(code)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        _to_stderr(t("cli.interrupted"))
        raise SystemExit(130) from None
    except click.ClickException as exc:  # usage errors: written through the escaping stream
        try:
            if LANG == "en":
                exc.show(file=sys.stderr)
            else:
                print(_usage_error(exc), file=sys.stderr)
        except OutputError:
            _to_stderr(exc.format_message())
        raise SystemExit(exc.exit_code) from None


def _usage_error(exc: click.ClickException) -> str:
    """A usage error in the chosen language: the usage line, where to find help, and what was wrong."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage().replace("Usage: ", _("help.usage"), 1))
        lines.append(_("cli.try_help").format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    return "\n".join([*lines, t("cli.error", LANG, message=_usage_problem(exc))])


# What click says of a bad value, and the catalogue key that says it in the chosen language (the patterns are
# compiled by `re` when a usage error needs them, not at every start).
_VALUE_PROBLEMS = (
    (r"(?P<value>.*) is not one of (?P<choices>.*)\.", "cli.not_one_of"),
    (r"(?P<value>.*) is not in the range (?P<range>.*)\.", "cli.not_in_range"),
    (r"(?P<value>.*) is not a valid (?P<kind>[\w ]+)\.", "cli.not_valid"),
)


def _value_problem(message: str) -> str:
    for pattern, key in _VALUE_PROBLEMS:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            return t(key, LANG, **found.groupdict())
    return message


def _usage_problem(exc: click.ClickException) -> str:
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, MissingParameter) and exc.param is not None:
        hint = exc.param.get_error_hint(ctx) if ctx is not None else str(exc.param.name)
        return t("cli.missing_parameter", LANG, name=hint)
    if isinstance(exc, NoSuchOption):
        possible = ", ".join(sorted(exc.possibilities or ()))
        hint = t("cli.possible_options", LANG, options=possible) if possible else ""
        return t("cli.no_such_option", LANG, name=exc.option_name, hint=hint)
    if isinstance(exc, BadParameter) and exc.param is not None and ctx is not None:
        message = _value_problem(exc.message)
        return t("cli.bad_value", LANG, name=exc.param.get_error_hint(ctx), message=message)
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message, re.S)
    if extra:
        return t("cli.extra_arguments", LANG, arguments=extra[1])
    return exc.format_message()


if __name__ == "__main__":
    main()
