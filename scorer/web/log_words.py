"""The log's details in the reader's words: "第 4 版 · 3 条问题 · 指标：部门预算资金支出率 · 调为 2", never the
stored keys (`number: 4 … on_behalf: False`) or an indicator's id. What users wrote (file names, comments,
reasons) is a value here: the page escapes it as it escapes every value."""

from __future__ import annotations

from typing import Any

from scorer.errors import RulesNotFound, UserError
from scorer.i18n import t

# Each stored key, in the order a reader wants them; a key not listed (from an older version) is shown as stored.
ORDER = ("on_behalf", "number", "filename", "total", "grade", "problems", "indicator", "score", "reason",
         "comment", "login", "role", "made", "size", "sha256")  # fmt: skip
WORDS = {
    "number": "web.detail.number", "filename": "web.detail.filename", "total": "web.detail.total",
    "grade": "web.detail.grade", "problems": "web.detail.problems", "indicator": "web.detail.indicator",
    "score": "web.detail.score", "reason": "web.detail.reason", "comment": "web.detail.comment",
    "login": "web.detail.login", "made": "web.detail.made", "size": "web.detail.size", "sha256": "web.detail.sha256",
}  # fmt: skip


def worded(event: Any, lang: str) -> list[str]:
    """One short phrase for each detail of `event` worth reading, in `lang`."""
    detail: dict[str, Any] = event.detail if isinstance(event.detail, dict) else {}
    phrases: list[str] = []
    for key in sorted(detail, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER)):
        value = detail[key]
        if key == "on_behalf":
            phrases += [t("web.detail.on_behalf", lang)] if value is True else []
        elif key == "role":
            phrases.append(
                t("web.detail.role_bureau" if value == "bureau" else "web.detail.role_department", lang)
            )
        elif key == "problems" and not value:
            continue
        elif key == "indicator":
            phrases.append(t("web.detail.indicator", lang, value=indicator_name(event, str(value), lang)))
        elif key == "sha256":
            phrases.append(t("web.detail.sha256", lang, value=str(value)[:12] + "…"))
        elif key in WORDS and value not in ("", None):
            phrases.append(t(WORDS[key], lang, value=value))
        elif key not in WORDS and key not in ORDER:
            phrases.append(f"{key}: {value}")
    return phrases


def indicator_name(event: Any, indicator: str, lang: str) -> str:
    """The indicator as the version's rules name it; its id where they cannot be found."""
    from scorer.web import library

    year = getattr(event.submission, "rules_year", None) if event.submission_id else None
    if year is None:
        return indicator
    try:
        rules = library.rules_for(year)
    except (RulesNotFound, UserError):  # a year's rules no longer installed: the log still shows the id
        return indicator
    found = next((i for i in rules.indicators if i.id == indicator), None)
    if found is None:
        return indicator
    return found.name_en if lang == "en" and found.name_en else found.title
