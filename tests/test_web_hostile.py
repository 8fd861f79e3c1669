"""Hostile uploads and requests against the web workplace, each class pinned by what the page says: a zip that
unpacks to gigabytes or lies about its sizes, XML entities, hostile file names, forged addresses and forms, and
two languages at once. Never a server error, never a traceback, never text from a file acting on the page."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from collections.abc import Callable

import pytest

from .webtools import account, changes, client, text, upload, workbook

NAME = "示例区财政局"


@pytest.fixture
def clerk(db: None) -> object:
    return client(account("department", "clerk", NAME))


def _patched(member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The department's workbook with one member of the zip changed."""
    source = zipfile.ZipFile(io.BytesIO(workbook(NAME)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for item in source.infolist():
            data = source.read(item.filename)
            made.writestr(item, change(data) if item.filename == member else data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet2.xml"  # the 指标 sheet
PADDING = 200 * 1024 * 1024  # unpacked; a few hundred kilobytes packed


def _padded(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b" " * PADDING + b"</sheetData>", 1)


def _lying(content: bytes) -> bytes:
    """The same zip, its padded member claiming 50 KB in both of its headers."""
    import struct

    raw = bytearray(content)
    name = SHEET.encode()
    at = raw.find(name)
    while at >= 0:
        if raw[at - 30 : at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", raw, at - 30 + 22, 50_000)
        elif raw[at - 46 : at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", raw, at - 46 + 24, 50_000)
        at = raw.find(name, at + 1)
    return bytes(raw)


def test_a_zip_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_unpacked(clerk: object) -> None:
    bomb = _patched(SHEET, _padded)
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    answer = upload(clerk, bomb, "bomb.xlsx")
    assert time.monotonic() - started < 5
    assert "bomb.xlsx: 解压后超过 16 MB" in text(answer)


def test_a_zip_that_lies_about_its_sizes_is_refused_as_damaged(clerk: object) -> None:
    liar = _lying(_patched(SHEET, _padded))
    started = time.monotonic()
    answer = upload(clerk, liar, "liar.xlsx")
    assert time.monotonic() - started < 5
    assert "liar.xlsx: 此工作簿已损坏" in text(answer)


ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
    b'<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
)


@pytest.mark.parametrize("entity", [b"&h;", b"&secret;"])
def test_xml_entities_neither_expand_nor_read_files(clerk: object, entity: bytes) -> None:
    def inject(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        cell = b'<row r="300"><c r="K300" t="inlineStr"><is><t>' + entity + b"</t></is></c></row>"
        return ENTITIES + body.replace(b"</sheetData>", cell + b"</sheetData>", 1)

    answer = upload(clerk, _patched(SHEET, inject), "entities.xlsx")
    seen = text(answer)
    assert "文件未能读取" in seen and "entities.xlsx: " in seen and "root:" not in seen


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\clerk\\自评.xlsx", "自评.xlsx"),
        ('<img src=x onerror=alert(1)>".xlsx', '<img src=x onerror=alert(1)>".xlsx'),
    ],
)
def test_a_file_name_is_data_on_the_page_and_in_the_download(clerk: object, sent: str, stored: str) -> None:
    assert upload(clerk, workbook(NAME), sent).status_code == 302
    from scorer.web.models import Submission

    version = Submission.objects.get(filing__department__name=NAME)
    assert version.filename == stored
    page = clerk.get("/department/").content.decode()  # type: ignore[attr-defined]
    assert "<img src=x" not in page
    download = clerk.get(f"/versions/{version.pk}/original")  # type: ignore[attr-defined]
    disposition = download["Content-Disposition"]
    assert (
        "\n" not in disposition and "/" not in disposition.split("filename", 1)[1] and "<" not in disposition
    )


def test_a_department_name_that_is_not_one_line_of_text_gets_no_account(db: None) -> None:
    from scorer.errors import UserError
    from scorer.web.accounts import add_account

    for name in ("财政局\r\n审计局", "财政\x1b[31m局", "财政局\u202e"):
        with pytest.raises(UserError, match="line break or a control character|换行或控制字符"):
            add_account("department", "odd", None, name)


def test_forged_requests_get_pages_not_errors(clerk: object) -> None:
    too_many = clerk.post("/department/submit", {f"field{i}": "x" for i in range(3000)})  # type: ignore[attr-defined]
    assert too_many.status_code == 400 and "请求无法处理" in text(too_many)
    chief = client(account("bureau", "chief"))
    for url in ("/bureau/ranking?year=1901", "/bureau/ranking?year=２０２２", "/bureau/?year=abc&q=" + "x" * 5000,
                "/bureau/log?page=-1", "/bureau/log?page=abc", "/bureau/export/summary.xlsx?year=99999"):  # fmt: skip
        assert chief.get(url).status_code == 200, url
    for method in ("put", "delete", "patch"):
        assert getattr(clerk, method)("/department/upload").status_code == 405


def test_signing_in_never_leads_elsewhere(db: None) -> None:
    account("department", "clerk", NAME)
    for target in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)"):
        answer = client().post(
            "/login/", {"username": "clerk", "password": "Tr1cky-enough-pw", "next": target}
        )
        assert answer.status_code == 302 and answer["Location"] == "/", target


def test_adjustments_read_numbers_as_the_inputs_do(clerk: object) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302
    assert (
        clerk.post("/department/submit", {"changes": changes(clerk.get("/department/"))}).status_code == 302
    )  # type: ignore[attr-defined]
    from scorer.web.models import Filing

    filing = Filing.objects.get(department__name=NAME)
    chief = client(account("bureau", "chief"))
    url = f"/bureau/filings/{filing.pk}/"
    for score, says in (
        ("NaN", "“NaN”不是数字"),
        ("1e999999", "不是数字"),
        ("5%", "是百分数"),
        ("9" * 50, "不超过 40"),
    ):
        page = chief.get(url)
        answer = chief.post(url + "adjust", {"changes": changes(page), "indicator": "budget_execution", "score": score,
                                             "reason": "复核"})  # fmt: skip
        assert answer.status_code == 200 and says in text(answer), score
    assert not filing.adjustments.exists()


def test_each_request_speaks_its_own_language_while_others_are_read(site: object) -> None:
    """Chinese and English uploads read at the same time: every message in its own request's language."""
    zh_user = account("department", "lang-zh", "语言测试局甲")
    en_user = account("department", "lang-en", "语言测试局乙")
    broken = {
        "zh": workbook("语言测试局甲", execution_rate="很高"),
        "en": workbook("语言测试局乙", execution_rate="很高"),
    }
    wrong: list[str] = []

    def hand_in(user: object, lang: str) -> None:
        from django.db import connection

        try:
            browser = client(user, lang=lang)
            for _ in range(6):
                seen = text(upload(browser, broken[lang]))
                said = re.search(r"指标!I\d+: \[[^\]]+\] (.*)", seen)
                english = said is not None and said[1].isascii() is False and "is not a number" in said[1]
                chinese = said is not None and "不是数字" in said[1]
                if (lang == "zh" and not chinese) or (lang == "en" and not english):
                    wrong.append(f"{lang}: {said[1] if said else seen[:200]}")
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_in, args=pair) for pair in ((zh_user, "zh"), (en_user, "en")) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong, wrong


def test_a_forged_host_gets_a_page(db: None) -> None:
    answer = client().get("/login/", HTTP_HOST="evil.example")
    assert answer.status_code == 400 and "请求无法处理" in text(answer)
