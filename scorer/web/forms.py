"""The forms: one file input for an upload; the bureau's return, 复核调整 and accept. Each step's form carries the
filing's change count as the page showed it (scorer/web/workflow.py refuses a step taken on a stale page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from scorer.escape import is_blank
from scorer.i18n import say, t
from scorer.numbers import NotANumber, parse_number
from scorer.web.models import Department

MAX_TEXT = 2000  # a comment or a reason: a paragraph, not a file


class _Words(forms.Form):
    """Labels from the catalogues, in the page's language, when the form is made."""

    labels: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, key in self.labels.items():
            self.fields[name].label = t(key)


class UploadForm(_Words):
    file = forms.FileField(required=False, max_length=255, allow_empty_file=True)  # kept, and said empty
    labels = {"file": "web.form.file"}


class OnBehalfForm(UploadForm):
    department = forms.ModelChoiceField(queryset=Department.objects.order_by("name"))
    kind = forms.ChoiceField(choices=[("workbook", "workbook"), ("table", "table")])
    labels = {"file": "web.form.file", "department": "web.form.department", "kind": "web.form.kind"}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("workbook", t("web.kind.workbook")), ("table", t("web.kind.table"))]


class StepForm(_Words):
    changes = forms.IntegerField(widget=forms.HiddenInput)


def _text(value: str, what: str) -> str:
    if is_blank(value or ""):
        raise forms.ValidationError(t("web.form.needs_text", what=what))
    return value.strip()


class ReturnForm(StepForm):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT, required=False)
    labels = {"comment": "web.form.comment"}

    def clean_comment(self) -> str:
        return _text(self.cleaned_data.get("comment", ""), t("web.form.comment"))


class AdjustForm(StepForm):
    indicator = forms.ChoiceField()
    score = forms.CharField(max_length=40)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT, required=False)
    labels = {"indicator": "web.form.indicator", "score": "web.form.score", "reason": "web.form.reason"}

    def __init__(self, *args: Any, rows: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ChoiceField)
        indicator.choices = rows or []

    def clean_score(self) -> Decimal:
        try:
            return parse_number(self.cleaned_data.get("score", "").strip())
        except NotANumber as exc:
            raise forms.ValidationError(say(exc.fact)) from None

    def clean_reason(self) -> str:
        return _text(self.cleaned_data.get("reason", ""), t("web.form.reason"))


def page_changes(posted: Any) -> int | None:
    """The filing's change count a department's page was shown with (its upload and fill forms carry it), to be
    checked when the form comes back; None for a file sent without a page (a script), which is not checked. A
    count that is not a number never matches."""
    sent = posted.get("changes")
    if sent is None:
        return None
    return int(sent) if isinstance(sent, str) and sent.isascii() and sent.isdigit() and len(sent) < 10 else -1
