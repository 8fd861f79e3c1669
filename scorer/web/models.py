"""The workflow's state: departments and accounts, each department's filing for a year, every upload kept as a
version, the bureau's 复核调整, and the log of every action.

Scores are not kept as numbers the database could round: a submission keeps the file's bytes and the inputs the
file states (as JSON data, `scorer/web/stored.py`), and is scored again by the engine whenever it is shown; a
total is kept as text only to list filings quickly. Exact values stay `Decimal`s written as text.

What may never change is guarded twice: the models refuse to update or delete it, and the database itself refuses
(triggers made by migration 0002), so that neither a bug nor a hand-written query can rewrite the record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from scorer.web.states import (  # noqa: F401  (the names the rest of the web layer imports from here)
    ACCEPTED,
    BUREAU,
    DEPARTMENT,
    KIND_NAMES,
    OPEN,
    PAGE,
    RETURNED,
    STATE_NAMES,
    SUBMITTED,
    TABLE,
    WORKBOOK,
)

ROLES = [(BUREAU, BUREAU), (DEPARTMENT, DEPARTMENT)]
STATES = [(state, state) for state in STATE_NAMES]
KINDS = [(kind, kind) for kind in KIND_NAMES]


class Department(models.Model):
    name = models.CharField(max_length=200)
    key = models.CharField(
        max_length=200, unique=True
    )  # department_key(name): one department, however spelled
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account")
    role = models.CharField(max_length=20, choices=ROLES)
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="accounts")
    must_change_password = models.BooleanField(default=False)  # a one-time password: changed at first login

    @property
    def is_bureau(self) -> bool:
        return self.role == BUREAU


class Filing(models.Model):
    """A department's self-evaluation for one year, and where it stands."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="filings")
    year = models.IntegerField()
    status = models.CharField(max_length=20, choices=STATES, default=OPEN)
    current = models.ForeignKey(  # the latest version that could be read: what "submit" hands in
        "Submission", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted = models.ForeignKey(  # the version handed in (under review, returned or accepted)
        "Submission", null=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)  # the bureau's words when it last returned the filing
    decided_by = models.CharField(max_length=150, blank=True)  # who accepted or returned it
    decided_at = models.DateTimeField(null=True)
    changes = models.IntegerField(default=0)  # counts every change: a form made before one is refused

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="one_filing_a_year")]


class Submission(models.Model):
    """One upload (or one save of the form on the page), kept for good: the bytes as they came."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="versions")
    number = models.IntegerField()  # 1, 2, … within its filing
    kind = models.CharField(max_length=20, choices=KINDS)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.IntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    on_behalf = models.BooleanField(default=False)  # handed to the bureau by another route
    uploaded_at = models.DateTimeField(default=timezone.now)
    readable = models.BooleanField(default=False)  # read and scored; else its problems are shown when viewed
    inputs = models.TextField(blank=True)  # the inputs it states, as JSON data (scorer/web/stored.py)
    department_name = models.CharField(max_length=200, blank=True)  # as the file writes it
    rules_year = models.IntegerField(null=True)
    total = models.CharField(max_length=40, blank=True)  # the department's own total, exactly, as text
    grade = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="one_number_a_version")]
        ordering = ["filing", "number"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("a version is kept as it came; it is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("a version is kept for good")


class Adjustment(models.Model):
    """复核调整: the bureau's score for one row of a submitted version, with its reason. The department's own
    score stays in its version; the re-scored result puts this one in its place (the engine's override)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="adjustments")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="adjustments")
    indicator = models.CharField(max_length=100)
    score = models.CharField(max_length=40)  # exact, as text
    reason = models.TextField()
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("an adjustment is kept as made; a later one takes its place")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("an adjustment is kept for good")


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise ValueError("the log is append-only")

    def delete(self) -> Any:
        raise ValueError("the log is append-only")


class Event(models.Model):
    """One line of the append-only log: who did what, when, to which filing."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150)  # a login, or "" for the command line
    action = models.CharField(max_length=40)
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    year = models.IntegerField(null=True)
    submission = models.ForeignKey(Submission, null=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("the log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("the log is append-only")
