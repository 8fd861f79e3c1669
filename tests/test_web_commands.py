"""`score accounts add|import` and `score serve`, run as a bureau runs them: each answer by its message and exit
code, and the server reached over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import openpyxl
import pytest

SCORE = [sys.executable, "-m", "scorer"]


def score(*args: str, stdin: str = "", lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "SCORE_DATABASE_URL")}
    env["SCORE_LANG"] = lang
    return subprocess.run([*SCORE, *args], input=stdin, capture_output=True, text=True, timeout=120, env=env)


def logins(data: Path) -> dict[str, str]:
    with sqlite3.connect(data / "score.sqlite3") as connection:
        rows = connection.execute(
            "SELECT u.username, a.role FROM auth_user u JOIN scoreweb_account a ON a.user_id = u.id"
        ).fetchall()
    return dict(rows)


def test_accounts_are_added_from_the_command_line_with_their_answers(tmp_path: Path) -> None:
    data = tmp_path / "district"
    done = score("accounts", "add", "--data", str(data), "--role", "bureau", "--login", "chief", "--password-stdin",
                 stdin="Spring-review-2024\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert logins(data) == {"chief": "bureau"}
    assert (data / "secret-key").stat().st_mode & 0o077 == 0 and data.stat().st_mode & 0o077 == 0
    refusals = [
        (("--role", "department", "--login", "clerk"), "Spring-review-2024\n", "部门账号须用 --department"),
        (("--role", "bureau", "--login", "chief"), "Spring-review-2024\n", "登录名“chief”已被使用"),
        (("--role", "bureau", "--login", "other"), "12345678\n", "--password-stdin:"),
        (("--role", "bureau", "--login", "other"), "\n", "标准输入中没有密码"),
        (("--role", "bureau", "--login", "bad login"), "Spring-review-2024\n", "登录名“bad login”只能由"),
        (("--role", "mayor", "--login", "x"), "", "--role"),
    ]
    for args, stdin, says in refusals:
        done = score("accounts", "add", "--data", str(data), *args, "--password-stdin", stdin=stdin)
        assert done.returncode in (1, 2) and says in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    made = score("accounts", "add", "--data", str(data), "--role", "department", "--login", "clerk",
                 "--department", "示例区财政局")  # fmt: skip
    assert made.returncode == 0 and re.search(r"示例区财政局\tclerk\t\w{4}-\w{4}-\w{4}", made.stdout)


def test_a_district_is_imported_from_its_list_once(tmp_path: Path) -> None:
    listed = tmp_path / "部门名单.csv"
    listed.write_bytes("序号,部门名称\n1,示例区财政局\n2,示例区审计局\n".encode("gbk"))  # as Excel saves it
    data = tmp_path / "data"
    first = score("accounts", "import", "--data", str(data), str(listed))
    assert first.returncode == 0, first.stderr
    passwords = re.findall(r"^(示例区\S+)\t(dept\d{3})\t(\w{4}-\w{4}-\w{4})$", first.stdout, re.M)
    assert [p[:2] for p in passwords] == [("示例区财政局", "dept001"), ("示例区审计局", "dept002")]
    again = score("accounts", "import", "--data", str(data), str(listed), lang="en")
    assert again.returncode == 0 and again.stdout.count("(account already there, unchanged)") == 2
    assert len(logins(data)) == 2
    book = openpyxl.Workbook()
    book.active.append(["部门名称", "登录名"])
    book.active.append(["示例区统计局", "tongji"])
    book.active.append(["示例区统计\u200b局　", ""])
    book.save(tmp_path / "名单.xlsx")
    twice = score("accounts", "import", "--data", str(data), str(tmp_path / "名单.xlsx"))
    # the second name shown with its zero-width space escaped: it never looks like the first
    assert twice.returncode == 1 and "名单.xlsx:Sheet!A3: [示例区统计\\u200b局]" in twice.stderr
    assert "与 Sheet!A2 是同一个部门" in twice.stderr and len(logins(data)) == 2  # all or none
    out = tmp_path / "passwords.csv"
    written = score("accounts", "import", "--data", str(data), str(listed), "-o", str(listed))
    assert written.returncode == 1 and listed.read_bytes().startswith("序号".encode("gbk"))
    written = score("accounts", "import", "--data", str(data), str(listed), "-o", str(out))
    assert written.returncode == 0 and out.read_text(encoding="utf-8-sig").startswith(
        "部门名称,登录名,一次性密码"
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "no header row"),
        (b"\x00\x01binary", "test.csv: not a text table"),
        (
            "部门名称,登录名\n示例区财政局,bad login\n".encode(),
            "test.csv:2: [示例区财政局] the login 'bad login'",
        ),
        ("部门名称\n\u200b\n".encode(), "test.csv:2: the department's name is empty"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "test.csv: this is an old binary Office or WPS file",
        ),
        (b"%PDF-1.7\n", "save it as .xlsx (Excel workbook)"),
    ],
)
def test_a_broken_list_is_answered_at_its_line(tmp_path: Path, content: bytes, says: str) -> None:
    (tmp_path / "test.csv").write_bytes(content)
    done = score("accounts", "import", "--data", str(tmp_path / "d"), str(tmp_path / "test.csv"), lang="en")
    assert done.returncode == 1 and says in done.stderr, done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_starts_on_a_fresh_folder_and_a_clerk_signs_in_over_http(tmp_path: Path) -> None:
    data = tmp_path / "score-data"
    made = score("accounts", "add", "--data", str(data), "--role", "department", "--login", "clerk",
                 "--department", "示例区财政局", "--password-stdin", stdin="Spring-review-2024\n")  # fmt: skip
    assert made.returncode == 0
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    server = subprocess.Popen([*SCORE, "serve", "--data", str(data), "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = _wait(opener, base + "/login/")
        assert "登录" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        form = {"csrfmiddlewaretoken": token[1], "username": "clerk", "password": "Spring-review-2024"}
        request = urllib.request.Request(base + "/login/", urllib.parse.urlencode(form).encode(),
                                         headers={"Referer": base + "/login/"})  # fmt: skip
        with opener.open(request, timeout=30) as answer:
            assert answer.url.endswith("/department/") and "示例区财政局" in answer.read().decode()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err and "Traceback" not in err


def _wait(opener: urllib.request.OpenerDirector, url: str) -> str:
    for _ in range(300):
        try:
            with opener.open(url, timeout=5) as answer:
                return str(answer.read().decode())
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def test_serve_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    other = score("serve", "--data", str(tmp_path / "d"), "--database-url", "mysql://root@db/x", lang="en")
    assert (
        other.returncode == 1
        and "--database-url: a database URL this workplace cannot use (mysql://…)" in other.stderr
    )
    (tmp_path / "file").write_text("x")
    folder = score("serve", "--data", str(tmp_path / "file"), lang="en")
    assert folder.returncode in (1, 2) and "Traceback" not in folder.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = score("serve", "--data", str(tmp_path / "d"), "--port", port, lang="en")
    assert busy.returncode == 1 and f"127.0.0.1:{port}: cannot listen" in busy.stderr
