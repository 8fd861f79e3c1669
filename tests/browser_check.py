"""Open the batch's HTML report in a real browser (headless Chromium) and check what a reader would see. Run by
.ci/run (it installs Chromium when missing):

    python tests/browser_check.py OUTPUT_FOLDER

Forty departments (two broken) are written by examples/batch/make_departments.py and scored into summary.html
and summary.jsonl. Then Chromium takes a screenshot (summary.png, kept for a person to look at), the page must
log nothing to the console (no script error, no blocked fetch: the page fetches nothing), and the numbers in the
page as Chromium built it (`--dump-dom`) must equal the JSON Lines results: each ranking row's rank, department,
total shown and grade, and the grade distribution's bars. First, the same console check is run on a page that
does break its policy, to show that the check can fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKEN_PAGE = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    '</head><body><img src="http://198.51.100.1/x.png"></body></html>'
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browse(browser: str, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--enable-logging=stderr", "--v=0", *extra, page.resolve().as_uri()]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def console(done: subprocess.CompletedProcess[str]) -> list[str]:
    """What the page logged: Chromium writes each console message as an INFO:CONSOLE line."""
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[dict[str, str], list[str]]] = []
        self.bars: dict[str, int] = {}
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "tr" and found.get("class") == "rank-row":
            self.rows.append((found, []))
        elif tag == "td" and self.rows and self._cell is None:
            self._cell = []
        elif tag == "g" and "data-grade" in found:
            self.bars[found["data-grade"]] = int(found["data-count"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self.rows:
            self.rows[-1][1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def main() -> int:
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    browser = chromium()
    if browser is None:
        print("Chromium is not installed", file=sys.stderr)
        return 1
    broken = out / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    if not console(browse(browser, broken, "--dump-dom")):
        print(
            "the console check saw nothing on a page that breaks its policy: it cannot be trusted",
            file=sys.stderr,
        )
        return 1

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "examples" / "batch" / "make_departments.py"), str(out / "inputs")],
                   check=True, env=env)  # fmt: skip
    scored = subprocess.run(
        [sys.executable, "-m", "scorer", "batch", str(out / "inputs"), "--rules", "2022", "--lang", "zh",
         "-o", str(out / "summary.html"), "-o", str(out / "summary.jsonl")],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if scored.returncode != 1 or scored.stderr.count("错误：") != 2:
        print(
            f"score batch: exit {scored.returncode}, expected 1 with two refusals\n{scored.stderr}",
            file=sys.stderr,
        )
        return 1
    results = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]

    failures = []
    shot = out / "summary.png"
    shown = browse(browser, out / "summary.html", "--window-size=1280,2400", f"--screenshot={shot}")
    if not shot.is_file() or shot.stat().st_size < 10_000:
        failures.append("no screenshot")
    dumped = browse(browser, out / "summary.html", "--dump-dom")
    failures += [f"console: {line}" for line in console(shown) + console(dumped)]
    page = Page()
    page.feed(dumped.stdout)
    by_name = {r["department"]: r for r in results}
    if len(page.rows) != len(results):
        failures.append(f"{len(page.rows)} ranking rows for {len(results)} results")
    previous = None
    for position, (row, cells) in enumerate(page.rows, start=1):
        result = by_name.get(row.get("data-department", ""))
        if result is None:
            failures.append(f"row {position}: {row.get('data-department')!r} is not in the results")
            continue
        total = Decimal(str(result["total"]))
        if Decimal(cells[2]) != total or Decimal(row["data-total"]) != total:
            failures.append(f"row {position}: total {cells[2]} / {row['data-total']}, the JSON says {total}")
        if cells[3] != result["grade"] or cells[1] != result["department"]:
            failures.append(
                f"row {position}: {cells[1]} {cells[3]}, the JSON says {result['department']} {result['grade']}"
            )
        if previous is not None and total > previous:
            failures.append(f"row {position}: ranked below a lower total")
        previous = total
    grades = Counter(r["grade"] for r in results)
    if any(page.bars.get(grade, 0) != grades.get(grade, 0) for grade in set(grades) | set(page.bars)):
        failures.append(f"grade bars {page.bars}, the JSON gives {dict(grades)}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"summary.html: {len(page.rows)} departments, {dict(page.bars)}, screenshot {shot}, "
          f"{'as the JSON says' if not failures else f'{len(failures)} problems'}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
