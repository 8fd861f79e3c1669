"""End to end, for benchmarks/scoring.py: the real `score batch IN.jsonl -o OUT.jsonl` against the hand-written
pipeline (benchmarks/pipeline_2022.py), each its own process on the cores it is given, writing the same bytes.

Peak RSS is each child's own (`os.wait4`), which on Linux starts from its parent's at the fork: the parent
stays small while they run (it compares the files in blocks, never whole), and says its own figure.
"""

from __future__ import annotations

import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Commands = dict[str, tuple[list[str], set[int] | None]]  # label: (command, the cores it may use; None: ours)
REAL = "score batch IN.jsonl -o OUT.jsonl"


def run_timed(command: list[str], cores: set[int] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak RSS (MB) of one child process, which must succeed;
    `cores`: the cores it may use (default: this process's). As users run `score`: the language is Chinese, what
    it says goes to a file."""
    env = {**os.environ, "SCORE_LANG": "zh"}
    with tempfile.TemporaryFile() as said:
        began = time.perf_counter()
        child = subprocess.Popen(
            command,
            stdout=said,
            stderr=said,
            env=env,
            preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            said.seek(0)
            told = said.read().decode(errors="replace")
            sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{told}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def score_command() -> list[str]:
    found = shutil.which("score")
    return [found] if found else [sys.executable, "-m", "scorer"]


def differing(outputs: list[Path]) -> list[str]:
    """The names of the files whose bytes are not those of the first; compared in blocks."""
    return [path.name for path in outputs[1:] if not filecmp.cmp(outputs[0], path, shallow=False)]


def pipelines(folder: Path, documents: Iterable[dict[str, Any]], jobs: int, cores: set[int]) -> Commands:
    """The commands raced end to end over `documents`, each run once first (bytecode and the rules cache
    written, as on a user's machine); exits unless all wrote the same bytes, a line for every department."""
    import orjson

    source, ours = folder / "in.jsonl", folder / "score.jsonl"
    count = 0
    with open(source, "wb") as lines:  # one department at a time: this process stays small
        for document in documents:
            lines.write(orjson.dumps(document) + b"\n")
            count += 1
    commands: Commands = {REAL: ([*score_command(), "batch", str(source), "-o", str(ours)], None)}
    run_timed(commands[REAL][0])  # bytecode and the rules cache written
    with open(ours, "rb") as written:  # the digest and version a result names, for the hand-written pipeline
        first = orjson.loads(written.readline())
    named = [first["rules"]["digest"], first["engine"]["version"]]
    hand = [sys.executable, str(HERE / "pipeline_2022.py"), str(source), str(folder / "hand.jsonl"), *named]
    commands["hand-written pipeline"] = (hand, None)
    if jobs > 1:
        many = [*score_command(), "batch", str(source), "-o", str(folder / "jobs.jsonl"), "--jobs", str(jobs)]
        commands[f"score batch --jobs {jobs} (all cores)"] = (many, cores)
    for command, on in list(commands.values())[1:]:
        run_timed(command, on)
    outputs = [ours, *(path for path in sorted(folder.glob("*.jsonl")) if path not in (source, ours))]
    differ = differing(outputs)
    if differ:
        sys.exit(f"the pipelines wrote different bytes: {ours} against {', '.join(differ)}")
    with open(ours, "rb") as written:
        if sum(1 for _ in written) != count:
            sys.exit(f"not one result for each of {count} departments")
    return commands


def end_to_end(commands: Commands, count: int, rounds: int, cpu: bool = True) -> dict[str, Any]:
    """Each pipeline's seconds a department by round (taking turns): CPU seconds where `cpu` (what the work
    costs on one core, whatever else the machine runs), else wall seconds; its wall seconds too (what `--jobs`
    gains shows only there), and its largest peak RSS."""
    timings: dict[str, Any] = {label: [] for label in commands}
    walls: dict[str, Any] = {label: [] for label in commands}
    peaks = dict.fromkeys(commands, 0.0)
    for _ in range(rounds):
        for label, (command, on) in commands.items():
            wall, spent, peak = run_timed(command, on)
            timings[label].append((spent if cpu else wall) / count)
            walls[label].append(wall / count)
            peaks[label] = max(peaks[label], peak)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"timings": timings, "walls": walls, "peaks": peaks, "floor": floor, "cpu": cpu}


def spread(values: list[float], scale: float = 1e6) -> str:
    """The median and the range (min–max) of `values`, in µs."""
    middle, low, high = statistics.median(values) * scale, min(values) * scale, max(values) * scale
    return f"{middle:9,.1f} ({low:,.1f}–{high:,.1f})"


def ratio_line(label: str, ours: list[float], theirs: list[float], target: float, goal: str) -> None:
    """The median and range of the per-round ratios of two entrants' times, and whether the target is met."""
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    low, high, middle = min(ratios), max(ratios), statistics.median(ratios)
    verdict = "met" if high <= target else "met by the median" if middle <= target else "NOT met"
    print(f"  {label:<46} {middle:6.2f}x ({low:.2f}–{high:.2f})  target {goal}: {verdict}")


def report(found: dict[str, Any], count: int, rounds: int) -> None:
    timings, peaks, walls = found["timings"], found["peaks"], found["walls"]
    clock = "CPU" if found["cpu"] else "wall"
    print(
        f"\nend to end, {count:,} departments × {rounds} rounds, each its own process: {clock} µs a department,"
    )
    print("median (min–max):")
    for label, times in timings.items():
        if "jobs" in label:  # its CPU time is spread over the cores: its gain shows in wall time alone
            print(f"  {label:<46} {spread(walls[label])}  peak RSS {peaks[label]:.0f} MB, wall µs")
            continue
        print(f"  {label:<46} {spread(times)}  peak RSS {peaks[label]:.0f} MB, one core")
    real, hand, *_ = timings.values()
    ratio_line("score batch / hand-written pipeline", real, hand, 3.0, "≤ 3x")
    jobs = [times for label, times in walls.items() if "jobs" in label]
    if jobs:
        speedups = [one / many for one, many in zip(walls[REAL], jobs[0], strict=True)]
        shown = f"{statistics.median(speedups):6.2f}x ({min(speedups):.2f}–{max(speedups):.2f})"
        print(
            f"  {'score batch: one core / --jobs':<46} {shown}  target: close to the jobs on an idle machine"
        )
    print("  (each wrote the same bytes: checked)")
    print(
        f"  (a child's peak RSS starts from its parent's, {found['floor']:.0f} MB here: a figure at it is at most it)"
    )
