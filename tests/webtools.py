"""What the web workplace's tests share: one configured site for the test run (Django is configured once per
process), each test's database changes rolled back, accounts, signed-in clients and departments' workbooks."""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

DATA = Path(tempfile.mkdtemp(prefix="score-web-test-"))
PASSWORD = "Tr1cky-enough-pw"
_EXAMPLE: dict[str, Any] | None = None
_READY = False


@pytest.fixture(scope="session")
def site() -> Path:
    """The workplace of this test run: SQLite in a temporary folder, or SCORE_TEST_DATABASE_URL (PostgreSQL)."""
    global _READY
    if not _READY:  # each test module imports this fixture: the site is made once for the run
        from scorer.web.config import Site, prepare

        prepare(Site(data=DATA, database_url=os.environ.get("SCORE_TEST_DATABASE_URL") or None))
        from django.test.utils import setup_test_environment

        setup_test_environment()
        _READY = True
    return DATA


@pytest.fixture
def db(site: Path) -> Iterator[None]:
    """The test's changes to the database, undone afterwards (the log's triggers forbid deleting them)."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def account(role: str, login: str, department: str | None = None, password: str = PASSWORD) -> Any:
    from scorer.web.accounts import add_account

    add_account(role, login, password, department)
    from django.contrib.auth.models import User

    return User.objects.get(username=login)


def client(user: Any = None, lang: str | None = None) -> Any:
    from django.test import Client

    browser = Client()
    if user is not None:
        browser.force_login(user)
    if lang is not None:
        browser.cookies["score_lang"] = lang
    return browser


def example() -> dict[str, Any]:
    """A complete, valid 2022 department (the published 政务服务数据管理局 table): 94.2, 优."""
    global _EXAMPLE
    if _EXAMPLE is None:
        from scorer.sources.yaml import load_yaml_file

        _EXAMPLE = load_yaml_file(EXAMPLES / "2022-zhengwu-fuwu.yaml").data
    return copy.deepcopy(_EXAMPLE)


def workbook(department: str, lang: str = "zh", **changes: Any) -> bytes:
    """The input workbook `score template --from` writes, filled for `department`; `changes` set formula inputs
    (`execution_rate="很高"` makes a broken one)."""
    from scorer.web.library import input_workbook

    data = example()
    data["department"] = department
    for name, value in changes.items():
        for entry in data["indicators"].values():
            if name in entry:
                entry[name] = value
    return input_workbook(2022, lang, data)


def upload(
    browser: Any, content: bytes, name: str = "自评输入.xlsx", url: str = "/department/", **fields: Any
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    target = "/department/upload" if url == "/department/" else url
    return browser.post(target, {"file": SimpleUploadedFile(name, content), **fields})


def changes(page: Any) -> str:
    """The filing's change count a page's forms carry."""
    found = re.search(r'name="changes" value="(\d+)"', page.content.decode())
    assert found, "the page has no step form"
    return found.group(1)


def text(page: Any) -> str:
    """A page's text without its tags, entities decoded: what a reader sees."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
