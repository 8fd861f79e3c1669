"""Taking an upload in: every upload, whether it can be read or not, is kept as a version of the filing; one that
cannot be read, or that belongs to another department or year, is kept with its problems (worked out again, in
the reader's language, whenever it is shown), and only a readable one can be handed in.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from scorer.errors import Location, Problem
from scorer.facts import fact
from scorer.i18n import language
from scorer.inputs.model import department_key
from scorer.web import library
from scorer.web.config import UPLOAD_LIMIT
from scorer.web.models import Department, Filing, Submission
from scorer.web.workflow import add_version, filing_for, log


def folder() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def limit_text() -> str:
    return f"{UPLOAD_LIMIT // (1024 * 1024)} MB"


def refused_before_reading(request: HttpRequest, file: UploadedFile | None) -> list[Problem]:
    """An upload the server did not keep: too large (skipped as it streamed in), or no file chosen."""
    too_large = getattr(request, "too_large", None)
    if too_large is not None:
        log(request.user.get_username(), "upload_too_large", None, None, None, filename=str(too_large))
        return [Problem(Location(str(too_large)), fact("web.upload.too_large", limit=limit_text()))]
    if file is None:
        return [Problem(Location(""), fact("web.upload.no_file"))]
    return []


def identity(reading: library.Reading, name: str, department: Department, year: int | None) -> list[Problem]:
    """A readable file that speaks of another department, or of another year than the filing's."""
    result = reading.result
    if result is None:
        return []
    problems = []
    if department_key(result.department) != department.key:
        where = Location(name, reading.place("department"))
        problems.append(
            Problem(where, fact("web.upload.other_department", named=result.department, own=department.name))
        )
    if year is not None and result.year != year:
        where = Location(name, reading.place("year"))
        problems.append(Problem(where, fact("web.upload.other_year", named=result.year, year=year)))
    return problems


def take(request: HttpRequest, file: UploadedFile, kind: str, department: Department, year: int | None,
         on_behalf: bool, expected: int | None = None) -> tuple[Submission, list[Problem]]:  # fmt: skip
    """Read the upload, check it is this department's (and this year's, where `year` is given), keep it."""
    name = (file.name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return keep(request, file.read(), name, kind, department, year, on_behalf, expected)


def keep(request: HttpRequest, content: bytes, name: str, kind: str, department: Department, year: int | None,
         on_behalf: bool, expected: int | None = None) -> tuple[Submission, list[Problem]]:  # fmt: skip
    """Keep `content` as the next version of the department's filing, with what reading it found; refused when
    the page it came from was shown before the filing last changed (`expected`, scorer/web/workflow.py)."""
    reading = library.read_upload(content, name, kind, folder(), language())
    filing = filing_for(department, year if year is not None else _year_of(reading))
    problems = list(reading.problems) or identity(reading, name, department, year)
    if problems:
        reading = replace(reading, result=None, inputs="", problems=tuple(problems))
    actor = request.user.get_username()
    return add_version(filing, reading, content, name, kind, actor, on_behalf, expected), problems


def _year_of(reading: library.Reading) -> int:
    return reading.result.year if reading.result is not None else library.current_year()


def problems_of(version: Submission) -> list[Problem]:
    """Why a version could not be handed in, read again from its bytes in the current language."""
    if version.readable:
        return []
    reading = library.read_upload(
        bytes(version.content), version.filename, version.kind, folder(), language()
    )
    filing: Filing = version.filing
    found = list(reading.problems) or identity(reading, version.filename, filing.department, filing.year)
    return found or [Problem(Location(version.filename), fact("web.upload.unreadable"))]
