"""Exactness, bounds, text safety, files, rule resolution: each class of hostile input, by its mechanism."""

from __future__ import annotations

import decimal
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from scorer.engine.result import Result
from scorer.engine.score import score
from scorer.errors import UserError
from scorer.formula.evaluate import compile_formula
from scorer.inputs.read import parse_inputs
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules

from .conftest import EXAMPLES, FIXTURE_RULES, ROOT, VALID_INPUTS, by_id, dedent

runner = CliRunner()
SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]


def score_cli(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*SCORE, *args], cwd=cwd, capture_output=True, timeout=60, **kwargs)  # type: ignore[call-overload]


def write(tmp_path: Path, text: str, name: str = "dept.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- exact numbers ----------------------------------------------------------------------------------------


def test_formula_literals_are_read_from_their_text_not_through_a_float() -> None:
    almost_one = compile_formula("0.99999999999999999", set())
    assert almost_one.evaluate({}) == Fraction(99999999999999999, 10**17)
    assert compile_formula("0.1 + 0.2", set()).evaluate({}) == Fraction(3, 10)


def test_formulas_are_exact_where_decimals_would_round(fixture_rules: RuleSet) -> None:
    """weight × (a / b) × b / a is the weight exactly, not 0.999…"""
    formula = compile_formula("weight * (a / b) * b / a", {"weight", "a", "b"})
    assert formula.evaluate({"weight": 3, "a": 1, "b": 3}) == 3


def test_floor_and_ceil_are_exact_for_negatives() -> None:
    assert compile_formula("floor(0 - 5 / 2)", set()).evaluate({}) == -3
    assert compile_formula("ceil(0 - 5 / 2)", set()).evaluate({}) == -2


def test_the_callers_decimal_context_changes_nothing(score_yaml: Callable[..., Result]) -> None:
    before = score_yaml(VALID_INPUTS)
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        after = score_yaml(VALID_INPUTS)
        shown = runner.invoke(app, ["run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-f", "json"]).stdout
    assert after == before
    assert json.loads(shown)["total"] == 94.2


def test_no_score_subtotal_or_reason_shows_minus_zero(
    rules_copy: Callable[..., Path], tmp_path: Path
) -> None:
    rules = load_rules(
        rules_copy(
            {
                "indicators/budget_execution.yaml": (
                    "weight * min(execution_rate, 100) / 100",
                    "0 - execution_rate / 1000",
                )
            }
        )
    )
    result = score(rules, parse_inputs(VALID_INPUTS, rules))
    row = by_id(result)["budget_execution"]
    assert row.score == 0 and str(row.score) == "0.00"  # type: ignore[attr-defined]
    assert row.clamped  # type: ignore[attr-defined]
    inputs = write(tmp_path, VALID_INPUTS)
    for fmt in ("markdown", "json", "table"):
        rendered = runner.invoke(app, ["run", str(inputs), "--rules", rules.folder, "-f", fmt]).stdout
        assert " -0 " not in rendered and "-0\n" not in rendered and ": -0," not in rendered


# ---- bounded values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("weight: 10", "weight: must be a finite number, got NaN"),
        ("weight: .inf", "weight: must be a finite number, got Infinity"),
        ("weight: 1.0e-999999999", "weight: 1.0E-999999999 has more than 10 decimal places"),
        ("weight: 9007199254740993", "weight: 9007199254740993 is too large to be right"),
    ],
)
def test_hostile_numbers_in_a_rule_file_are_refused_at_their_line(
    rules_copy: Callable[..., Path], edit: str, message: str
) -> None:
    new = "weight: .nan" if edit == "weight: 10" else edit
    folder = rules_copy({"indicators/budget_execution.yaml": ("weight: 10", new)})
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert f"indicators/budget_execution.yaml:5: [budget_execution] {message}" in result.stdout


def test_a_huge_golden_expectation_is_refused_not_crashed(tmp_path: Path) -> None:
    case = write(
        tmp_path,
        "name: huge\ninputs: {department: x, indicators: {}}\nexpect: {total: 1.0e-999999999}\n",
        "c.yaml",
    )
    result = runner.invoke(app, ["test", str(case), "--rules", "2022"])
    assert result.exit_code == 1
    assert "c.yaml:3: expect.total: 1.0E-999999999 has more than 10 decimal places" in result.stdout


@pytest.mark.parametrize("value", ["1", "0.934", "1.0"])
def test_a_rate_of_1_is_as_ambiguous_as_0_934(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, VALID_INPUTS.replace("execution_rate: 98.88", f"execution_rate: {value}"))
    result = runner.invoke(app, ["run", str(path), "--rules", "2022"])
    assert result.exit_code == 1
    assert "looks like a fraction; 年度平均预算执行率 is in percent" in result.stderr


def test_output_stays_proportional_to_the_input(tmp_path: Path) -> None:
    path = write(
        tmp_path, VALID_INPUTS.replace("sme_suitable_budget: 10", "sme_suitable_budget: 1e-999999999")
    )
    result = runner.invoke(app, ["run", str(path), "--rules", "2022"])
    assert result.exit_code == 1
    assert len(result.output) < 1000


# ---- text from a file is data ----------------------------------------------------------------------------

HOSTILE_NAME = "[/b][link=http://evil]点我[/link]\\x1b[31m红\\u202e局\\a\\x9b\\r# 标题 | <b>x</b>"


def _hostile(tmp_path: Path) -> Path:
    text = VALID_INPUTS.replace("department: 测试部门", f'department: "{HOSTILE_NAME}"')
    text += '  pm_system_execution:\n    deductions:\n      - {points: 1, reason: "[bold]扣[/bold]\\x1b]0;title\\x07 | a\\nb <i>"}\n'
    return write(tmp_path, text)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_no_control_character_reaches_the_screen(tmp_path: Path, fmt: str) -> None:
    done = score_cli("run", str(_hostile(tmp_path)), "--rules", "2022", "-f", fmt)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8")
    acting = [
        c
        for c in out
        if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E
    ]
    assert acting == []
    if fmt == "json":
        assert json.loads(out)["department"].startswith("[/b][link=http://evil]")  # the data itself is kept


def test_markup_in_a_file_is_shown_as_text_on_the_table(tmp_path: Path) -> None:
    done = score_cli("run", str(_hostile(tmp_path)), "--rules", "2022")
    out = done.stdout.decode("utf-8")
    assert "[/b][link=http://evil]点我[/link]" in out
    assert "[bold]扣[/bold]" in out


def test_markdown_escapes_text_everywhere(tmp_path: Path) -> None:
    done = score_cli("run", str(_hostile(tmp_path)), "--rules", "2022", "-f", "markdown")
    out = done.stdout.decode("utf-8")
    assert "<b>" not in out and "<i>" not in out
    heading = out.splitlines()[0]
    assert heading.startswith("# ") and "\\[link=http://evil\\]" in heading and "\\|" in heading
    table_rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert all(line.endswith("|") for line in table_rows)  # no row broken by a newline or a pipe


def test_errors_quote_hostile_keys_visibly(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_INPUTS + '  "\\x1b[2Jwipe": {}\n')
    done = score_cli("run", str(path), "--rules", "2022")
    assert done.returncode == 1
    assert b"\x1b" not in done.stderr and b"\\x1b[2Jwipe" in done.stderr


@pytest.mark.parametrize("name", ['"\\u200b\\u200d "', '"\\u3000"', '"\\x00"'])
def test_an_invisible_department_name_is_refused_like_an_empty_one(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, VALID_INPUTS.replace("department: 测试部门", f"department: {name}"))
    result = runner.invoke(app, ["run", str(path), "--rules", "2022"])
    assert result.exit_code == 1
    assert "department: must not be empty" in result.stderr


# ---- files are what they claim to be ------------------------------------------------------------------------


def test_devices_and_fifos_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        done = score_cli("run", path, "--rules", "2022")
        assert done.returncode == 1
        assert b"is not a regular file" in done.stderr


def test_deep_nesting_is_refused_before_the_parser(tmp_path: Path) -> None:
    path = write(tmp_path, "department: x\nindicators: " + "[" * 100_000 + "\n")
    done = score_cli("run", str(path), "--rules", "2022")
    assert done.returncode == 1
    assert b"nests too deeply" in done.stderr


def test_a_rules_link_leading_outside_is_refused(rules_copy: Callable[..., Path], tmp_path: Path) -> None:
    folder = rules_copy()
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(folder / "indicators" / "asset_inventory.yaml", outside)
    (folder / "indicators" / "asset_inventory.yaml").symlink_to(outside)
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "asset_inventory.yaml:1: is a link that leads outside the rules folder" in result.stdout


def test_output_never_replaces_a_device_a_fifo_or_a_hard_link_of_the_inputs(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    link = tmp_path / "link.json"
    os.link(inputs, link)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    for target, message in (
        (link, "refusing to write over an input file"),
        (fifo, "is not a regular file"),
        (Path("/dev/null"), "is not a regular file"),
    ):
        done = score_cli("run", str(inputs), "--rules", "2022", "-o", str(target))
        assert done.returncode == 1, target
        assert message.encode() in done.stderr
    assert inputs.read_text(encoding="utf-8") == VALID_INPUTS


def test_output_keeps_permissions_names_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    existing = tmp_path / "result.json"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o640)
    assert score_cli("run", str(inputs), "--rules", "2022", "-f", "json", "-o", str(existing)).returncode == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    assert score_cli("run", str(inputs), "--rules", "2022", "-o", str(fresh)).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~_umask()
    long_name = tmp_path / ("自" * 80 + ".md")  # 240 bytes: a temporary name built on it would not fit
    assert score_cli("run", str(inputs), "--rules", "2022", "-o", str(long_name)).returncode == 0
    dash = score_cli("run", str(inputs), "--rules", "2022", "-f", "json", "-o", "-")
    assert json.loads(dash.stdout)["department"] == "测试部门"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_unwritable_folder_closed_stdout_and_narrow_encoding_are_user_errors(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        done = score_cli("run", str(inputs), "--rules", "2022", "-o", str(locked / "x.md"))
        assert done.returncode == 1 and b"permission denied" in done.stderr
    finally:
        locked.chmod(0o700)


def test_a_closed_or_narrow_stdout_is_exit_1(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    closed = subprocess.run(
        [*SCORE, "run", str(inputs), "--rules", "2022"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 1 and b"standard output" in closed.stderr
    narrow = score_cli("run", str(inputs), "--rules", "2022", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert narrow.returncode == 1 and b"cannot show Chinese text" in narrow.stderr
    assert b"bug" not in narrow.stderr


# ---- rules are found as the user meant ------------------------------------------------------------------------


def test_a_local_folder_named_like_a_year_never_silently_hides_the_shipped_rules(tmp_path: Path) -> None:
    inputs = write(tmp_path, VALID_INPUTS)
    (tmp_path / "2022").mkdir()  # a folder of departments' files, not rules: the shipped year is meant
    assert score_cli("run", str(inputs), "--rules", "2022", cwd=tmp_path).returncode == 0
    shutil.copytree(FIXTURE_RULES, tmp_path / "rules2022")
    shutil.rmtree(tmp_path / "2022")
    (tmp_path / "rules2022").rename(tmp_path / "2022")
    done = score_cli("run", str(inputs), "--rules", "2022", cwd=tmp_path)
    assert done.returncode == 2 and b"both a shipped year and a rules folder here" in done.stderr
    assert score_cli("run", str(inputs), "--rules", "./2022", cwd=tmp_path).returncode == 0


def test_empty_rules_is_a_usage_error(tmp_path: Path) -> None:
    done = score_cli("run", str(write(tmp_path, VALID_INPUTS)), "--rules", "")
    assert done.returncode == 2 and b"--rules is empty" in done.stderr


def test_a_folder_named_for_another_year_is_a_lint_error(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy(name="2023")
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "rubric.yaml:2: the folder is named 2023 but its year is 2022" in result.stdout


def test_a_draft_year_is_not_shipped() -> None:
    from scorer.sources.shipped import shipped_years

    assert shipped_years() == ["2022"]


# ---- maintainer commands hold too ----------------------------------------------------------------------------


def test_diff_reports_a_failing_case_as_its_outcome(rules_copy: Callable[..., Path]) -> None:
    broken = rules_copy(
        {
            "indicators/budget_execution.yaml": (
                "weight * min(execution_rate, 100) / 100",
                "weight / (execution_rate - 98.88)",
            )
        }
    )
    result = runner.invoke(
        app, ["diff", str(FIXTURE_RULES), str(broken), "--inputs", str(ROOT / "tests" / "golden")]
    )
    assert result.exit_code == 0, result.output
    assert (
        "fails: " in result.stdout
        and "budget_execution.yaml:11: [budget_execution] formula: division by zero" in result.stdout
    )
    assert "zhengwu-fuwu-published-table.yaml" in result.stdout  # a case that names its inputs_file is read


def test_a_formula_runtime_error_names_its_file_and_line(
    rules_copy: Callable[..., Path], tmp_path: Path
) -> None:
    broken = rules_copy(
        {
            "indicators/budget_execution.yaml": (
                "weight * min(execution_rate, 100) / 100",
                "weight / (execution_rate - 98.88)",
            )
        }
    )
    result = runner.invoke(app, ["run", str(write(tmp_path, VALID_INPUTS)), "--rules", str(broken)])
    assert result.exit_code == 1
    assert (
        "indicators/budget_execution.yaml:11: [budget_execution] formula: division by zero" in result.stderr
    )


def test_the_digest_ignores_comments_and_line_endings_but_not_values(rules_copy: Callable[..., Path]) -> None:
    base = load_rules(rules_copy(name="a")).digest
    commented = rules_copy(name="b")
    for path in commented.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(("# a comment\n" + text).replace("\n", "\r\n").encode("utf-8"))
    assert load_rules(commented).digest == base
    changed = rules_copy({"indicators/asset_inventory.yaml": ("weight: 1", "weight: 1.0")}, name="c")
    assert load_rules(changed).digest == base  # 1.0 is 1
    reweighted = rules_copy({"rubric.yaml": ("title: 部门整体支出绩效自评表", "title: 另一张表")}, name="d")
    assert load_rules(reweighted).digest != base


def test_results_carry_the_engine_version() -> None:
    from scorer import __version__

    shown = runner.invoke(app, ["run", str(EXAMPLES / "2022-zhengwu-fuwu.yaml"), "-f", "json"]).stdout
    assert json.loads(shown)["engine"] == {"name": "rubric-scorer", "version": __version__}


def test_a_case_outside_is_never_read_through_inputs_file(tmp_path: Path) -> None:
    case = write(tmp_path, "name: x\ninputs_file: /etc/passwd\nexpect: {total: 1}\n", "case.yaml")
    result = runner.invoke(app, ["test", str(case), "--rules", "2022"])
    assert result.exit_code == 1
    assert "lies outside the case's folder" in result.stdout


def test_user_error_lists_are_data(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        parse_inputs(
            dedent("department: x\nindicators: {budget_execution: {execution_rate: .nan}}\n"),
            load_rules(FIXTURE_RULES),
        )


def test_the_rules_cache_is_used_only_when_nobody_else_could_have_written_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorer.rules import cache

    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    first = load_rules(FIXTURE_RULES)
    entries = list((tmp_path / "cache").glob("rules-*.json"))
    assert len(entries) == 1 and load_rules(FIXTURE_RULES) == first
    entries[0].chmod(0o666)  # writable by others: never read, the rules are read again
    folder = cache.open_folder()
    assert folder is not None and cache.read_entry(folder, entries[0].name) is None
    os.close(folder)
    entries[0].write_bytes(b"not an entry")
    entries[0].chmod(0o600)
    assert load_rules(FIXTURE_RULES) == first  # a broken entry is ignored
    monkeypatch.setenv("SCORE_CACHE_DIR", "/proc/nonexistent/cache")  # an unwritable cache changes nothing
    assert load_rules(FIXTURE_RULES) == first


def test_a_changed_rule_file_is_never_served_from_the_cache(rules_copy: Callable[..., Path]) -> None:
    folder = rules_copy()
    before = load_rules(folder)
    path = folder / "indicators" / "asset_inventory.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 1", "weight: 2"), encoding="utf-8")
    with pytest.raises(UserError):  # the weights no longer add up: read again, and refused
        load_rules(folder)
    assert before.indicator("asset_inventory").weight == 1  # type: ignore[union-attr]


def test_an_edited_rubric_keeps_one_cache_entry(
    rules_copy: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit makes the entry before it stale: it is removed when the new one is stored, and the entries of
    another rules folder, and of a shipped file, stay."""
    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    folder = rules_copy()
    load_rules(FIXTURE_RULES)
    path = folder / "rubric.yaml"
    for edit in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"# edit {edit}\n", encoding="utf-8")
        load_rules(folder)
    entries = sorted(p.name for p in (tmp_path / "cache").glob("rules-*.json"))
    assert len(entries) == 2 and entries[0].split("-")[1] != entries[1].split("-")[1]  # one per folder
    import scorer.rules.read

    monkeypatch.setattr(scorer.rules.read, "read_rules", None)  # reading again would fail: from the cache
    assert load_rules(folder).folder == str(folder)
