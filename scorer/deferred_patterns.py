"""Import a library whose modules compile regular expressions at import, with each compiled on first use instead.

PyYAML compiles some thirty patterns when imported (its pure-Python reader's alone took a third of its import)
and `fractions` one more; `score` uses few of them, and most runs none. `re` compiles in Python, so each costs
the start of every command. Here the library's own `re.compile` calls hand back a stand-in that compiles its
pattern when an attribute (`match`, `sub`, …) is first read, and is the compiled pattern from then on.
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
from types import ModuleType
from typing import Any


class _Pattern:
    """A pattern compiled when first used."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, *args: Any) -> None:
        self._args = args
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile(*self._args)
        return getattr(self._compiled, name)


_compile = re.compile
_one_at_a_time = threading.RLock()  # `re.compile` is the process's own: replaced by one import at a time


def import_deferring_patterns(name: str) -> ModuleType:
    """The module `name` (a package's modules too), imported with its patterns compiled on first use; a module
    imported before is returned as it is. Meant for import time: while it runs, `re.compile` is replaced."""
    inside = name + "."

    def compile_later(pattern: Any, flags: Any = 0) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller == name or caller.startswith(inside):  # only the library's own modules
            return _Pattern(pattern, flags)
        return before(pattern, flags)

    with _one_at_a_time:
        if name in sys.modules:
            return sys.modules[name]
        before = re.compile
        re.compile = compile_later  # type: ignore[assignment]
        try:
            return importlib.import_module(name)
        finally:
            if re.compile is compile_later:  # else someone replaced it meanwhile: theirs stays
                re.compile = before
