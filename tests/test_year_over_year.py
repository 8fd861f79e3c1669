"""Last year without last year's rules: its 自评表 imported as printed (`score history import`), this year's batch
compared with it, departments matched across years by `department_key` and an alias file, 新增 and 本年缺报
flagged, and `score history` comparing the two years. The history database goes from version 2 to 3 by migration."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.submissions_folder import Folder, make

V1 = Path(__file__).resolve().parent / "fixtures" / "history" / "v1.sql"

runner = CliRunner()


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Folder]:
    """This year's folder, and last year's 自评表 of the eight pasted departments (one of them scoring 0.5 less
    on 部门预算资金支出率, one renamed since, one no longer handing in)."""
    root = tmp_path_factory.mktemp("years")
    made = make(root / "2022")
    last = root / "2021"
    last.mkdir()
    for number, table in enumerate(sorted((root / "2022" / "表格").glob("*-粘贴.txt"))):
        text = table.read_text(encoding="utf-8").replace("2022年度", "2021年度")
        if number == 0:  # the budget row printed 9.41 last year
            lines = text.split("\n")
            at = next(i for i, line in enumerate(lines) if "部门预算资金支出率" in line)
            cells = lines[at].split("\t")
            cells[7] = "9.41"
            lines[at] = "\t".join(cells)
            text = "\n".join(lines)
        if number == 1:
            text = text.replace("示例区人力资源和社会保障局", "示例区人事局")
        (last / table.name).write_text(text, encoding="utf-8")
    (last / "说明.txt").write_text("去年的自评表。\n", encoding="utf-8")
    (last / "已撤并.txt").write_text(
        (last / table.name).read_text("utf-8").replace("示例区农业农村局", "示例区已撤并局"), encoding="utf-8"
    )
    return root / "2022", last, made


def _ranking(path: Path) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    end = rows.index([]) if [] in rows else len(rows)
    return {r[1]: dict(zip(rows[0], r, strict=False)) for r in rows[1:end]}


def test_last_years_tables_imported_as_printed_show_the_change(
    district: tuple[Path, Path, Folder], tmp_path: Path
) -> None:
    now, last, _ = district
    db = tmp_path / "history.sqlite"
    done = runner.invoke(app, ["history", "import", "--db", str(db), str(last)])
    assert done.exit_code == 0, done.output
    assert "9 自评表s imported, 0 problems" in done.stderr
    assert "not read: " in done.stderr and "说明.txt: holds no 自评表" in done.stderr
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("示例区人事局（第2组）: 示例区人力资源和社会保障局（第2组）\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    done = runner.invoke(
        app,
        [
            "batch",
            str(now),
            "--db",
            str(db),
            "--aliases",
            str(aliases),
            "-o",
            str(out),
            "-o",
            str(tmp_path / "s.html"),
        ],
    )
    assert done.exit_code == 1, done.output  # the broken and duplicate files of the folder
    ranking = _ranking(out)
    first = ranking["示例区财政局（第2组）"]
    assert (
        first["Previous year"] == "2021" and first["Change"] == "0.00" and first["Against last year"] == ""
    )  # as printed
    renamed = ranking["示例区人力资源和社会保障局（第2组）"]
    assert (
        renamed["Change"] == "0.00" and renamed["Against last year"] == "renamed (from 示例区人事局（第2组）)"
    )
    assert (
        ranking["示例区财政局"]["Against last year"] == "new"
        and ranking["示例区财政局"]["Previous year"] == ""
    )
    text = out.read_text(encoding="utf-8-sig")
    assert (
        "Missing this year (departments of 2021 not scored in this batch, 1): 示例区已撤并局（第2组）" in text
    )
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert (
        "部门预算资金支出率" in page and "9.41" in page
    )  # the indicator that moved, from the row as printed
    listed = runner.invoke(app, ["history", "--db", str(db), "--aliases", str(aliases)])
    assert listed.exit_code == 0, listed.output
    assert "2022 against 2021" in listed.stdout
    line = next(x for x in listed.stdout.splitlines() if x.startswith("  示例区财政局（第2组）:"))
    assert "99.73 → 99.73 (0.00)" in line and "部门预算资金支出率 9.41→9.91" in line  # the rows as printed
    assert "Missing this year (1): 示例区已撤并局（第2组）" in listed.stdout
    assert "部门预算资金支出率: up 1, down 0, in all +0.50" in listed.stdout
    assert "imported 自评表" in listed.stdout


def test_a_merger_is_flagged_and_compared_with_none(
    district: tuple[Path, Path, Folder], tmp_path: Path
) -> None:
    now, last, _ = district
    db = tmp_path / "h.sqlite"
    assert runner.invoke(app, ["history", "import", "--db", str(db), str(last)]).exit_code == 0
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "old,new\n示例区已撤并局（第2组）,示例区财政局（第2组）\n示例区农业农村局（第2组）,示例区财政局（第2组）\n",
        "utf-8",
    )
    done = runner.invoke(
        app, ["batch", str(now), "--db", str(db), "--aliases", str(aliases), "-o", str(tmp_path / "s.csv")]
    )
    ranking = _ranking(tmp_path / "s.csv")
    merged = ranking["示例区财政局（第2组）"]
    assert merged["Against last year"] == "merged (from 示例区已撤并局（第2组）、示例区农业农村局（第2组）)"
    assert merged["Previous year"] == "" and ranking["示例区农业农村局（第2组）"]["Against last year"] == ""
    text = (tmp_path / "s.csv").read_text(
        encoding="utf-8-sig"
    )  # the merged ones are not missing; the renamed
    assert "not scored in this batch, 1): 示例区人事局（第2组）" in text, done.output  # is, without its alias


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("甲局: 乙局\n甲局 : 丙局\n", "aliases.yaml:2: "),
        ("甲局: 乙局\n乙局: 甲局\n", "go round in a loop"),
        ("甲局: ''\n", "a department name is empty"),
        ("- 甲局\n", "the alias file is 'old name: new name'"),
    ],
)
def test_a_wrong_alias_file_is_refused_at_its_line(tmp_path: Path, aliases: str, message: str) -> None:
    (tmp_path / "aliases.yaml").write_text(aliases, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        (Path(__file__).parent.parent / "examples" / "2022-zhengwu-fuwu.yaml").read_text("utf-8"), "utf-8"
    )
    done = runner.invoke(
        app, ["batch", str(tmp_path / "a.yaml"), "--aliases", str(tmp_path / "aliases.yaml")]
    )
    assert done.exit_code == 1 and message in done.stderr, done.output


def test_an_import_refuses_a_table_it_cannot_read_as_printed(
    district: tuple[Path, Path, Folder], tmp_path: Path
) -> None:
    _, last, _ = district
    table = sorted(last.glob("0*-粘贴.txt"))[2]
    doubt = tmp_path / "doubt.txt"
    doubt.write_text(table.read_text("utf-8").replace("\t10\t", "\t约10\t", 1), encoding="utf-8")
    no_total = tmp_path / "no-total.txt"
    no_total.write_text(
        "\n".join(x for x in table.read_text("utf-8").split("\n") if not x.startswith("总分")), "utf-8"
    )
    db = tmp_path / "h.sqlite"
    done = runner.invoke(app, ["history", "import", "--db", str(db), str(doubt), str(no_total)])
    assert done.exit_code == 1
    assert "doubt.txt:" in done.stderr and "约10" in done.stderr
    assert "no-total.txt: the 自评表 has no total (总分) row: not imported" in done.stderr
    assert "0 自评表s imported" in done.stderr


def test_an_old_database_is_migrated_and_a_planted_table_refused(
    district: tuple[Path, Path, Folder], tmp_path: Path
) -> None:
    _, last, _ = district
    db = tmp_path / "v2.sqlite"  # as score wrote it when marked, before the imported tables
    connection = sqlite3.connect(db)
    connection.executescript(V1.read_text(encoding="utf-8"))
    connection.executescript("PRAGMA application_id = 1396920146; PRAGMA user_version = 2;")
    connection.close()
    assert runner.invoke(app, ["history", "--db", str(db)]).exit_code == 0  # read as it is
    done = runner.invoke(app, ["history", "import", "--db", str(db), str(last)])
    assert done.exit_code == 0, done.output
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 4
    connection.execute("UPDATE imported_tables SET total = '1e308' WHERE rowid = 1")
    connection.commit()
    connection.close()
    refused = runner.invoke(app, ["history", "--db", str(db)])
    assert refused.exit_code == 1 and "imported_tables" in refused.stderr and "1e308" in refused.stderr
    connection = sqlite3.connect(db)
    connection.execute("UPDATE imported_tables SET total = '90' WHERE rowid = 1")
    connection.execute("CREATE TABLE imported_notes (x TEXT)")
    connection.commit()
    connection.close()
    planted = runner.invoke(app, ["history", "--db", str(db)])
    assert planted.exit_code == 1 and "imported_notes" in planted.stderr
