"""The `score` app: the language of its words, its help, the options the commands share, and the list of
command modules (one a command) that register themselves on it.

The annotations here are evaluated where they are written (no `from __future__ import annotations`): typer reads
a command's parameters from them, and would otherwise evaluate each as text twice per function at every start.
"""

import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import Annotated, Literal

import typer

from scorer import i18n
from scorer.cli.streams import guard_streams
from scorer.i18n import t
from scorer.version import __version__


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
    "Install completion for the current shell.": "help.install_completion",
    "Show completion for the current shell, to copy it or customize the installation.": "help.show_completion",
}


def _translated(text: str) -> str:
    if LANG == "en":
        return text
    for english, key in _HELP_WORDS.items():
        text = text.replace(english, _(key))
    return text


# click's help formatter, which typer offers as its Context's `formatter_class` (no module of typer's names it).
class _Formatter(typer.Context.formatter_class):  # type: ignore[misc, valid-type]
    """Help written with typer's words in the chosen language. They are put in before the help is wrapped to the
    terminal's width: once wrapped, "[default: results.sqlite]" may stand on two lines and stay English."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _translated(prefix if prefix is not None else "Usage: "))

    def write_heading(self, heading: str) -> None:
        super().write_heading(_translated(heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _translated(text)) for term, text in rows], col_max, col_spacing)


class _Context(typer.Context):
    formatter_class = _Formatter


class _Command(typer.core.TyperCommand):
    """Usage lines as people read them (`score run [OPTIONS] INPUTS`, not `{INPUTS}`), in the chosen language."""

    context_class = _Context

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [piece.strip("{}") for piece in super().collect_usage_pieces(ctx)]


class _Group(typer.core.TyperGroup):
    context_class = _Context


def new_app(add_completion: bool = True) -> typer.Typer:
    """The `score` app, empty: its commands and options are registered on it."""
    return typer.Typer(
        name="score",
        cls=_Group,
        no_args_is_help=True,
        add_completion=add_completion,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain usage errors: one line a person or a CI log can read
        context_settings={"help_option_names": ["-h", "--help"]},
        help=_("cli.app"),
    )


app = new_app()


# The choices of --format and --lang, as literal types (typer offers them as choices; an Enum class each would
# be built at every start).
Format = Literal["table", "json", "markdown", "xlsx"]
LintFormat = Literal["text", "json"]
DiffFormat = Literal["text", "markdown"]
AuditFormat = Literal["text", "json", "xlsx", "csv", "markdown"]
Language = Literal["zh", "en"]


def _set_language(value: Language | None) -> Language | None:
    if value is not None:
        i18n.set_language(value)
    return value


InputsArgument = Annotated[
    Path, typer.Argument(help=_("cli.arg.inputs"), show_default=False, metavar="INPUTS")
]
RulesOption = Annotated[
    str | None, typer.Option("--rules", "-r", help=_("cli.opt.rules"), metavar="YEAR|ID/YEAR|FOLDER")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help=_("cli.opt.output"), dir_okay=False, metavar="FILE")
]
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help=_("cli.opt.lang"), callback=_set_language, is_eager=True, metavar="zh|en"),
]


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


# The modules of the commands, in the order `score --help` lists them: importing one registers its command (or
# commands) on `app`. A new command is a module `scorer/cli/<command>.py` calling one library function, and
# its name here; a command that lives in another package (the web layer's `serve`, `accounts`) is listed by
# its full module name.
COMMANDS: tuple[str, ...] = (
    "scorer.cli.run",
    "scorer.cli.report",
    "scorer.cli.lint",
    "scorer.cli.explain",
    "scorer.cli.test",
    "scorer.cli.diff",
    "scorer.cli.schema",
    "scorer.cli.template",
    "scorer.cli.rules",
    "scorer.cli.batch",
    "scorer.cli.history",
    "scorer.cli.audit",
    "scorer.cli.serve",
    "scorer.cli.accounts",
)


def registered(asked: str | None = None) -> typer.Typer:
    """The app with its commands registered: only the command `asked` where a module of that name holds it (a
    module is named after its command, so `score run` imports no other command's module), else every one."""
    for module in [name for name in COMMANDS if name.rpartition(".")[2] == asked] or COMMANDS:
        import_module(module)
    return app
