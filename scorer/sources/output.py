"""Writing results: atomically, never over a file the user gave us to read, and never as control codes.

`write_atomic` is how `-o FILE` writes (after the command's `FilePlan` was checked: scorer/sources/file_plan.py);
`SafeStream` is what stdout and stderr become while `score` runs.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scorer.errors import Location, UserError
from scorer.escape import visible
from scorer.i18n import t

if TYPE_CHECKING:  # imported by the commands that write a file, not at every start
    from scorer.sources.file_plan import FilePlan


def write_atomic(path: Path, content: str | bytes, plan: FilePlan | None = None) -> None:
    """Write `content` to `path` via a temporary file and a rename, so an interrupted run leaves no half file.

    The path is checked against the command's `plan` (scorer/sources/file_plan.py) once more first: never over an input
    (also through another name or a hard link), inside a rules folder, over another output, or over anything
    that is not a regular file (a device, a FIFO). An existing file keeps its permissions; a new one gets the
    usual ones (0666 less the umask).
    """
    _planned(path, plan).check_before_writing(path)
    where = Location(str(path))
    target = path.resolve()
    existing = _stat(target)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    # A short temporary name: the target's own name may already be as long as the file system allows.
    temporary = target.parent / f".score-{os.urandom(6).hex()}.tmp"
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(handle, mode)
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError.at(where, t("output.cannot_write", why=_why(exc))) from None
    except BaseException:  # an interrupt or a signal: leave nothing behind
        temporary.unlink(missing_ok=True)
        raise


def _planned(path: Path, plan: FilePlan | None) -> FilePlan:
    """The command's plan, or, for a caller without one, a plan that writes `path` and reads nothing."""
    from scorer.sources.file_plan import FilePlan

    return plan if plan is not None else FilePlan().write(path)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return t("output.disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return t("output.permission_denied")
    if exc.errno == errno.ENAMETOOLONG:
        return t("output.name_too_long")
    return exc.strerror or str(exc)


class OutputError(Exception):
    """Standard output cannot take what `score` writes: closed, a broken pipe, or no way to encode Chinese."""


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
        return self.write_raw(visible(text))

    def write_raw(self, text: str) -> int:
        """Write text whose control codes are deliberate (a coloured table whose cells were escaped)."""
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", "?")
            raise OutputError(t("output.cannot_encode", stream=self._name, encoding=str(encoding))) from None
        except (BrokenPipeError, ValueError, OSError) as exc:
            why = _why(exc) if isinstance(exc, OSError) else str(exc)
            raise OutputError(t("output.cannot_write_to", stream=self._name, why=why)) from None

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


def guard_streams() -> None:
    """Wrap stdout and stderr once for the life of the process. A closed stdout (`>&-`) is reported on use."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout.close()  # every write now fails, and says why
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout, "stdout")  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr, "stderr")  # type: ignore[assignment]


class AtomicWriter:
    """A file written a piece at a time (a batch's JSON Lines), then put in place by a rename; on `discard()`,
    or when the process is interrupted, nothing is left behind. The same checks as `write_atomic`."""

    def __init__(self, path: Path, plan: FilePlan | None = None):
        _planned(path, plan).check_before_writing(path)
        self.path = path
        self.target = path.resolve()
        existing = _stat(self.target)
        self.mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
        self.temporary = self.target.parent / f".score-{os.urandom(6).hex()}.tmp"
        try:
            self.handle = open(self.temporary, "x", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as exc:
            raise UserError.at(Location(str(path)), t("output.cannot_write", why=_why(exc))) from None

    def write(self, text: str) -> None:
        try:
            self.handle.write(text)
        except OSError as exc:
            self.discard()
            raise UserError.at(Location(str(self.path)), t("output.cannot_write", why=_why(exc))) from None

    def finish(self) -> None:
        try:
            self.handle.flush()
            os.fchmod(self.handle.fileno(), self.mode)
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.discard()
            raise UserError.at(Location(str(self.path)), t("output.cannot_write", why=_why(exc))) from None

    def discard(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)
