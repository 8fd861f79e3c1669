"""Every summary of `score batch` is written as it is made, a row at a time, into a temporary file that is checked
again just before it is put in place: peak memory flat in the number of departments, whatever the format."""

from __future__ import annotations

import io
import os
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scorer.batch.adjust import Given
from scorer.batch.summary import Brief, Summary


def summary_of(rules: Any, count: int) -> Summary:
    """`count` departments as a batch adds them, with notes, the department's own scores and the bureau's."""
    summary = Summary(rules, "zh")
    subtotals = tuple(Decimal("3.00") for _ in summary.nodes)
    for number in range(count):
        own = (Given("budget_execution", Decimal(1), "配置资产超出编制。"),) if number % 5 == 0 else ()
        bureau = (
            (Given("budget_execution", Decimal(5), "复核调整。", Decimal("9.91")),) if number % 7 == 0 else ()
        )
        seen = Brief(
            f"示例区第{number}局", 2022, Decimal(90) - Decimal(number % 997) / 100, "优", subtotals,
            (("budget_execution", Decimal(1), ("原因",)),), ("预算执行率：扣完为止",) * (number % 3 == 0),
            Decimal("88.50") if number % 4 == 0 else None, own, bureau,
        )  # fmt: skip
        summary.add_brief(seen, f"各部门.jsonl:{number + 1}")
    summary.ranked()  # the ranking itself (two arrays of positions): worked out before the writing is measured
    return summary


def peak_writing(summary: Summary, path: Path, fmt: str) -> int:
    """The most memory Python held at once (beyond what it held before) while `score batch` wrote the summary."""
    from scorer.batch.outputs import Command, Outputs, write_summaries
    from scorer.batch.report import SUMMARIES
    from scorer.render import by_name
    from scorer.sources.file_plan import FilePlan

    outputs = Outputs(FilePlan().write(path), None, [(path, by_name(fmt, SUMMARIES))])  # type: ignore[arg-type]
    wrote: list[Path] = []
    tracemalloc.start()
    try:
        write_summaries(summary, Command([], outputs=[path]), outputs, "zh", io.StringIO(), wrote.append)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert wrote == [path] and path.stat().st_size > 0
    return peak


@pytest.mark.parametrize(("fmt", "few"), [("csv", 400), ("html", 400), ("table", 400), ("xlsx", 60)])
def test_writing_any_summary_takes_no_more_memory_for_eight_times_the_departments(
    fmt: str, few: int, rules_2022: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorer.batch.report import html_parts

    monkeypatch.setattr(html_parts, "PAGE_ROWS", 50)  # the page's long tables are held a page at a time
    large = summary_of(rules_2022, 8 * few)
    # Written once first: what the first writing loads, and the bounded caches it fills (rich's widths of text).
    peak_writing(large, tmp_path / f"first.{fmt}", fmt)
    # Each the least of two writings: where the collector's passes fall moves a writing's peak by a few hundred
    # kilobytes (a workbook's cycles found late), while what a writer holds per department is held every time.
    few_ones = summary_of(rules_2022, few)
    small = min(peak_writing(few_ones, tmp_path / f"small.{fmt}", fmt) for _ in range(2))
    grown = min(peak_writing(large, tmp_path / f"large.{fmt}", fmt) for _ in range(2)) - small
    # Held whole, a document took 1.5 KB or more a department (8 KB for a workbook's cells); rows made one at a
    # time leave only what bounded caches keep (rich's widths of text).
    assert grown < 200 * 7 * few, (fmt, small, grown)
    assert sorted(os.listdir(tmp_path)) == [
        f"first.{fmt}",
        f"large.{fmt}",
        f"small.{fmt}",
    ]  # no temporary file


def test_an_output_whose_name_leads_to_an_input_by_the_time_it_is_written_is_refused_and_nothing_is_left(
    tmp_path: Path,
) -> None:
    from scorer.errors import UserError
    from scorer.sources.file_plan import FilePlan
    from scorer.sources.output import write_streamed

    source = tmp_path / "部门.yaml"
    source.write_text("department: 甲局\n", "utf-8")
    target = tmp_path / "汇总.csv"
    plan = FilePlan(inputs=[source]).write(target)
    plan.check()

    def fill(out: Any) -> None:
        out.write("名次,部门\r\n".encode())
        os.link(source, target)  # while the summary is written, its name comes to lead to an input
        out.write("1,甲局\r\n".encode())

    with pytest.raises(UserError) as raised:
        write_streamed(target, fill, plan)
    assert "部门.yaml" in str(raised.value) and "汇总.csv" in str(raised.value)
    assert source.read_text("utf-8") == "department: 甲局\n"
    assert set(os.listdir(tmp_path)) == {"部门.yaml", "汇总.csv"}  # the link, and no temporary file


@pytest.mark.parametrize("name", ["汇总.csv", "汇总.xlsx", "汇总.html"])
def test_a_disk_that_fills_while_a_summary_is_written_is_one_message_and_leaves_no_file(
    name: str, tmp_path: Path
) -> None:
    import resource
    import subprocess
    import sys

    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "examples" / "batch"))
    import make_departments

    make_departments.write(tmp_path / "各部门", make_departments.departments(30, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "SCORE_LANG")}

    def small_disk() -> None:  # a file grows past 1 KB: "File too large", as a full disk would refuse it
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    done = subprocess.run(
        [sys.executable, "-m", "scorer", "batch", "各部门", "--rules", "2022", "-o", name],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
        preexec_fn=small_disk,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and name in done.stderr and "Traceback" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["各部门"]  # nothing half-written, no temporary file
