"""What the history database costs a department: milliseconds and bytes (not a test: timings vary by machine).

    python benchmarks/history_db.py [COUNT …] [--rounds N]

For each COUNT (default 1,000 and 10,000), scores COUNT generated departments (benchmarks/departments.py; not
timed), then writes them to a new database two ways, the best of N rounds (default 3) each:

- `score`: what `score batch --db` does for them (scorer/batch/history.py): the database opened and verified,
  each department's previous year looked up, its rows replaced (an upsert), its result JSON written, a
  transaction every `Writer.BATCH` departments;
- the baseline: the same facts written by hand, as an SQLite expert would, with nothing checked: the same tables
  (integer ids, the indicators once, the scores WITHOUT ROWID, the result JSON compressed against the first), every row gathered
  first and written by `executemany` in one transaction, the statements prepared once.

Both serialise each result to its JSON (`scorer.render.json_result.as_line`, as `score batch` writes JSON Lines), which is part of the facts; that
share is printed on its own. The two databases are checked to hold the same rows (untimed) before anything is
printed. Per department: ms (the time over COUNT), KB (the file's size over COUNT, 1 KB = 1,000 bytes).
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Benchmark the checkout this script lives in, not whichever copy of the package is installed.
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from departments import departments  # noqa: E402

from scorer.batch.history import Writer, connect  # noqa: E402
from scorer.batch.history_schema import TABLES_4, ZDICT_SIZE, packed  # noqa: E402
from scorer.engine.result import Result  # noqa: E402
from scorer.render.json_result import as_line  # noqa: E402

LANG = "zh"
BASELINE_SCHEMA = ";\n".join(TABLES_4.values())  # the layout an expert would choose; nothing verified


def scored(count: int) -> list[Result]:
    """COUNT generated departments, scored as `score batch` scores them (not timed)."""
    from scorer.engine.score import score
    from scorer.inputs.read import read_inputs
    from scorer.rules.read import load_rules
    from scorer.sources.jsonl import parse_line

    rules = load_rules("2022")
    lines = (json.dumps(document, ensure_ascii=False) for document in departments(count))
    return [
        score(rules, read_inputs(parse_line(line, "in.jsonl", n), rules)) for n, line in enumerate(lines, 1)
    ]


def place(number: int) -> str:
    return f"in.jsonl:{number}"


def with_score(db: Path, results: list[Result]) -> None:
    """As `score batch --db` writes (scorer/batch/run.py: the previous year, then the rows)."""
    writer = Writer(connect(db), LANG)
    try:
        writer.names_of(results[0].year - 1)
        for number, result in enumerate(results, start=1):
            writer.previous(result)
            writer.add(result, place(number))
        writer.commit()
    finally:
        writer.close()


def by_hand(db: Path, results: list[Result]) -> None:
    """The same facts, written directly: gathered, then one transaction of three `executemany`."""
    text = Decimal.__format__
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    catalogue: dict[tuple[str, str, str, str], int] = {}
    zdict = b""  # the first result: the dictionary every result is compressed with
    rows, scores = [], []
    for number, r in enumerate(results, start=1):
        data = as_line(r, LANG).encode("utf-8")
        zdict = zdict or data[-ZDICT_SIZE:]
        document = packed(data, zdict)
        rows.append((number, r.department, r.year, r.rules_digest, str(r.rules_year), text(r.total, "f"),
                     text(r.max, "f"), r.grade, place(number), r.engine_version, stamp, 1, document))  # fmt: skip
        for position, i in enumerate(r.indicators, start=1):
            ident = catalogue.setdefault((i.id, i.title, i.level1, i.level2), len(catalogue) + 1)
            scores.append((number, position, ident, text(i.weight, "f"), text(i.score, "f"),
                           text(i.lost, "f"), int(i.overridden)))  # fmt: skip
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.executescript(BASELINE_SCHEMA)
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO indicators VALUES (?, ?, ?, ?, ?)", [(n, *key) for key, n in catalogue.items()]
        )
        connection.execute("INSERT INTO dictionaries VALUES (1, ?)", (zdict,))
        connection.executemany("INSERT INTO departments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO indicator_scores VALUES (?, ?, ?, ?, ?, ?, ?)", scores)
        connection.execute("COMMIT")
    finally:
        connection.close()


def serialised(results: list[Result]) -> None:
    """The share both pay: each result as its JSON, compressed against the first."""
    zdict = as_line(results[0], LANG).encode("utf-8")[-ZDICT_SIZE:]
    for r in results:
        packed(as_line(r, LANG).encode("utf-8"), zdict)


def best(
    write: Callable[[Path, list[Result]], None], results: list[Result], rounds: int
) -> tuple[float, int, tuple[Any, ...]]:
    """The fastest of `rounds` writes to a new file: (seconds, the file's bytes, the rows it holds)."""
    times, size, held = [], 0, ()
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="score-history-") as folder:
            db = Path(folder) / "h.sqlite"
            start = time.perf_counter()
            write(db, results)
            times.append(time.perf_counter() - start)
            size, held = db.stat().st_size, rows_of(db)
    return min(times), size, held


def rows_of(db: Path) -> tuple[Any, ...]:
    """What a database holds, the id, source and time aside: the rows both writers must agree on."""
    connection = sqlite3.connect(db)
    try:
        return (
            connection.execute(
                "SELECT department, year, rules_digest, rules_year, total, max, grade, engine_version, result_json "
                "FROM departments ORDER BY department"
            ).fetchall(),
            connection.execute(
                "SELECT d.department, s.position, i.indicator, i.name, i.level1, i.level2, s.weight, s.score, "
                "s.lost, s.overridden FROM indicator_scores s JOIN departments d ON d.id = s.scoring "
                "JOIN indicators i ON i.id = s.indicator ORDER BY 1, 2"
            ).fetchall(),
            connection.execute("SELECT id, zdict FROM dictionaries").fetchall(),
        )
    finally:
        connection.close()


def measure(count: int, rounds: int) -> dict[str, float]:
    results = scored(count)
    # `score batch` streams: it holds one result at a time. Held here all at once, they would make each of the
    # collector's passes walk them all (a third of the time at 10,000); both writers are measured without that.
    gc.freeze()
    score_s = hand_s = float("inf")
    for _ in range(rounds):  # taken in turns, so that a busy spell of the machine falls on both alike
        took, score_size, score_rows = best(with_score, results, 1)
        score_s = min(score_s, took)
        took, hand_size, hand_rows = best(by_hand, results, 1)
        hand_s = min(hand_s, took)
    if score_rows != hand_rows:
        sys.exit("the two databases do not hold the same rows: the comparison would not be fair")
    start = time.perf_counter()
    serialised(results)
    json_s = time.perf_counter() - start
    return {
        "score_ms": score_s * 1000 / count,
        "score_kb": score_size / 1000 / count,
        "baseline_ms": hand_s * 1000 / count,
        "baseline_kb": hand_size / 1000 / count,
        "json_ms": json_s * 1000 / count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; best of {args.rounds} rounds")
    print("departments   score --db ms/KB   baseline ms/KB   ratio ms/KB   (JSON+zlib, both: ms)")
    for count in args.counts:
        f = measure(count, args.rounds)
        print(
            f"{count:>11,}   {f['score_ms']:.3f} / {f['score_kb']:.2f}    {f['baseline_ms']:.3f} / "
            f"{f['baseline_kb']:.2f}    {f['score_ms'] / f['baseline_ms']:.2f} / "
            f"{f['score_kb'] / f['baseline_kb']:.2f}   ({f['json_ms']:.3f})"
        )


if __name__ == "__main__":
    main()
