"""Writing results: atomically, and never over a file the user gave us to read."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import Location, UserError


def write_atomic(path: Path, text: str, protected: Iterable[Path] = ()) -> None:
    """Write `text` to `path` via a temporary file and a rename, so an interrupted run leaves no half file.

    Refuses to write over any file in `protected` (the inputs file) or inside a protected folder (the rules).
    """
    target = path.resolve()
    for keep in protected:
        keep = keep.resolve()
        if target == keep or (keep.is_dir() and keep in target.parents):
            what = "the rules folder" if keep.is_dir() else "an input file"
            raise UserError.at(
                Location(str(path)), f"refusing to write over {what} ({keep}); choose another -o"
            )
    if target.is_dir():
        raise UserError.at(Location(str(path)), "is a folder; give a file name to -o")
    if not target.parent.is_dir():
        raise UserError.at(Location(str(path)), f"the folder {target.parent} does not exist")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
