"""How fast `score` scores and runs a batch, against a hand-written exact scorer, GoRules ZEN and a hand-written
pipeline, on generated 2022 departments, in one run, checking that all agree.

    python benchmarks/scoring.py [--n 20000] [--rounds 5] [--batch N] [--jobs N] [--seed 2022] [--cpu N] [--quick]
                                 [--clock cpu|wall]

On one core (the process pins itself and the children it starts to the last core it was given, or `--cpu`), in
`--rounds` rounds, timing CPU seconds (this process's, or each child's user and system time; `--clock wall` for
wall seconds: CPU time is what the work costs on its core, whatever else the machine runs):

1. scoring, over `--n` departments generated deterministically (benchmarks/departments.py), in turns of 200 per
   entrant so that a change in the machine's load falls on all alike:
   - the engine (`scorer.engine.score.score`, rules loaded once, departments already read);
   - the hand-written exact scorer in integers (benchmarks/baseline_2022.py, departments already read into
     integers);
   - GoRules ZEN (`pip install -e '.[bench]'`), the rubric as a decision model (benchmarks/rubric-2022.jdm.json),
     created once and called the fastest of the ways its Python API offers (measured first: `zen_ways`);
   - a batch's reading of one JSON line (`parse_line`) and checking of its department (`read_inputs`, which
     proves a valid department the fast way, scorer/inputs/fast.py), and the same department checked by the
     full reader (`read_in_full`, what every department took before, and every department the fast reader
     does not prove valid);
2. end to end, over `--batch` departments (default `--n`) as JSON Lines, each round: the real
   `score batch IN.jsonl -o OUT.jsonl` as users run it (a child process, with its summary) and the hand-written
   pipeline (benchmarks/pipeline_2022.py: orjson in, the integer scorer, bytes out), each its own process; with
   `--jobs N`, `score batch --jobs N` too, on every core this process was given (benchmarks/end_to_end.py).

It checks that the engine, the hand-written scorer and ZEN agree on every total, grade and row score, and that
the two pipelines write the same bytes; it exits 1 on any disagreement. It prints each entrant's median time a
department with its range over the rounds (min–max), and each ratio as the median of the per-round ratios with
their range. Not a timed test: figures depend on the machine and its load. `--quick` (1,000 departments,
3 rounds) runs in well under a minute, for CI.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import baseline_2022  # noqa: E402
import end_to_end  # noqa: E402
from departments import departments  # noqa: E402

TURN = 200  # departments per entrant per turn
# What is timed: this process's CPU time (all its threads'), by default: the entrants share one core, and what else
# the machine runs does not fall on their figures; `--clock wall` times wall seconds.
clock = time.process_time
ZEN = 5  # ZEN's place among the entrants, when installed (the last)
Work = Callable[[list[Any]], list[Any]]
Answer = Callable[[Any], tuple[int, str, list[int]]] | None
Entrant = tuple[str, list[Any], Work, Answer]  # label, items as it takes them, timed work, what is compared


def engine_answer(result: Any) -> tuple[int, str, list[int]]:
    """(total, grade, row scores) of an engine result, scores in hundredths (exact: every score has 2 places)."""
    return (
        baseline_2022.hundredths(format(result.total, "f")),
        result.grade,
        [baseline_2022.hundredths(format(row.score, "f")) for row in result.indicators],
    )


def zen_answer(response: dict[str, Any]) -> tuple[int, str, list[int]]:
    import zen_2022

    found = response["result"]
    rows = [zen_2022.hundredths(found[row]) for row, _, _ in baseline_2022.ROWS]
    return zen_2022.hundredths(found["total"]), found["grade"], rows


def zen_ways() -> dict[str, Work] | None:
    """The ways ZEN's Python API offers to evaluate one decision model many times, the model created once;
    None when ZEN is not installed.

    `ZenDecision.evaluate` starts an async runtime on every call; `async_evaluate` gathered in one event loop
    shares one; `ZenEngine.evaluate` by key, the model given to the engine once (a static loader), keeps the
    compiled decision in the engine; `evaluate_batch` hands a whole turn over at once.
    """
    try:
        import zen
    except ImportError:
        return None
    import orjson
    import zen_2022

    model = orjson.loads(zen_2022.JDM.read_bytes())
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"rubric": model}}})
    decision = zen.ZenEngine().create_decision(orjson.dumps(model).decode())

    async def gathered(chunk: list[bytes]) -> list[Any]:
        return await asyncio.gather(*(decision.async_evaluate(c) for c in chunk))

    return {
        "ZenEngine.evaluate (by key)": lambda chunk: [engine.evaluate("rubric", c) for c in chunk],
        "ZenDecision.evaluate": lambda chunk: [decision.evaluate(c) for c in chunk],
        "ZenEngine.evaluate_batch": lambda chunk: [
            r["data"] for r in engine.evaluate_batch([{"key": "rubric", "context": c} for c in chunk])
        ],
        "async_evaluate, one event loop": lambda chunk: asyncio.run(gathered(chunk)),
    }


def fastest(ways: dict[str, Work], contexts: list[bytes]) -> tuple[str, Work]:
    """The fastest way on this machine, each timed on the same departments after a warm-up call: ZEN is raced
    at its best, not at its slowest."""
    sample = contexts[: 2 * TURN]
    timings = {}
    for label, work in ways.items():
        work(sample[:1])
        began = clock()
        for start in range(0, len(sample), TURN):
            work(sample[start : start + TURN])
        timings[label] = (clock() - began) / len(sample)
    for label, seconds in sorted(timings.items(), key=lambda item: item[1]):
        print(f"    ZEN through {label:<32} {seconds * 1e6:8.1f} µs a department")
    best = min(timings, key=lambda label: timings[label])
    return f"GoRules ZEN ({best})", ways[best]


def check_agreement(documents: list[dict[str, Any]], rules: Any) -> int:
    """How many departments the engine, the hand-written scorer and ZEN (when installed) disagree on, in any
    total, grade or row score; what `main` checks over every department of the run, untimed."""
    import zen_2022

    from scorer.engine.score import score
    from scorer.inputs.read import read_inputs
    from scorer.sources.jsonl import parse_line

    lines = [json.dumps(d, ensure_ascii=False) for d in documents]
    read = [read_inputs(parse_line(line, "in.jsonl", n), rules) for n, line in enumerate(lines, start=1)]
    answers = {
        "engine": [engine_answer(score(rules, d)) for d in read],
        "hand-written": [baseline_2022.score(baseline_2022.prepare(d)) for d in documents],
    }
    ways = zen_ways()
    if ways is not None:
        by_key = ways["ZenEngine.evaluate (by key)"]
        answers["ZEN"] = [zen_answer(r) for r in by_key([zen_2022.context(d) for d in documents])]
    return disagreements(answers)


def race(entrants: list[Entrant], rounds: int) -> tuple[list[list[float]], list[list[Any]]]:
    """Seconds a department for each entrant in each round, and each entrant's answers in the first round.

    After one turn each untimed, in each round every entrant works through its items in turns of TURN, one
    entrant after the other. What is compared is taken from each turn's outputs after its time is taken, and
    the outputs let go (as a batch lets a result go once written: holding 20,000 results would measure the
    memory they fill)."""
    per_round: list[list[float]] = [[] for _ in entrants]
    outputs: list[list[Any]] = [[] for _ in entrants]
    count = len(entrants[0][1])
    for _, items, work, _ in entrants:  # a first turn untimed: caches and code warm, as in a long batch
        work(items[:TURN])
    for round_ in range(rounds):
        spent = [0.0] * len(entrants)
        for start in range(0, count, TURN):
            for n, (_, items, work, answer) in enumerate(entrants):
                chunk = items[start : start + TURN]
                began = clock()
                done = work(chunk)
                spent[n] += clock() - began
                if round_ == 0 and answer is not None:
                    outputs[n].extend(answer(output) for output in done)
        for n in range(len(entrants)):
            per_round[n].append(spent[n] / count)
    return per_round, outputs


def disagreements(answers: dict[str, list[tuple[int, str, list[int]]]]) -> int:
    """Departments on which some scorer's total, grade or row scores differ from the engine's; prints the first."""
    found = 0
    engine = answers["engine"]
    for label, theirs in answers.items():
        for n, (ours, other) in enumerate(zip(engine, theirs, strict=True)):
            if ours != other:
                found += 1
                if found <= 3:
                    print(f"  department {n}: engine {ours[:2]}, {label} {other[:2]}", file=sys.stderr)
    return found


def report_scoring(labels: list[str], per_round: list[list[float]], rounds: int, count: int) -> None:
    print(f"\nscoring, {count:,} departments × {rounds} rounds, one core: µs a department, median (min–max)")
    for label, times in zip(labels, per_round, strict=True):
        print(f"  {label:<46} {end_to_end.spread(times)}")
    engine, hand = per_round[0], per_round[1]
    print("\nratios of times (per round; median (min–max)):")
    end_to_end.ratio_line("engine / hand-written exact scorer", engine, hand, 3.0, "≤ 3x")
    if len(labels) > ZEN:
        end_to_end.ratio_line("engine / ZEN", engine, per_round[ZEN], 1.0, "< 1x (faster)")
    checked = statistics.median(per_round[3]) * 1e6
    verdict = "met" if max(per_round[3]) * 1e6 <= 20 else "met by the median" if checked <= 20 else "NOT met"
    print(f"  {'checking a department (read_inputs), µs':<46} {checked:6.1f}   target ≤ 20 µs: {verdict}")
    faster = [full / fast for full, fast in zip(per_round[4], per_round[3], strict=True)]
    print(f"  {'read_in_full / read_inputs (the fast reader)':<46} {statistics.median(faster):6.2f}x "
          f"({min(faster):.2f}–{max(faster):.2f})")  # fmt: skip


def entrants_of(documents: list[dict[str, Any]], rules: Any) -> list[Entrant]:
    """The engine, the hand-written scorer, the JSON line read and its department checked, and ZEN if installed;
    each given its departments as it takes them (made here, not timed)."""
    import orjson

    from scorer.engine.score import score
    from scorer.inputs.read import read_in_full, read_inputs
    from scorer.sources.jsonl import parse_line

    lines = [orjson.dumps(d).decode() for d in documents]
    parsed = [parse_line(line, "in.jsonl", n) for n, line in enumerate(lines, start=1)]
    read = [read_inputs(document, rules) for document in parsed]
    entrants: list[Entrant] = [
        (
            "score (engine, rules loaded once)",
            read,
            lambda chunk: [score(rules, d) for d in chunk],
            engine_answer,
        ),
        (
            "hand-written exact scorer (integers)",
            [baseline_2022.prepare(d) for d in documents],
            lambda chunk: [baseline_2022.score(p) for p in chunk],
            lambda answer: answer,
        ),
        (
            "a JSON line read (parse_line)",
            lines,
            lambda chunk: [parse_line(t, "in.jsonl", 1) for t in chunk],
            None,
        ),
        (
            "a department checked (read_inputs)",
            parsed,
            lambda chunk: [read_inputs(d, rules) for d in chunk],
            None,
        ),
        (
            "a department checked in full (read_in_full)",
            parsed,
            lambda chunk: [read_in_full(d, rules) for d in chunk],
            None,
        ),
    ]
    import zen_2022

    contexts = [zen_2022.context(d) for d in documents]
    ways = zen_ways()
    if ways is None:
        print("  GoRules ZEN not installed (pip install -e '.[bench]'): left out")
    else:
        label, work = fastest(ways, contexts)
        entrants.append((label, contexts, work, zen_answer))
    return entrants


def agree(outputs: list[list[Any]], has_zen: bool) -> int:
    answers = {"engine": outputs[0], "hand-written": outputs[1]}
    if has_zen:
        answers["ZEN"] = outputs[ZEN]
    found = disagreements(answers)
    print(
        f"  totals, grades and row scores agree on every department ({', '.join(answers)}): {'yes' if not found else f'NO ({found})'}"
    )
    return found


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="departments scored (default 20000)")
    parser.add_argument("--batch", type=int, default=None, help="departments end to end (default --n)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of every measurement (default 5)")
    parser.add_argument("--jobs", type=int, default=1, help="also run score batch --jobs N on every core")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--cpu", type=int, default=None, help="the core to run on (default: the last one given)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 departments, 3 rounds: for CI")
    parser.add_argument(
        "--clock", choices=("cpu", "wall"), default="cpu", help="what is timed: CPU seconds (default) or wall"
    )
    args = parser.parse_args()
    if args.quick:
        args.n, args.rounds = min(args.n, 1000), min(args.rounds, 3)
    args.batch = args.batch or args.n
    if min(args.n, args.batch, args.rounds) < 1:
        parser.error("--n, --batch and --rounds must be at least 1")
    return args


def main() -> int:
    args = arguments()
    cores = os.sched_getaffinity(0)
    cpu = max(cores) if args.cpu is None else args.cpu  # the last: `taskset -c 0` is what other work takes
    if cpu not in cores:
        sys.exit(
            f"--cpu {cpu}: not one of the cores this process may use ({', '.join(map(str, sorted(cores)))})"
        )
    os.sched_setaffinity(0, {cpu})  # one core, for this process and the children it starts
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(f"one core (cpu {cpu} of {len(cores)} given); Python {sys.version.split()[0]}; seed {args.seed};")
    print(f"timed: {'CPU seconds (this process, each child)' if args.clock == 'cpu' else 'wall seconds'}")
    # End to end first, while this process is small: a child's peak RSS starts from its parent's at the fork.
    with tempfile.TemporaryDirectory(prefix="score-bench-") as folder:
        commands = end_to_end.pipelines(Path(folder), departments(args.batch, args.seed), args.jobs, cores)
        piped = end_to_end.end_to_end(commands, args.batch, args.rounds, args.clock == "cpu")
    documents = list(departments(args.n, args.seed))
    from scorer.rules.read import (
        load_rules,
    )  # only now: the children started above do not start from its size

    entrants = entrants_of(documents, load_rules("2022"))
    # The departments every entrant was handed, read ahead (tens of thousands of objects a batch never holds at
    # once), are set aside from the garbage collector's scans: else each collection a scorer's work sets off
    # walks them, and its time lands on whichever entrant happened to be running.
    gc.freeze()
    per_round, outputs = race(entrants, args.rounds)
    report_scoring([label for label, _, _, _ in entrants], per_round, args.rounds, args.n)
    wrong = agree(outputs, len(entrants) > ZEN)
    end_to_end.report(piped, args.batch, args.rounds)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
