"""`score` as a process: the app with the command asked, signals, usage errors, and the exit code.

Importing makes a great many objects and no garbage: the collector is paused meanwhile (it would walk them all
again and again), and what the import made is then frozen, so that later collections, and the one at exit,
pass over it. About a sixth of `score run`'s start (benchmarks/startup.py).
"""

import gc

gc.disable()
try:
    import atexit
    import copy
    import os
    import sys

    import typer
    from typer import _click as click

    from scorer.cli.app import LANG, registered
    from scorer.cli.errors import to_stderr, usage_error
    from scorer.cli.streams import guard_streams
    from scorer.i18n import t
    from scorer.sources.output import OutputError

    app = registered()
finally:
    gc.freeze()
    gc.enable()

__all__ = ["app", "command", "main"]


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
        to_stderr(t("cli.interrupted"))
        raise SystemExit(130) from None
    except click.ClickException as exc:  # usage errors: written through the escaping stream
        try:
            if LANG == "en":
                exc.show(file=sys.stderr)
            else:
                print(usage_error(exc), file=sys.stderr)
        except OutputError:
            to_stderr(exc.format_message())
        raise SystemExit(exc.exit_code) from None


_exit_code: list[int] = []  # set once the command has ended with an exit code


def command() -> None:
    """`score` as a process of its own: the console script and `python -m scorer`, which do nothing after it
    (`main` is the command line for a program that goes on). Once the command has ended and every other exit
    handler has run, the process ends with the command's exit code, without the interpreter's teardown, which
    frees every object the command made one by one: a tenth of `score run` (benchmarks/startup.py)."""
    _exit_code.clear()
    # Only when no exit handler came before (a coverage tool or a profiler started with the interpreter):
    # handlers run last-registered first, and one registered before this would be skipped.
    handlers = getattr(atexit, "_ncallbacks", None)
    if handlers is not None and handlers() == 0:
        atexit.register(_end_at_once)
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):  # a message as the code: Python prints it, exit 1
            _exit_code.append(exc.code or 0)
        raise
    _exit_code.append(0)


def _end_at_once() -> None:
    # An exception nobody caught (Python has printed it, and keeps it as `sys.last_value`): Python ends as it
    # always does, with its own exit code.
    if not _exit_code or hasattr(sys, "last_value"):
        return
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except Exception:  # a closed pipe, a full disk: the interpreter's own ending reports it as it always did
        return
    os._exit(_exit_code[0])
