"""`python -m scorer` and the `score` command.

The command line lives in `cli.py` at the project's root. An installed wheel carries it inside this package
as `scorer/cli.py` (so that no generic top-level `cli` module lands in site-packages); a checkout or an
editable install imports it from the root.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

# Importing makes a great many objects and no garbage: the collector is paused meanwhile (it would walk them all
# again and again), and what the import made is then frozen, so that later collections, and the one at exit,
# pass over it. About a sixth of `score run`'s start (benchmarks/startup.py).
gc.disable()
try:
    from scorer.cli import app, main  # an installed wheel
except ModuleNotFoundError as exc:  # pragma: no cover - depends on how the package was installed
    if exc.name != "scorer.cli":
        raise
    from cli import app, main  # a checkout
finally:
    gc.freeze()
    gc.enable()

__all__ = ["app", "command", "main"]

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


if __name__ == "__main__":
    command()
