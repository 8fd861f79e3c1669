"""How fast `score` scores, against a hand-written scorer and GoRules ZEN, on generated 2022 departments.

    python benchmarks/scoring.py [--n 20000] [--stream N] [--zen-n N] [--seed 2022]

Generates `--n` varied departments deterministically (benchmarks/departments.py) and measures, on one core:

1. scoring alone: the rules loaded once, the engine over departments already read (`scorer.engine.score.score`);
   the three scorers of 1-3 take turns of 200 departments each, so that the machine's load falls on all alike;
2. a plain hand-written Python scorer of the 2022 rubric (benchmarks/baseline_2022.py), same exact rounding;
3. GoRules ZEN (`pip install -e .[bench]`) evaluating the same rubric as a JSON decision model
   (benchmarks/rubric-2022.jdm.json) through `ZenDecision.evaluate`, on `--zen-n` of them (default: all);
4. end to end, in a child process, through the batch command's own path (`scorer.batch.run.jsonl_to_jsonl`,
   the JSON Lines `score batch IN.jsonl -o OUT.jsonl` writes): JSON Lines of inputs (Contract 1) read, checked as
   a YAML file is, scored and written as JSON Lines of results (Contract 3), streamed, for `--stream`
   departments (default `--n`; a file of that many lines is written first), with the child's peak RSS
   (`resource.getrusage`; with `--jobs N`, N worker processes, the largest of them). For the memory target:
   `--stream 1000000`.

It checks that every scorer gives the same total and grade for every department, prints departments per second
and the ratios, and exits 1 on any disagreement. Not a timed test: figures depend on the machine.

Measured on one core of a shared 2-core machine (the hand-written scorer takes 115-200 µs a department there,
depending on the hour): engine 1,790-1,980 departments/s; hand-written 4,630-5,120/s (engine 2.6-2.7x its time;
target 3x); ZEN 1,100-1,680/s (engine 1.07-1.7x its speed; target > 1x); end to end 490-840/s (target 5,000/s,
not reached: the hand-written scorer alone takes about 200 µs a department there), with --jobs 2 about 1,150/s;
peak RSS 30-31 MB, flat: a million departments streamed in 1,779 s at 31 MB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import baseline_2022  # noqa: E402
from departments import departments  # noqa: E402

from scorer.engine.score import score  # noqa: E402
from scorer.errors import LineMap  # noqa: E402
from scorer.inputs.read import read_inputs  # noqa: E402
from scorer.rules.read import load_rules  # noqa: E402
from scorer.sources.yaml import YamlDocument  # noqa: E402


def _total_and_grade(result: Any) -> tuple[Decimal, str]:
    return result.total, result.grade


def _zen_total(answer: dict[str, Any]) -> tuple[Decimal, str]:
    return Decimal(repr(answer["result"]["total"])), answer["result"]["grade"]


def _race(entrants: list[tuple[str, list[Any], Callable[[Any], Any]]], round_size: int = 200) -> list[Any]:
    """Each entrant (label, items, work) works through its items in turns of `round_size`, one entrant after
    the other, so that a change in the machine's load falls on all of them alike. Prints each one's rate;
    returns (rate, outputs) per entrant. Each `work` returns only the total and grade compared afterwards: a
    result is let go as soon as it is made, as a batch lets it go once written (holding 20,000 whole results
    would measure the memory they fill rather than the scoring)."""
    seconds = [0.0] * len(entrants)
    outputs: list[list[Any]] = [[] for _ in entrants]
    longest = max(len(items) for _, items, _ in entrants)
    for start in range(0, longest, round_size):
        for n, (_, items, work) in enumerate(entrants):
            chunk = items[start : start + round_size]
            if not chunk:
                continue
            began = time.perf_counter()
            outputs[n].extend([work(item) for item in chunk])
            seconds[n] += time.perf_counter() - began
    rates = []
    for (label, items, _), spent in zip(entrants, seconds, strict=True):
        rates.append(len(items) / spent)
        print(
            f"  {label:<34} {len(items) / spent:>10,.0f} departments/s  ({spent * 1e6 / len(items):7.1f} µs each)"
        )
    return list(zip(rates, outputs, strict=True))


def _child(path: str, out: str, jobs: str) -> None:
    """Run in a child process: stream `path` to `out` through the batch command's own path (the JSON Lines
    `score batch PATH -o OUT.jsonl` writes), print (seconds, scored, refused, peak RSS in MB) as JSON."""
    import resource

    from scorer.batch.run import jsonl_to_jsonl

    start = time.perf_counter()
    rules = load_rules("2022")
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        refusals = jsonl_to_jsonl(source, sink, rules, jobs=int(jobs), lang="zh", display=path)
    seconds = time.perf_counter() - start
    for refusal in refusals:
        print(refusal.source.place, *(p.message for p in refusal.problems), file=sys.stderr)
    refused = len(refusals)
    with open(out, encoding="utf-8") as written:
        scored = sum(1 for _ in written)
    usage = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    peak = usage / 1024  # kilobytes on Linux; with --jobs, the largest of this process and its workers
    print(json.dumps({"seconds": seconds, "scored": scored, "refused": refused, "rss_mb": peak}))


def _totals_of(path: Path) -> Iterable[tuple[Decimal, str]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line, parse_float=Decimal)
            yield Decimal(data["total"]), data["grade"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=20000, help="departments for the comparisons (default 20000)"
    )
    parser.add_argument(
        "--stream", type=int, default=None, help="departments streamed end to end (default --n)"
    )
    parser.add_argument("--zen-n", type=int, default=None, help="departments given to ZEN (default --n)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes for the end-to-end run (default 1: one core)"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    streamed = args.stream if args.stream is not None else args.n

    with tempfile.TemporaryDirectory(prefix="score-bench-") as folder:
        # First, while this process is small: a child inherits its parent's peak RSS as its own starting figure.
        source, sink = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        print(f"writing {streamed:,} departments as JSON Lines (seed {args.seed}) …")
        with open(source, "w", encoding="utf-8") as handle:
            handle.writelines(
                json.dumps(d, ensure_ascii=False) + "\n" for d in departments(streamed, args.seed)
            )
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(source), str(sink), str(args.jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        stream = json.loads(child.stdout)
        ends = list(itertools.islice(_totals_of(sink), args.n))

    print(f"generating {args.n:,} departments (seed {args.seed}) …")
    documents = list(departments(args.n, args.seed))
    rules = load_rules("2022")
    read = [read_inputs(YamlDocument("<generated>", d, LineMap()), rules) for d in documents]
    prepared = [baseline_2022.prepare(d) for d in documents]
    print(f"one core; Python {sys.version.split()[0]}")

    entrants: list[tuple[str, list[Any], Callable[[Any], Any]]] = [
        ("score (engine, rules loaded once)", read, lambda d: _total_and_grade(score(rules, d))),
        ("hand-written Python scorer", prepared, lambda p: baseline_2022.score(p)[:2]),
    ]
    try:
        import zen
    except ImportError:
        zen = None
    if zen is not None:
        import zen_2022

        decision = zen.ZenEngine().create_decision(zen_2022.JDM.read_text(encoding="utf-8"))
        count = min(args.zen_n or args.n, args.n)
        contexts = [zen_2022.context(d) for d in documents[:count]]
        entrants.append(
            ("GoRules ZEN (ZenDecision.evaluate)", contexts, lambda c: _zen_total(decision.evaluate(c)))
        )
    raced = _race(entrants)
    (engine_rate, engine_totals), (base_rate, baseline) = raced[:2]
    disagree = sum(1 for e, b in zip(engine_totals, baseline, strict=True) if e != b)
    disagree += sum(1 for e, s in zip(engine_totals, ends, strict=False) if e != s)
    disagree += len(engine_totals[: len(ends)]) != min(args.n, streamed)

    zen_rate = None
    if zen is None:
        print("  GoRules ZEN                        not installed (pip install -e '.[bench]')")
    else:
        zen_rate, zen_totals = raced[2]
        disagree += sum(1 for e, z in zip(engine_totals, zen_totals, strict=False) if e != z)

    stream_rate = stream["scored"] / stream["seconds"]
    label = "end to end, JSON Lines → JSON Lines" + (f" (--jobs {args.jobs})" if args.jobs > 1 else "")
    print(
        f"  {label:<34} {stream_rate:>10,.0f} departments/s"
        f"  ({streamed:,} streamed in {stream['seconds']:.1f} s, peak RSS {stream['rss_mb']:.0f} MB)"
    )

    print()
    print(f"engine / hand-written time:  {base_rate / engine_rate:5.2f}x  (target ≤ 3x)")
    if zen_rate is not None:
        print(f"engine speed / ZEN speed:    {engine_rate / zen_rate:5.2f}x  (target > 1x)")
    cores = "one core" if args.jobs <= 1 else f"{args.jobs} processes"
    print(f"end to end:                  {stream_rate:,.0f}/s on {cores}  (target ≥ 5,000/s on one core)")
    print(f"peak RSS streaming:          {stream['rss_mb']:.0f} MB  (target < 150 MB for 1,000,000)")
    print(f"totals and grades agree:     {'yes' if not disagree else f'NO ({disagree} differ)'}")
    if stream["scored"] != streamed:
        disagree += 1
    return 1 if disagree or stream["refused"] else 0


if __name__ == "__main__":
    os.environ.setdefault("SCORE_LANG", "zh")
    sys.exit(main())
