"""`score` as a process: the app with the command asked, signals, usage errors, and the exit code."""

import os
import sys

import typer

from scorer.cli.app import LANG, new_app, registered
from scorer.cli.errors import UsageProblem, to_stderr, usage_error
from scorer.cli.streams import guard_streams
from scorer.i18n import t
from scorer.sources.output import OutputError

__all__ = ["command", "main"]


def _only_the_command_asked() -> typer.Typer:
    """The app with only the command named on the command line, when one is (`score run …`): only that command's
    module is imported, and typer, which builds every command it holds before running one, builds that one. Help,
    completion and anything else see the whole app."""
    if len(sys.argv) < 2 or os.environ.get("_SCORE_COMPLETE"):
        return registered()
    app = registered(sys.argv[1])
    chosen = [c for c in app.registered_commands if _command_name(c) == sys.argv[1]]
    groups = [g for g in app.registered_groups if g.name == sys.argv[1]]
    if not chosen and not groups:
        return app
    lean = new_app(add_completion=False)  # --install-completion comes before a command's name, never after it
    lean.registered_callback = app.registered_callback
    lean.registered_commands, lean.registered_groups = chosen, groups
    return lean


def _command_name(info: typer.models.CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.lower().replace("_", "-")


def _stop(signum: int, _frame: object) -> None:
    """SIGTERM, SIGHUP and (Windows) SIGBREAK end `score` as Ctrl-C does: files being written are removed,
    nothing half-done stays. A system without one of them never sends it."""
    raise SystemExit(128 + signum)


def main() -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):  # SIGBREAK: Ctrl-Break in a Windows console
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    guard_streams()
    _dispatch()


def _dispatch() -> None:
    try:
        # Not standalone: click hands back an exit code instead of exiting, and leaves its usage errors to us.
        code = _only_the_command_asked()(prog_name="score", standalone_mode=False)
        if isinstance(code, int) and not isinstance(code, bool):
            raise SystemExit(code)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        to_stderr(t("cli.interrupted"))
        raise SystemExit(130) from None
    except typer.TyperException as exc:  # usage errors: written through the escaping stream
        problem: UsageProblem = exc  # type: ignore[assignment]  # click's errors, which typer exports as this
        try:
            if LANG == "en":
                problem.show(file=sys.stderr)
            else:
                print(usage_error(problem), file=sys.stderr)
        except OutputError:
            to_stderr(problem.format_message())
        raise SystemExit(problem.exit_code) from None


def command() -> None:
    """`score` as a process of its own: the console script and `python -m scorer`. `main` ends by raising
    SystemExit with the command's exit code; Python then ends as it always does."""
    main()
