"""No output ever replaces an input or a rules file: every command that writes checks, before any work, each path
it writes against every file it reads (by identity: hard links, symbolic links, `../`), against the rules
folders in use and against its other outputs; each refusal is exit 1 with one message naming both paths, and
nothing is written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.sources.shipped import rules_root

from .conftest import EXAMPLES, FIXTURE_RULES, ROOT, VALID_INPUTS

runner = CliRunner()
TABLE = Path(__file__).resolve().parent / "fixtures" / "tables" / "000_145fdbc536c66fe0.txt"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder as a bureau has it, the command's working folder: an inputs file, a folder of them,
    JSON Lines, a table, a declared targets table, a golden case and a copy of the rules."""
    (tmp_path / "in.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (subs / "b.yaml").write_text(VALID_INPUTS.replace("测试部门", "另一部门"), encoding="utf-8")
    lines = json.dumps({"department": "三部门", "year": 2022, "indicators": {}}, ensure_ascii=False)
    (tmp_path / "lines.jsonl").write_text(lines + "\n", encoding="utf-8")
    shutil.copy(TABLE, tmp_path / "table.txt")
    shutil.copy(EXAMPLES / "declared-targets-suigang.tsv", tmp_path / "targets.tsv")
    case = tmp_path / "cases"
    (case / "inputs").mkdir(parents=True)
    (case / "inputs" / "dept.yaml").write_text(VALID_INPUTS, encoding="utf-8")
    (case / "case.yaml").write_text(
        "name: a case\ninputs_file: inputs/dept.yaml\nexpect: {total: 1}\n", encoding="utf-8"
    )
    shutil.copytree(FIXTURE_RULES, tmp_path / "rules")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@dataclass(frozen=True)
class Command:
    """A command that writes, with the file it reads and the name its output takes."""

    name: str
    args: Callable[[str], list[str]]  # the output path → the arguments
    read: str  # the input it reads, relative to the working folder
    out: str  # a name for its output


COMMANDS = [
    Command("run", lambda o: ["run", "in.yaml", "-r", "rules", "-f", "json", "-o", o], "in.yaml", "o.json"),
    Command("report", lambda o: ["report", "in.yaml", "-r", "rules", "-f", "markdown", "-o", o], "in.yaml", "o.md"),
    Command("explain", lambda o: ["explain", "in.yaml", "-r", "rules", "-o", o], "in.yaml", "o.txt"),
    Command("template --targets", lambda o: ["template", "-r", "rules", "--targets", "targets.tsv", "-o", o,
                                             "--force"], "targets.tsv", "o.yaml"),
    Command("template --from", lambda o: ["template", "-r", "rules", "--from", "in.yaml", "-o", o, "--force"],
            "in.yaml", "o.xlsx"),
    Command("batch folder", lambda o: ["batch", "subs", "-r", "rules", "-o", o], "subs/a.yaml", "o.csv"),
    Command("batch glob", lambda o: ["batch", "subs/*.yaml", "-r", "rules", "-f", "jsonl", "-o", o], "subs/b.yaml",
            "o.jsonl"),
    Command("batch lines", lambda o: ["batch", "lines.jsonl", "-r", "rules", "-o", o], "lines.jsonl", "o.html"),
    Command("batch --db", lambda o: ["batch", "subs", "-r", "rules", "--db", o], "subs/a.yaml", "o.sqlite"),
    Command("audit --to-inputs", lambda o: ["audit", "table.txt", "--to-inputs", o], "table.txt", "o.yaml"),
    Command("audit -o", lambda o: ["audit", "table.txt", "-f", "json", "-o", o], "table.txt", "o.json"),
    Command("diff", lambda o: ["diff", "2022", "rules", "--inputs", "in.yaml", "-o", o], "in.yaml", "o.md"),
    Command("diff golden case", lambda o: ["diff", "2022", "rules", "--inputs", "cases/case.yaml", "-o", o],
            "cases/inputs/dept.yaml", "o.md"),
]  # fmt: skip
IDS = [c.name for c in COMMANDS]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (a link: where it leads), to see that nothing was written."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = b"<folder>"
    return found


def refused(args: list[str], folder: Path, before: dict[str, bytes]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert snapshot(folder) == before  # the input unchanged byte for byte, and nothing else written
    (line,) = result.stderr.splitlines()  # one message
    return line


SPELLINGS = {  # the output, as another name of the input
    "hard link": lambda read, out: os.link(read, out) or out,
    "symbolic link": lambda read, out: os.symlink(read, out) or out,
    "../": lambda read, out: f"sub/../{read}",
}


@pytest.mark.parametrize("spelling", list(SPELLINGS))
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_an_output_that_is_an_input_by_another_name_is_refused(
    ws: Path, command: Command, spelling: str
) -> None:
    output = SPELLINGS[spelling](command.read, command.out)
    before = snapshot(ws)
    message = refused(command.args(output), ws, before)
    option = "--db" if "--db" in command.name else "--to-inputs" if "to-inputs" in command.name else "-o"
    assert message == (
        f"error: {output}: refusing to write over an input file ({command.read}), which is the same file; "
        f"choose another {option}"
    )


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize("where", ["rules/new", "rules/indicators/new", "sub/../rules/indicators/../new"])
def test_nothing_is_written_inside_the_rules_folder_in_use(ws: Path, command: Command, where: str) -> None:
    output = f"{where}{Path(command.out).suffix}"
    before = snapshot(ws)
    args = command.args(output) + (["--rules", "rules"] if command.name.startswith("audit") else [])
    message = refused(args, ws, before)
    assert message == (
        f"error: {output}: refusing to write over the rules folder (rules): nothing is written inside it; "
        f"choose another {'--db' if '--db' in command.name else '--to-inputs' if 'to-' in command.name else '-o'}"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["run", "in.yaml", "-o", "{shipped}/2022/new.json"],
        ["schema", "-o", "{shipped}/released.json"],
        ["template", "--batch", "-o", "{shipped}/2022/indicators/../new.csv"],
        ["batch", "subs", "--db", "{shipped}/h.sqlite"],
    ],
)
def test_nothing_is_written_inside_the_shipped_rules(ws: Path, args: list[str]) -> None:
    shipped = snapshot(rules_root())
    before = snapshot(ws)
    message = refused([a.format(shipped=rules_root()) for a in args], ws, before)
    assert "refusing to write over the rules folder (" in message
    assert snapshot(rules_root()) == shipped


def test_a_hard_link_of_a_rules_file_is_a_rules_file(ws: Path) -> None:
    os.link("rules/rubric.yaml", "rubric.json")
    before = snapshot(ws)
    message = refused(["schema", "-r", "rules", "-o", "rubric.json"], ws, before)
    assert message == (
        "error: rubric.json: refusing to write over a rules file (rules/rubric.yaml), which is the same file under "
        "another name; choose another -o"
    )


@pytest.mark.parametrize(
    ("args", "second", "first"),
    [
        (["batch", "subs", "-o", "s.csv", "-o", "./s.csv"], "s.csv", "-o s.csv"),
        (["batch", "subs", "-o", "s.csv", "-o", "sub/../s.csv"], "sub/../s.csv", "-o s.csv"),
        (["batch", "subs", "-f", "jsonl", "-o", "h.sqlite", "--db", "./h.sqlite"], "h.sqlite", "-o h.sqlite"),
        (["audit", "table.txt", "--to-inputs", "o.yaml", "-o", "./o.yaml"], "o.yaml", "--to-inputs o.yaml"),
    ],
)
def test_two_outputs_to_one_file_are_refused(ws: Path, args: list[str], second: str, first: str) -> None:
    before = snapshot(ws)
    message = refused(args, ws, before)
    assert message == (
        f"error: {second}: is the same file as {first}, which this command also writes; give each output a file "
        "of its own"
    )


def test_an_existing_output_that_is_the_same_file_as_another_is_refused(ws: Path) -> None:
    Path("s.csv").write_text("old", encoding="utf-8")
    os.symlink("s.csv", "also.csv")
    before = snapshot(ws)
    message = refused(["batch", "subs", "-o", "s.csv", "-o", "also.csv"], ws, before)
    assert message.startswith("error: also.csv: is the same file as -o s.csv")


def test_an_output_a_folder_of_inputs_would_read_next_time_is_refused(ws: Path) -> None:
    before = snapshot(ws)
    message = refused(["batch", "subs", "-o", "subs/summary.xlsx"], ws, before)
    assert message == (
        "error: subs/summary.xlsx: would be read as an input from subs the next time this command runs; write it "
        "outside, or under a name subs does not take (another extension)"
    )
    message = refused(["batch", "subs/*.yaml", "-f", "jsonl", "-o", "subs/new.yaml"], ws, before)
    assert "error: subs/new.yaml: would be read as an input from subs/*.yaml the next time" in message
    message = refused(["diff", "2022", "rules", "--inputs", "subs", "-o", "subs/diff.yaml"], ws, before)
    assert "error: subs/diff.yaml: would be read as an input from subs the next time" in message


def test_an_output_a_folder_of_inputs_does_not_read_may_stand_in_it(ws: Path) -> None:
    before = snapshot(ws)
    message = refused(["batch", "subs", "-o", "subs/summary.csv"], ws, before)  # a CSV there is a batch sheet
    assert "error: subs/summary.csv: would be read as an input from subs the next time" in message
    for run in range(2):  # the next run reads the same two departments; its own output is listed, not read
        done = runner.invoke(app, ["batch", "subs", "-o", "subs/summary.html"])
        assert done.exit_code == 0, done.output
        listed = (
            "not read: subs/summary.html: the file given to this command as -o: not read as a submission\n"
        )
        assert done.stderr.startswith("wrote subs/summary.html\n" + (listed if run else ""))
        page = (ws / "subs" / "summary.html").read_text(encoding="utf-8")
        assert "测试部门" in page and "另一部门" in page
    assert sorted(p.name for p in (ws / "subs").iterdir()) == ["a.yaml", "b.yaml", "summary.html"]


def test_the_refusal_comes_before_any_department_is_read(ws: Path) -> None:
    Path("subs/broken.yaml").write_text("department: [\n", encoding="utf-8")  # refused if it were read
    os.link("subs/a.yaml", "o.csv")
    before = snapshot(ws)
    message = refused(["batch", "subs", "-o", "o.csv"], ws, before)
    assert message.startswith("error: o.csv: refusing to write over an input file (subs/a.yaml)")


def test_the_refusal_is_said_in_chinese(ws: Path) -> None:
    os.link("in.yaml", "o.json")
    before = snapshot(ws)
    message = refused(["run", "in.yaml", "-o", "o.json", "--lang", "zh"], ws, before)
    assert message == "错误：o.json: 不能覆盖输入文件（in.yaml，二者是同一个文件）；请换一个 -o"


def test_the_command_refuses_as_users_run_it(ws: Path) -> None:
    """Through the command's entry point in its own process, with no locale set."""
    os.link("subs/a.yaml", "a.csv")
    before = snapshot(ws)
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
         str(ROOT), "batch", "subs", "-o", "summary.html", "-o", "a.csv"],
        cwd=ws, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        "error: a.csv: refusing to write over an input file (subs/a.yaml), which is the same file; "
        "choose another -o\n"
    )
    assert snapshot(ws) == before


def test_a_link_that_leads_back_to_itself_is_refused(ws: Path) -> None:
    os.symlink("loop.json", "loop.json")
    before = snapshot(ws)
    message = refused(["run", "in.yaml", "-o", "loop.json"], ws, before)
    assert message == "error: loop.json: is a symbolic link that leads back to itself; choose another -o"


def test_the_file_written_is_named_on_one_line(ws: Path) -> None:
    done = runner.invoke(app, ["run", "in.yaml", "-f", "json", "-o", "two\nlines.json"])
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines()[0] == "wrote two ⏎ lines.json"
    assert json.loads(Path("two\nlines.json").read_text(encoding="utf-8"))["department"] == "测试部门"
