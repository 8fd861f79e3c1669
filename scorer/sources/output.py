"""Writing results: atomically, never over a file the user gave us to read, and never as control codes.

`write_atomic` is how `-o FILE` writes (after the command's `FilePlan` was checked: scorer/sources/file_plan.py);
what stdout and stderr become while `score` runs is `scorer/cli/streams.py`.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from scorer.errors import Location, UserError
from scorer.facts import Message, fact, said

if TYPE_CHECKING:  # imported by the commands that write a file, not at every start
    from scorer.sources.file_plan import FilePlan


def write_atomic(path: Path, content: str | bytes, plan: FilePlan | None = None) -> None:
    """Write `content` to `path` via a temporary file and a rename, so an interrupted run leaves no half file
    (`write_streamed`, handed the whole content at once)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    write_streamed(path, lambda out: out.write(data), plan)  # a buffered file writes all it is given


def write_streamed(path: Path, fill: Callable[[BinaryIO], object], plan: FilePlan | None = None) -> None:
    """Write to `path` what `fill` writes, a piece at a time, into the file it is handed (a temporary file in the
    same folder, created anew: O_EXCL), then put it in place by a rename, so that a document is never held whole
    and an interrupted run leaves no half file.

    The path is checked against the command's `plan` (scorer/sources/file_plan.py) before anything is written
    and once more just before the rename, however long the writing took: never over an input (also through
    another name or a hard link), inside a rules folder, over another output, or over anything that is not a
    regular file (a device, a FIFO). An existing file keeps its permissions; a new one gets the usual ones (0666
    less the umask). A file written once (`FilePlan.write_once`: secrets) is readable by its owner alone (0600)
    and put in place only where nothing is, at that very moment. On any failure or interrupt the temporary file
    is removed.
    """
    plan = _planned(path, plan)
    plan.check_before_writing(path)
    where = Location(str(path))
    once = plan.is_once(path)
    target = Path(os.path.abspath(path)) if once else path.resolve()
    existing = _stat(target)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    mode = 0o600 if once else mode
    # A short temporary name: the target's own name may already be as long as the file system allows.
    temporary = target.parent / f".score-{os.urandom(6).hex()}.tmp"
    try:
        # O_BINARY: on Windows a descriptor is otherwise in text mode, and every LF of a workbook became CRLF.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(handle, "wb") as out:
            _set_mode(handle, temporary, mode)
            fill(out)
            out.flush()
            os.fsync(handle)
        plan.check_before_writing(path)  # what the path is now, not what it was when the writing began
        if once:
            _put_new(temporary, target)
        else:
            _replace(temporary, target)
    except FileExistsError as exc:  # another program made a file there while this one was written
        temporary.unlink(missing_ok=True)
        plan.check_before_writing(path)  # names it, with another name to use
        raise UserError.at(where, fact("output.cannot_write", why=_why(exc))) from None
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError.at(where, fact("output.cannot_write", why=_why(exc))) from None
    except BaseException:  # a refusal, an interrupt or a signal: leave nothing behind
        temporary.unlink(missing_ok=True)
        raise


def _planned(path: Path, plan: FilePlan | None) -> FilePlan:
    """The command's plan, or, for a caller without one, a plan that writes `path` and reads nothing."""
    from scorer.sources.file_plan import FilePlan

    return plan if plan is not None else FilePlan().write(path)


def _set_mode(handle: int, path: Path, mode: int) -> None:
    """The permissions the finished file will have. Windows before Python 3.13 has no fchmod; its chmod sets
    only the read-only flag, which a file being written must not have, so there is nothing to set there."""
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    elif mode & stat.S_IWUSR:
        os.chmod(path, mode)


# Windows refuses to replace a file another program holds open (Excel, WPS, a viewer, a virus scanner): access
# denied (5), a sharing (32) or lock (33) violation. A scanner lets go within moments; Excel does not.
_IN_USE = (5, 32, 33)
_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


class FileInUse(PermissionError):
    """The target stayed open in another program while `score` waited to replace it."""


def _replace(temporary: Path, target: Path) -> None:
    """Put the finished file in place by a rename, waiting a little for a program that holds the target open."""
    for pause in (*_RETRIES, None):
        try:
            os.replace(temporary, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in _IN_USE or not target.exists():
                raise
            if pause is None:
                raise FileInUse(*exc.args) from None
            time.sleep(pause)


def _put_new(temporary: Path, target: Path) -> None:
    """Give the finished file its name only if nothing has it: a hard link fails where any file or link is
    (POSIX); a rename does so on Windows."""
    if os.name == "nt":
        os.rename(temporary, target)
        return
    os.link(temporary, target, follow_symlinks=False)
    temporary.unlink()


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _why(exc: OSError) -> Message:
    if isinstance(exc, FileInUse):
        return fact("output.in_use")
    if exc.errno == errno.ENOSPC:
        return fact("output.disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return fact("output.permission_denied")
    if exc.errno == errno.ENAMETOOLONG:
        return fact("output.name_too_long")
    return said(exc.strerror or str(exc))


class OutputError(Exception):
    """Standard output cannot take what `score` writes: closed, a broken pipe, or no way to encode Chinese."""


class AtomicWriter:
    """A file written a piece at a time (a batch's JSON Lines), then put in place by a rename; on `discard()`,
    or when the process is interrupted, nothing is left behind. The same checks as `write_atomic`."""

    def __init__(self, path: Path, plan: FilePlan | None = None):
        self.plan = _planned(path, plan)
        self.plan.check_before_writing(path)
        self.path = path
        self.target = path.resolve()
        existing = _stat(self.target)
        self.mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
        self.temporary = self.target.parent / f".score-{os.urandom(6).hex()}.tmp"
        try:
            self.handle = open(self.temporary, "x", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as exc:
            raise UserError.at(Location(str(path)), fact("output.cannot_write", why=_why(exc))) from None

    def write(self, text: str) -> None:
        try:
            self.handle.write(text)
        except OSError as exc:
            self.discard()
            raise UserError.at(Location(str(self.path)), fact("output.cannot_write", why=_why(exc))) from None

    def finish(self) -> None:
        try:
            self.handle.flush()
            _set_mode(self.handle.fileno(), self.temporary, self.mode)
            os.fsync(self.handle.fileno())
            self.handle.close()
            self.plan.check_before_writing(self.path)  # what the path is now, after the whole batch
            _replace(self.temporary, self.target)
        except UserError:
            self.discard()
            raise
        except OSError as exc:
            self.discard()
            raise UserError.at(Location(str(self.path)), fact("output.cannot_write", why=_why(exc))) from None

    def discard(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)
