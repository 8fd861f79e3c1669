"""The leader's brief as PDF (`-o 简报.pdf`): the DOCX brief (scorer/batch/report/brief.py) converted by
LibreOffice, when `soffice` is on PATH; without it the command says so before any work (`missing`).

LibreOffice runs headless in a private temporary folder with a profile of its own (so that a running LibreOffice
or another conversion at the same time cannot lock or change it), on the brief's own bytes only; its output is
read back and written by the command like every other output.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from scorer.batch.report import brief
from scorer.batch.summary import Summary
from scorer.errors import Location, UserError
from scorer.facts import Fact, fact
from scorer.render.options import RenderOptions

CONVERT_SECONDS = 180
NAME = "brief"  # the document's name in the private folder


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing() -> Fact | None:
    """Why a PDF cannot be written here, or None."""
    return None if office() else fact("brief.no_office")


def render(summary: Summary, options: RenderOptions) -> bytes:
    program = office()
    if program is None:
        raise UserError.at(Location(""), fact("brief.no_office"))
    with tempfile.TemporaryDirectory(prefix="score-brief-") as folder:
        work = Path(folder)
        (work / f"{NAME}.docx").write_bytes(brief.render(summary, options))
        command = [
            program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(work / "out"), str(work / f"{NAME}.docx"),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False, cwd=work)
        except subprocess.TimeoutExpired:
            raise UserError.at(Location(""), fact("brief.office_failed")) from None
        made = work / "out" / f"{NAME}.pdf"
        if not made.is_file():
            raise UserError.at(Location(""), fact("brief.office_failed"))
        return made.read_bytes()
