"""What a bureau officer meets at the edges of a batch: a renamed department's history followed through the alias
file, the system files of a submissions folder counted, the bureau's own files in the folder not read as
submissions, a re-scored 自评表's problem located where the table states it. Run as users run `score`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
EXAMPLE = (ROOT / "examples" / "2022-zhengwu-fuwu.yaml").read_text(encoding="utf-8")


def score(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LANGUAGE", "SCORE_LANG")}
    done = subprocess.run(
        [*SCORE, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def department(folder: Path, name: str, year: int, rate: str = "98.88", file: str = "") -> Path:
    text = re.sub(r"(?m)^department: .*$", f"department: {name}", EXAMPLE).replace(
        "year: 2022", f"year: {year}"
    )
    path = folder / (file or f"{name}-{year}.yaml")
    path.write_text(text.replace("execution_rate: 98.88", f"execution_rate: {rate}"), encoding="utf-8")
    return path


def test_a_departments_history_follows_the_alias_file_across_its_rename(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    for name, year, rate in (("示例区人事局", 2022, "98.88"), ("示例区人社局", 2023, "99.88")):
        path = department(tmp_path, name, year, rate)
        assert (
            score("batch", path, "--rules", "2022", "--db", db, "-o", f"{year}.csv", cwd=tmp_path).returncode
            == 0
        )
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("示例区人事局: 示例区人社局\n", encoding="utf-8")
    for named in ("示例区人社局", "示例区人事局"):  # by its present name or its earlier one
        done = score("history", named, "--db", db, "--aliases", aliases, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        lines = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
        assert lines[1].startswith("示例区人事局 · 2022 · 94.20 · 优 ·  · "), done.stdout
        assert lines[2].startswith("示例区人社局 · 2023 · 94.30 · 优 · +0.10 · "), done.stdout
        assert "部门预算资金支出率 (budget_execution): 9.98 / 10.00  (+0.10)" in done.stdout
    alone = score("history", "示例区人社局", "--db", db, cwd=tmp_path)  # without the file: the name alone
    assert [line for line in alone.stdout.splitlines() if " · 20" in line][0].startswith(
        "示例区人社局 · 2023"
    )
    assert "示例区人事局" not in alone.stdout


SYSTEM_FILES = (".DS_Store", "Thumbs.db", "desktop.ini", "~$汇总.xlsx", "._财政局.yaml", "ehthumbs.db")


def test_system_files_of_a_submissions_folder_are_counted_in_one_line_and_named_in_the_lists(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    department(folder, "财政局", 2022)
    for name in SYSTEM_FILES:
        (folder / name).write_bytes(b"\x00\x01")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n")
    done = score("batch", folder, "--rules", "2022", "-o", "s.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert (
        "6 个系统文件未作为报送（隐藏文件、Excel 锁定文件、缩略图缓存等；每个都列在汇总或复核清单的文件清单中）"
        in lines
    )
    assert [line for line in lines if line.startswith("未读取：")] == [
        next(line for line in lines if line.startswith("未读取：报送/说明.pdf: "))
    ]  # the one file a person put there is still named on its own
    assert "7 个文件不是自评材料，未评分（见上）" in lines
    listed = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    for name in SYSTEM_FILES:  # nothing passed over in silence: each named in the summary's list
        assert f"报送/{name}," in listed
    assert "报送/Thumbs.db,Windows 自动生成的系统文件（缩略图缓存、文件夹设置或回收站）" in listed
    review = score("audit", folder, "--rules", "2022", "-o", "复核清单.json", cwd=tmp_path)
    assert "不是自评表的文件 8 个" in review.stderr
    assert '"path": "报送/Thumbs.db"' in (tmp_path / "复核清单.json").read_text(encoding="utf-8")
    shown = score("audit", folder, "--rules", "2022", cwd=tmp_path)  # on the screen: counted in one line
    assert "6 个系统文件未作为报送" in shown.stdout and ".DS_Store" not in shown.stdout


def test_a_file_given_as_another_option_inside_the_folder_is_listed_not_read_as_a_submission(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    department(folder, "示例区人社局", 2022)
    aliases = folder / "别名.yaml"
    aliases.write_text("示例区人事局: 示例区人社局\n", encoding="utf-8")
    adjustments = folder / "复核调整.yaml"
    adjustments.write_text(
        "adjustments:\n  - department: 示例区人社局\n    indicator: asset_allocation_compliance\n"
        "    score: 0.5\n    reason: 复核发现资产配置超出编制，调整为0.5分。\n",
        encoding="utf-8",
    )
    args = ["--aliases", aliases, "--adjustments", adjustments, "--db", "h.sqlite", "-o", "s.csv"]
    done = score("batch", folder, "--rules", "2022", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "未读取：报送/别名.yaml: 这是本次命令 --aliases 指定的文件，不作为报送读取"
        in done.stderr.splitlines()
    )
    assert "未读取：报送/复核调整.yaml: 这是本次命令 --adjustments 指定的文件，不作为报送读取" in done.stderr
    listed = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "报送/别名.yaml,这是本次命令 --aliases 指定的文件，不作为报送读取" in listed
    assert "报送/复核调整.yaml,这是本次命令 --adjustments 指定的文件，不作为报送读取" in listed
    assert listed.count("示例区人社局") >= 1 and "未能评分" not in done.stderr
    again = score("batch", folder, "--rules", "2022", "-o", folder / "s.html", cwd=tmp_path)  # an output too
    assert again.returncode == 1  # the two bureau files are read as submissions when not given as options
    again = score("batch", folder, "--rules", "2022", *args[:4], "-o", folder / "s.html", cwd=tmp_path)
    assert "未读取：报送/s.html: 这是本次命令 -o 指定的文件，不作为报送读取" in again.stderr, again.stderr
    review = score("audit", folder, "--rules", "2022", "-o", folder / "复核清单.json", cwd=tmp_path)
    again = score("audit", folder, "--rules", "2022", "-o", folder / "复核清单.json", cwd=tmp_path)
    assert '"why": [\n        "这是本次命令 -o 指定的文件，不作为报送读取"' in (
        folder / "复核清单.json"
    ).read_text("utf-8")
    assert review.returncode == again.returncode == 1  # no 自评表 in the folder


def test_a_problem_in_a_rescored_official_table_is_located_at_the_cell_that_states_it(tmp_path: Path) -> None:
    import openpyxl

    made = score(
        "run", department(tmp_path, "示例区人社局", 2022), "--rules", "2022", "-o", "表.xlsx", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "报送"
    folder.mkdir()
    for name, cell, value in (
        ("单位数", "I3", 10**9),
        ("年度", "A1", "2019年度示例区人社局部门整体支出绩效自评表"),
    ):
        book = openpyxl.load_workbook(tmp_path / "表.xlsx")
        book.worksheets[0][cell] = value
        book.save(folder / f"{name}.xlsx")
    book = openpyxl.load_workbook(tmp_path / "表.xlsx")
    book.worksheets[0]["B3"] = None
    book.worksheets[0]["A1"] = "2022年度部门整体支出绩效自评表"
    book.save(folder / "部门名称.xlsx")
    done = score("batch", folder, "--rules", "2022", "-o", "s.csv", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert "错误：报送/单位数.xlsx:自评表!I3: units: 必须 ≤ 100000，实际为 1000000000" in lines, done.stderr
    assert "错误：报送/部门名称.xlsx:自评表!A3: department: 不能为空" in lines
    assert any(
        line.startswith("错误：报送/年度.xlsx:自评表!A1: year: 输入文件的年度是 2019") for line in lines
    )
