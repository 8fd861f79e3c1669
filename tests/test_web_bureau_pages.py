"""The bureau's pages and downloads as the bureau reads them: indicators by their names (never their ids) on a
form shown again after an error, in the 复核清单 and in the log; the 复核清单 printable; the spring's outputs."""

from __future__ import annotations

import re

import pytest

from .webtools import account, changes, client, text, upload, workbook

NAME = "示例区政务服务数据管理局"
pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def clerk() -> object:
    return client(account("department", "clerk", NAME))


@pytest.fixture
def bureau() -> object:
    return client(account("bureau", "chief"))


def _handed_in(clerk: object) -> int:
    assert upload(clerk, workbook(NAME)).status_code == 302
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    assert clerk.post("/department/submit", {"changes": changes(page)}).status_code == 302  # type: ignore[attr-defined]
    from scorer.web.models import Filing

    return Filing.objects.get(department__name=NAME).pk


def _choices(page: object) -> list[str]:
    body = page.content.decode()  # type: ignore[attr-defined]
    form = body[body.index('name="indicator"') :]
    return re.findall(r"<option[^>]*>([^<]*)</option>", form[: form.index("</select>")])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_adjust_form_keeps_the_indicators_names_after_an_error(clerk: object, lang: str) -> None:
    bureau = client(account("bureau", "chief"), lang=lang)
    url = f"/bureau/filings/{_handed_in(clerk)}/"
    page = bureau.get(url)
    named = _choices(page)
    assert named and not any(re.fullmatch(r"[a-z_]+", n) for n in named)
    for score, reason in (("5", ""), ("11", "超过分值")):
        wrong = bureau.post(
            url + "adjust",
            {"changes": changes(page), "indicator": "budget_execution", "score": score, "reason": reason},
        )
        assert wrong.status_code == 200 and _choices(wrong) == named, text(wrong)
        assert "budget_execution" not in text(wrong)

