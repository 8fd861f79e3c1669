"""Nobody where they don't belong, nothing lost: every page and download of the web workplace for every kind of
visitor (by URL tampering too), the log and the versions kept for good, and uploads from many threads at once."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from .webtools import PASSWORD, account, changes, client, text, upload, workbook

OURS, THEIRS = "示例区财政局", "示例区审计局"


@pytest.fixture
def district(db: None) -> dict[str, Any]:
    """Two departments, each with a version handed in, and the bureau."""
    ours = client(account("department", "ours", OURS))
    theirs = client(account("department", "theirs", THEIRS))
    for browser, name in ((ours, OURS), (theirs, THEIRS)):
        assert upload(browser, workbook(name)).status_code == 302
        assert (
            browser.post("/department/submit", {"changes": changes(browser.get("/department/"))}).status_code
            == 302
        )
    from scorer.web.models import Filing, Submission

    filing = Filing.objects.get(department__name=THEIRS)
    version = Submission.objects.get(filing=filing)
    urls = {
        "version": f"/versions/{version.pk}/",
        "original": f"/versions/{version.pk}/original",
        "xlsx": f"/versions/{version.pk}/document.xlsx",
        "docx": f"/versions/{version.pk}/document.docx",
        "checked": f"/versions/{version.pk}/document.xlsx?checked=1",
    }
    bureau = {
        "overview": "/bureau/",
        "filing": f"/bureau/filings/{filing.pk}/",
        "ranking": "/bureau/ranking",
        "log": "/bureau/log",
        "on_behalf": "/bureau/upload",
        "summary": "/bureau/export/summary.xlsx",
        "review": "/bureau/export/review.xlsx",
        "tables": "/bureau/export/tables.zip",
        "brief": "/bureau/export/brief.docx",
    }
    steps = {name: f"/bureau/filings/{filing.pk}/{name}" for name in ("return", "adjust", "accept")}
    chief = client(account("bureau", "chief"))
    return {"ours": ours, "chief": chief, "theirs_urls": urls, "bureau_urls": bureau, "steps": steps,
            "filing": filing, "version": version}  # fmt: skip


def test_another_departments_versions_and_downloads_are_not_found(district: dict[str, Any]) -> None:
    ours = district["ours"]
    for name, url in district["theirs_urls"].items():
        answer = ours.get(url)
        assert answer.status_code == 404, name
        assert THEIRS not in answer.content.decode() and "找不到此页面" in text(answer)
    from scorer.web.models import Submission

    for number in range(1, Submission.objects.order_by("-pk").first().pk + 20):  # type: ignore[union-attr]
        answer = ours.get(f"/versions/{number}/original")
        owner = (
            Submission.objects.filter(pk=number).values_list("filing__department__name", flat=True).first()
        )
        assert answer.status_code == (200 if owner == OURS else 404), number


def test_the_bureaus_pages_and_steps_refuse_a_department(district: dict[str, Any]) -> None:
    ours = district["ours"]
    for name, url in district["bureau_urls"].items():
        answer = ours.get(url)
        assert answer.status_code == 403 and "无权访问" in text(answer), name
        assert THEIRS not in answer.content.decode()
    for name, url in district["steps"].items():
        answer = ours.post(
            url, {"changes": 0, "comment": "x", "indicator": "budget_execution", "score": "0", "reason": "x"}
        )
        assert answer.status_code == 403, name
    assert district["filing"].__class__.objects.get(pk=district["filing"].pk).status == "submitted"


def test_signed_out_visitors_are_sent_to_sign_in(district: dict[str, Any]) -> None:
    anonymous = client()
    every = [*district["theirs_urls"].values(), *district["bureau_urls"].values(), "/department/",
             "/department/workbook.xlsx"]  # fmt: skip
    for url in every:
        answer = anonymous.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/login/"), url
    assert anonymous.post("/department/upload").status_code == 302
    assert anonymous.post(district["steps"]["accept"], {"changes": 0}).status_code == 302


def test_the_bureau_sees_every_page_and_download(district: dict[str, Any]) -> None:
    chief = district["chief"]
    for name, url in {**district["theirs_urls"], **district["bureau_urls"]}.items():
        assert chief.get(url).status_code == 200, name
    for url in ("/department/", "/department/workbook.xlsx", "/department/fill"):
        assert chief.get(url).status_code == 403, url  # the department's pages are its own


def test_an_account_without_a_role_and_unknown_addresses_get_pages_not_errors(db: None) -> None:
    from django.contrib.auth.models import User

    stranger = client(User.objects.create_user("stranger", password=PASSWORD))
    for url in ("/", "/department/", "/bureau/", "/versions/1/"):
        assert stranger.get(url).status_code == 403, url
    ours = client(account("department", "ours", OURS))
    for url in ("/versions/999999999999999999999/", "/nowhere", "/versions/1/document.exe", "/versions/-1/"):
        answer = ours.get(url)
        assert answer.status_code == 404 and "找不到此页面" in text(answer), url


def test_forms_without_their_token_are_refused_with_a_page(db: None) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(account("department", "ours", OURS))
    answer = strict.post("/department/submit", {"changes": 0})
    assert answer.status_code == 403 and "页面已过期" in text(answer)


def test_a_department_never_signs_in_with_a_wrong_password_and_changes_a_one_time_one(db: None) -> None:
    from scorer.web.accounts import add_account

    made = add_account("department", "fresh", None, OURS)
    browser = client()
    wrong = browser.post("/login/", {"username": "fresh", "password": "guess"})
    assert wrong.status_code == 200 and "登录名或密码不正确" in text(wrong)
    signed_in = browser.post("/login/", {"username": "fresh", "password": made.password})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert browser.get("/department/")["Location"] == "/password/"  # nothing else until it is changed
    changed = browser.post("/password/", {"old_password": made.password, "new_password1": "Another-pw-2024",
                                          "new_password2": "Another-pw-2024"})  # fmt: skip
    assert changed.status_code == 302 and browser.get("/department/").status_code == 200


def test_the_log_versions_and_adjustments_cannot_be_changed_even_by_hand(district: dict[str, Any]) -> None:
    from django.db import DatabaseError, connection, transaction

    from scorer.web.models import Event

    chief, filing = district["chief"], district["filing"]
    page = chief.get(f"/bureau/filings/{filing.pk}/")
    adjusted = {"changes": changes(page), "indicator": "budget_execution", "score": "9", "reason": "复核"}
    assert chief.post(f"/bureau/filings/{filing.pk}/adjust", adjusted).status_code == 302
    event = Event.objects.first()
    assert event is not None
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        Event.objects.all().delete()
    with pytest.raises(ValueError, match="kept"):
        district["version"].save()
    for statement in ("UPDATE scoreweb_event SET actor = 'x'", "DELETE FROM scoreweb_event",
                      "UPDATE scoreweb_submission SET filename = 'x'", "DELETE FROM scoreweb_submission",
                      "DELETE FROM scoreweb_adjustment"):  # fmt: skip
        with (
            pytest.raises(DatabaseError, match="kept for good"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    actions = {e.action for e in Event.objects.all()}
    assert {"account_add", "upload", "submit", "adjust"} <= actions
    log = text(district["chief"].get("/bureau/log"))
    assert "提交" in log and "上传" in log and "ours" in log


def test_uploads_from_many_departments_at_once_are_each_kept_once_and_never_mixed(site: object) -> None:
    """Committed for real (threads have their own connections): every thread's departments are its own."""
    names = [f"并发测试局{i:02d}" for i in range(8)]
    browsers = [client(account("department", f"concurrent{i:02d}", name)) for i, name in enumerate(names)]
    books = {name: workbook(name) for name in names}
    failures: list[str] = []

    def hand_in(browser: Any, name: str) -> None:
        from django.db import connection

        try:
            for _ in range(3):
                answer = upload(browser, books[name])
                if answer.status_code != 302:
                    failures.append(f"{name}: {answer.status_code}")
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_in, args=pair) for pair in zip(browsers, names, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    from scorer.web.models import Submission

    for name in names:
        kept = list(Submission.objects.filter(filing__department__name=name).order_by("number"))
        assert [v.number for v in kept] == [1, 2, 3]
        assert all(v.department_name == name and bytes(v.content) == books[name] for v in kept)


def test_one_department_uploading_from_many_threads_gets_numbered_versions(site: object) -> None:
    user = account("department", "busy", "并发测试局同一")
    content = workbook("并发测试局同一")
    results: list[int] = []

    def once() -> None:
        from django.db import connection

        try:
            results.append(upload(client(user), content).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=once) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from scorer.web.models import Submission

    numbers = sorted(
        Submission.objects.filter(filing__department__name="并发测试局同一").values_list("number", flat=True)
    )
    assert results == [302] * 10 and numbers == list(range(1, 11))


def test_the_page_says_who_is_signed_in_and_escapes_the_departments_name(db: None) -> None:
    name = "示例区<i>局</i>&amp;"
    browser = client(account("department", "odd", name))
    page = browser.get("/department/").content.decode()
    assert "&lt;i&gt;局&lt;/i&gt;&amp;amp;" in page and "<i>局" not in page
    assert re.search(r"Content-Security-Policy", str(browser.get("/department/").headers))
