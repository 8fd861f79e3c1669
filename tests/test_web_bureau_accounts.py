"""`score accounts …` as a bureau runs it again and again: the passwords file is never overwritten, forgotten
passwords are reset, accounts disabled and enabled, and a misspelt department is caught before it exists."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.test_web_commands import logins, score

PASSWORD = re.compile(r"\w{4}-\w{4}-\w{4}")


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
    assert len(PASSWORD.findall(kept.decode("utf-8-sig"))) == 2
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
    fresh = score("accounts", "import", "--data", str(data), str(listed), "-o", str(tmp_path / "初始密码-2.csv"))
    assert fresh.returncode == 0, fresh.stderr
    assert len(logins(data)) == 2
