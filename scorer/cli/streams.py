"""What stdout and stderr become while `score` runs: text from files shown as text, and a stream's faults
reported as the user's problem (exit 1), never a traceback."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from scorer.escape import plain, visible
from scorer.i18n import t
from scorer.sources.output import OutputError, _why


class SafeStream:
    """A text stream that shows control and bidi characters as visible escapes, and turns the faults of a
    closed or narrow stream into an OutputError the command line reports as a user's problem (exit 1)."""

    def __init__(self, stream: TextIO, which: str):
        self._stream = stream
        self._which = which  # "stdout" or "stderr"

    @property
    def _name(self) -> str:
        """The stream's name for a message, in the language chosen when the message is written."""
        return t("output.stdout") if self._which == "stdout" else t("output.stderr")

    def write(self, text: str) -> int:
        """Text shown as text; on stderr, where `score` writes only messages, with what is drawn as nothing shown
        as its escape too (scorer/escape.py: `plain`)."""
        return self.write_raw(plain(text) if self._which == "stderr" else visible(text))

    def write_raw(self, text: str) -> int:
        """Write text whose control codes are deliberate (a coloured table whose cells were escaped)."""
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = str(getattr(self._stream, "encoding", "?"))
            if not _shows_chinese(encoding):
                raise OutputError(t("output.cannot_encode", stream=self._name, encoding=encoding)) from None
        except (BrokenPipeError, ValueError, OSError) as exc:
            why = _why(exc) if isinstance(exc, OSError) else str(exc)
            raise OutputError(t("output.cannot_write_to", stream=self._name, why=why)) from None
        # A stream in GBK (Windows' code page 936 when output is redirected) shows Chinese but not every sign
        # (✓, ⏎, ²): those few are written as escapes (\u2713), visible, as a control character is.
        return self.write_raw(text.encode(encoding, "backslashreplace").decode(encoding))

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (BrokenPipeError, ValueError, OSError) as exc:
            raise OutputError(t("output.cannot_write_to", stream=self._name, why=str(exc))) from None

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (ValueError, OSError):
            return False

    def __getattr__(self, name: str) -> object:  # encoding, fileno, buffer… as the wrapped stream has them
        return getattr(self._stream, name)


def _shows_chinese(encoding: str) -> bool:
    try:
        "部门整体支出绩效自评表".encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def guard_streams() -> None:
    """Wrap stdout and stderr once for the life of the process. A closed stdout (`>&-`) is reported on use."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout.close()  # every write now fails, and says why
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout, "stdout")  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr, "stderr")  # type: ignore[assignment]
