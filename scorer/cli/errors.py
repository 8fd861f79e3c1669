"""Every error of a command as one message and an exit code: 1 for the user's files, 2 usage, 3 a bug; and
click's usage errors put in the chosen language."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import NoReturn, Protocol

import typer

from scorer.cli.app import LANG, _
from scorer.errors import Problem, RulesNotFound, UserError
from scorer.escape import visible
from scorer.i18n import language, say, t
from scorer.sources.output import OutputError

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def problem_lines(problems: Iterable[Problem]) -> str:
    """Each problem on its line, in the chosen language, as an error."""
    from scorer.render.problems import lines

    return "\n".join(t("cli.error", message=text) for text in lines(problems, language()))


def to_stderr(message: str) -> None:
    """Write a message through the escaping stream, or, where stderr cannot show it, the plainest way there is."""
    try:
        sys.stderr.write(message.rstrip() + "\n")
    except OutputError:
        plain = visible(message).encode("ascii", "backslashreplace") + b"\n"
        with suppress(OSError, ValueError, AttributeError):
            sys.__stderr__.buffer.write(plain)  # type: ignore[union-attr]


def fail(message: str, code: int) -> NoReturn:
    to_stderr(message)
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Map every error to one message and an exit code: 1 for the user's files, 2 usage, 3 a bug."""
    from scorer.engine.errors import RuleRuntimeError

    try:
        yield
    except (typer.Exit, typer.BadParameter):
        raise
    except UserError as exc:
        fail(problem_lines(exc.problems), EXIT_USER)
    except RuleRuntimeError as exc:
        fail(problem_lines([Problem(exc.location(), exc.fact)]), EXIT_USER)
    except RulesNotFound as exc:
        fail(t("cli.error", message=say(exc.fact)), EXIT_USAGE)
    except OutputError as exc:
        fail(t("cli.error", message=str(exc)), EXIT_USER)
    except KeyboardInterrupt:
        fail(t("cli.interrupted"), 130)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("SCORE_DEBUG"):
            raise
        fail(t("cli.bug", what=f"{type(exc).__name__}: {exc}"), EXIT_BUG)


class UsageProblem(Protocol):
    """What typer's usage errors (`typer.TyperException`: a missing or unknown option, a bad value, an extra
    argument) carry; which one it is shows in the attributes it has."""

    message: str
    exit_code: int

    def format_message(self) -> str: ...
    def show(self, file: object = None) -> None: ...


def usage_error(exc: UsageProblem) -> str:
    """A usage error in the chosen language: the usage line, where to find help, and what was wrong."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    # A group called with nothing (`score rules`): click's message is the group's help, shown as in English.
    if ctx is not None and exc.message == ctx.get_help():
        return exc.message
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


def _usage_problem(exc: UsageProblem) -> str:
    ctx = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    if hasattr(exc, "param_type") and param is not None:  # a required option or argument not given
        hint = param.get_error_hint(ctx) if ctx is not None else str(param.name)
        return t("cli.missing_parameter", LANG, name=hint)
    if hasattr(exc, "option_name") and hasattr(exc, "possibilities"):  # an option the command does not have
        possible = ", ".join(sorted(exc.possibilities or ()))
        hint = t("cli.possible_options", LANG, options=possible) if possible else ""
        return t("cli.no_such_option", LANG, name=exc.option_name, hint=hint)
    if isinstance(exc, typer.BadParameter) and param is not None and ctx is not None:
        message = _value_problem(exc.message)
        return t("cli.bad_value", LANG, name=param.get_error_hint(ctx), message=message)
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message, re.S)
    if extra:
        return t("cli.extra_arguments", LANG, arguments=extra[1])
    unknown = re.fullmatch(
        r"No such command (?P<name>.*?)\.(?: Did you mean (?P<like>.*)\?)?", exc.message, re.S
    )
    if unknown:
        hint = t("cli.did_you_mean", LANG, commands=unknown["like"]) if unknown["like"] else ""
        return t("cli.no_such_command", LANG, name=unknown["name"], hint=hint)
    return exc.format_message()
