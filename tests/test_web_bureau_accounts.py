"""`score accounts …` as a bureau runs it again and again: the passwords file is never overwritten, forgotten
passwords are reset, accounts disabled and enabled, and a misspelt department is caught before it exists."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.test_web_commands import logins, score

from .webtools import PASSWORD, account, client

ONE_TIME = re.compile(r"\w{4}-\w{4}-\w{4}")


def _roster(tmp_path: Path, *names: str) -> Path:
    listed = tmp_path / "部门名单.csv"
    listed.write_text("部门名称\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    return listed


def test_the_passwords_file_is_written_once_and_never_overwritten(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "初始密码.csv"
    listed = _roster(tmp_path, "区教育局", "区卫健委")
    first = score("accounts", "import", "--data", str(data), str(listed), "-o", str(out))
    assert first.returncode == 0, first.stderr
    kept = out.read_bytes()
    assert len(ONE_TIME.findall(kept.decode("utf-8-sig"))) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # passwords: readable by their owner alone
    again = score("accounts", "import", "--data", str(data), str(listed), "-o", str(out))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert f"{out}: 已经存在" in again.stderr and "初始密码-2.csv" in again.stderr
    assert out.read_bytes() == kept
    (tmp_path / "nowhere").mkdir()
    (tmp_path / "link.csv").symlink_to(tmp_path / "nowhere" / "passwords.csv")  # a link leading nowhere yet
    linked = score("accounts", "import", "--data", str(data), str(listed), "-o", str(tmp_path / "link.csv"))
    assert linked.returncode == 1 and "已经存在" in linked.stderr
    assert not (tmp_path / "nowhere" / "passwords.csv").exists()
    fresh = score(
        "accounts", "import", "--data", str(data), str(listed), "-o", str(tmp_path / "初始密码-2.csv")
    )
    assert fresh.returncode == 0, fresh.stderr
    assert len(logins(data)) == 2


def _row(data: Path, login: str) -> tuple[str, int, int]:
    import sqlite3

    with sqlite3.connect(data / "score.sqlite3") as connection:
        found = connection.execute(
            "SELECT u.password, u.is_active, a.must_change_password FROM auth_user u"
            " JOIN scoreweb_account a ON a.user_id = u.id WHERE u.username = ?",
            (login,),
        ).fetchone()
    assert found is not None
    return found


def test_a_forgotten_password_is_reset_and_an_account_disabled_and_enabled(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = score("accounts", "add", "--data", str(data), "--role", "department", "--login", "jiaoyu",
                 "--department", "区教育局", "--password-stdin", stdin="Spring-review-2024\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "score serve 启动时显示的地址" in made.stderr  # where clerks sign in
    before = _row(data, "jiaoyu")
    assert before[2] == 0
    reset = score("accounts", "reset", "JiaoYu", "--data", str(data))
    assert reset.returncode == 0, reset.stderr
    assert re.search(r"^区教育局\tjiaoyu\t\w{4}-\w{4}-\w{4}$", reset.stdout, re.M)
    after = _row(data, "jiaoyu")
    assert after[0] != before[0] and after[2] == 1  # a new password, changed at the next sign-in
    off = score("accounts", "disable", "jiaoyu", "--data", str(data))
    assert off.returncode == 0 and "已停用账号“jiaoyu”" in off.stderr and _row(data, "jiaoyu")[1] == 0
    on = score("accounts", "enable", "jiaoyu", "--data", str(data), lang="en")
    assert on.returncode == 0 and "Enabled the account 'jiaoyu'" in on.stderr and _row(data, "jiaoyu")[1] == 1
    for action in ("reset", "disable", "enable"):
        unknown = score("accounts", action, "nobody", "--data", str(data))
        assert unknown.returncode == 1 and "nobody: 没有这个登录名的账号" in unknown.stderr, unknown.stderr
        assert "Traceback" not in unknown.stderr


def test_a_misspelt_department_is_refused_with_the_name_meant(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = score("accounts", "import", "--data", str(data), str(_roster(tmp_path, "区教育局", "区审计局")))
    assert first.returncode == 0, first.stderr
    typo = score("accounts", "add", "--data", str(data), "--role", "department", "--login", "jiaoyu2",
                 "--department", "区教育")  # fmt: skip
    assert typo.returncode == 1 and "--department: [区教育]" in typo.stderr
    assert "您是否要用“区教育局”？" in typo.stderr and "--new-department" in typo.stderr
    assert "jiaoyu2" not in logins(data)
    meant = score("accounts", "add", "--data", str(data), "--role", "department", "--login", "jiaoyu2",
                  "--department", "区教育", "--new-department")  # fmt: skip
    assert meant.returncode == 0 and "jiaoyu2" in logins(data)
    listed = _roster(tmp_path, "区统计局", "区审计", "区教育局")  # 统计局 is not 审计局 misspelt: one changed
    refused = score("accounts", "import", "--data", str(data), str(listed))
    assert refused.returncode == 1 and "部门名单.csv:3: [区审计]" in refused.stderr
    assert "您是否要用“区审计局”？" in refused.stderr and "区统计局" not in refused.stderr
    assert len(logins(data)) == 3  # nothing made
    chosen = score("accounts", "import", "--data", str(data), str(listed), "--new-department")
    assert chosen.returncode == 0 and len(logins(data)) == 5


def test_a_disabled_account_is_signed_out_and_a_reset_one_must_change_its_password(db: None) -> None:
    from scorer.web.accounts import reset_password, set_active

    user = account("department", "wenlv", "区文化旅游局")
    signed_in = client(user)
    assert signed_in.get("/department/").status_code == 200
    set_active("wenlv", False)
    assert signed_in.get("/department/").status_code == 302  # the open page is signed out
    refused = client().post("/login/", {"username": "wenlv", "password": PASSWORD})
    assert refused.status_code == 200 and "/department/" not in refused.get("Location", "")
    set_active("WENLV", True)
    made = reset_password("wenlv")
    assert (
        made.password
        and client().post("/login/", {"username": "wenlv", "password": PASSWORD}).status_code == 200
    )
    fresh = client()
    assert fresh.post("/login/", {"username": "wenlv", "password": made.password}).status_code == 302
    assert fresh.get("/department/")["Location"].startswith("/password/")  # forced to change it first


def test_serve_refuses_a_history_database_that_is_not_ours(tmp_path: Path) -> None:
    bad = tmp_path / "历史.sqlite"
    bad.write_text("部门名称\n区教育局\n", encoding="utf-8")
    for path, says in (
        (bad, "历史.sqlite: 不是可用的历史数据库"),
        (tmp_path / "无.sqlite", "无.sqlite: 找不到文件"),
    ):
        done = score("serve", "--data", str(tmp_path / "data"), "--port", "0", "--history", str(path))
        assert done.returncode == 1 and says in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_no_account_is_made_when_its_password_cannot_be_written_down(tmp_path: Path) -> None:
    data = tmp_path / "data"
    listed = _roster(tmp_path, "区教育局")
    too_long = tmp_path / ("密" * 100 + ".csv")  # 300 bytes: longer than a file name may be
    done = score("accounts", "import", "--data", str(data), str(listed), "-o", str(too_long))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "密密" in done.stderr, done.stderr
    assert logins(data) == {}  # nothing made whose password nobody has
    again = score("accounts", "import", "--data", str(data), str(listed), "-o", str(tmp_path / "p.csv"))
    assert again.returncode == 0 and len(ONE_TIME.findall((tmp_path / "p.csv").read_text("utf-8-sig"))) == 1


def test_the_last_bureau_account_cannot_be_disabled(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for login in ("chief", "deputy"):
        made = score("accounts", "add", "--data", str(data), "--role", "bureau", "--login", login,
                     "--password-stdin", stdin="Spring-review-2024\n")  # fmt: skip
        assert made.returncode == 0, made.stderr
    assert score("accounts", "disable", "deputy", "--data", str(data)).returncode == 0
    last = score("accounts", "disable", "chief", "--data", str(data))
    assert last.returncode == 1 and "chief: 这是唯一可用的财政局账号" in last.stderr, last.stderr
    assert _row(data, "chief")[1] == 1  # still active: someone can still review


def test_two_close_names_in_one_new_list_are_refused_at_the_shorter(tmp_path: Path) -> None:
    data = tmp_path / "data"
    listed = _roster(
        tmp_path, "区教育局", "区卫健委", "区教育"
    )  # a first import: nothing in the database yet
    refused = score("accounts", "import", "--data", str(data), str(listed))
    assert refused.returncode == 1 and "部门名单.csv:4: [区教育]" in refused.stderr, refused.stderr
    assert "名单中还有“区教育局”" in refused.stderr and "[区教育局]" not in refused.stderr
    assert not logins(data)  # nothing made
    chosen = score("accounts", "import", "--data", str(data), str(listed), "--new-department")
    assert chosen.returncode == 0 and len(logins(data)) == 3
