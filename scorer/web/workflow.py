"""The filing's workflow: a version added, submitted, returned, adjusted, accepted; each a short transaction on
the filing's row (locked while it changes), each written to the log with who and when.

Every step checks the state it starts from, and a step taken from a page checks that nothing changed since the
page was shown (`Filing.changes`): two people acting at once never undo each other's work silently. The slow part
of an upload (reading and scoring it) happens before its transaction, so that uploads from many departments
are read side by side and only stored one at a time.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from scorer.rounding import fmt
from scorer.web.library import Reading
from scorer.web.models import (
    ACCEPTED,
    OPEN,
    PAGE,
    RETURNED,
    SUBMITTED,
    Adjustment,
    Department,
    Event,
    Filing,
    Submission,
)


class Refused(Exception):
    """A step that cannot be taken from where the filing stands: `key` says why, in the catalogues."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key)
        self.key = key
        self.values = values


def log(actor: str, action: str, department: Department | None = None, year: int | None = None,
        submission: Submission | None = None, **detail: Any) -> Event:  # fmt: skip
    return Event.objects.create(
        actor=actor, action=action, department=department, year=year, submission=submission, detail=detail
    )


def filing_for(department: Department, year: int) -> Filing:
    """The department's filing for `year`, made when first needed (two requests making it at once get one)."""
    found = Filing.objects.filter(department=department, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Filing.objects.create(department=department, year=year)
    except IntegrityError:
        return Filing.objects.get(department=department, year=year)


def _locked(filing_id: int, expected: int | None) -> Filing:
    filing = Filing.objects.select_for_update().select_related("department").get(pk=filing_id)
    if expected is not None and filing.changes != expected:
        raise Refused("web.state.changed")
    return filing


def _changed(filing: Filing) -> None:
    filing.changes += 1
    filing.save()


def add_version(filing: Filing, reading: Reading, content: bytes, filename: str, kind: str, actor: str,
                on_behalf: bool = False, expected: int | None = None) -> Submission:  # fmt: skip
    """Keep an upload as the filing's next version; a readable one becomes the current version. A department
    adds versions while its filing is open or returned; the bureau's upload on its behalf is handed in at once.
    Sent from a page (`expected`: the change count it was shown with), it is refused if the filing changed since:
    a form opened before another tab's save would otherwise replace that save unseen."""
    result = reading.result
    with transaction.atomic():
        filing = _locked(filing.pk, expected)
        if not on_behalf and filing.status in (SUBMITTED, ACCEPTED):
            raise Refused("web.state.handed_in")
        if on_behalf and filing.status == ACCEPTED:
            raise Refused("web.state.accepted")
        number = (filing.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = Submission.objects.create(
            filing=filing, number=number, kind=kind, filename=filename[:255], content=content,
            size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor,
            on_behalf=on_behalf, readable=result is not None, inputs=reading.inputs,
            department_name=result.department[:200] if result else "", rules_year=result.rules_year if result else None,
            total=fmt(result.total) if result else "", grade=result.grade if result else "",
        )  # fmt: skip
        if result is not None:
            filing.current = version
            if on_behalf:
                filing.status, filing.submitted, filing.comment = SUBMITTED, version, ""
        _changed(filing)
        action = "upload" if result is not None else "upload_refused"
        log(actor, action, filing.department, filing.year, version, number=number, filename=filename,
            size=len(content), sha256=version.sha256, total=version.total, grade=version.grade,
            on_behalf=on_behalf, problems=len(reading.problems))  # fmt: skip
        if on_behalf and result is not None:
            log(actor, "submit", filing.department, filing.year, version, number=number, on_behalf=True)
    return version


def submit(filing_id: int, actor: str, expected: int | None) -> Filing:
    with transaction.atomic():
        filing = _locked(filing_id, expected)
        if filing.status not in (OPEN, RETURNED):
            raise Refused("web.state.handed_in")
        if filing.current is None:
            raise Refused("web.state.nothing_to_submit")
        _ready(filing)
        filing.status, filing.submitted = SUBMITTED, filing.current
        _changed(filing)
        log(actor, "submit", filing.department, filing.year, filing.current, number=filing.current.number)
    return filing


def _ready(filing: Filing) -> None:
    """What keeps the current version from being handed in: a row of the page form left without a score
    (scorer/web/blanks.py), or, after a return, the very inputs that were returned."""
    from scorer.web.blanks import unscored

    current, returned = filing.current, filing.submitted
    assert current is not None
    if current.kind == PAGE and unscored(current):
        raise Refused("web.state.blank_scores")
    if filing.status == RETURNED and returned is not None and _same(current, returned):
        raise Refused("web.state.unchanged")


def _same(one: Submission, other: Submission) -> bool:
    """Whether two versions state the same inputs, however written (a workbook's 3 and a form's "3" alike):
    compared as the inputs reader reads them."""
    from scorer.web.library import department_of

    if one.inputs == other.inputs:
        return True
    if not (one.readable and other.readable) or one.rules_year != other.rules_year or one.rules_year is None:
        return False
    return department_of(one.inputs, one.rules_year, "") == department_of(other.inputs, other.rules_year, "")


def return_filing(filing_id: int, actor: str, comment: str, expected: int | None) -> Filing:
    with transaction.atomic():
        filing = _locked(filing_id, expected)
        if filing.status != SUBMITTED:
            raise Refused("web.state.not_under_review")
        filing.status, filing.comment = RETURNED, comment
        filing.decided_by, filing.decided_at = actor, timezone.now()
        _changed(filing)
        log(actor, "return", filing.department, filing.year, filing.submitted, comment=comment)
    return filing


def adjust(filing_id: int, actor: str, indicator: str, points: Decimal, reason: str,
           expected: int | None) -> Adjustment:  # fmt: skip
    with transaction.atomic():
        filing = _locked(filing_id, expected)
        if filing.status != SUBMITTED or filing.submitted is None:
            raise Refused("web.state.not_under_review")
        made = Adjustment.objects.create(
            filing=filing, submission=filing.submitted, indicator=indicator, score=format(points, "f"),
            reason=reason, made_by=actor,
        )  # fmt: skip
        _changed(filing)
        log(actor, "adjust", filing.department, filing.year, filing.submitted, indicator=indicator,
            score=made.score, reason=reason)  # fmt: skip
    return made


def accept(filing_id: int, actor: str, expected: int | None) -> Filing:
    with transaction.atomic():
        filing = _locked(filing_id, expected)
        if filing.status != SUBMITTED:
            raise Refused("web.state.not_under_review")
        filing.status, filing.decided_by, filing.decided_at = ACCEPTED, actor, timezone.now()
        _changed(filing)
        log(actor, "accept", filing.department, filing.year, filing.submitted)
    return filing


def adjustments(filing: Filing) -> dict[str, tuple[Decimal, str]]:
    """The 复核调整 in force on the filing's submitted version: the latest for each row."""
    if filing.submitted_id is None:
        return {}
    found: dict[str, tuple[Decimal, str]] = {}
    for made in Adjustment.objects.filter(filing=filing, submission_id=filing.submitted_id).order_by(
        "made_at", "id"
    ):
        found[made.indicator] = (Decimal(made.score), made.reason)
    return found
