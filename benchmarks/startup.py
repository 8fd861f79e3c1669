"""How long `score run` takes to start, against importing typer and rich alone, on this machine.

    python benchmarks/startup.py [--runs 30] [-f table|json] [--max-ratio 2.0] [--breakdown]

Runs the two commands in alternation (so that both see the same machine load), with bytecode cached as on a
user's machine, and prints each median wall time and the ratio: the median over the pairs of each run of
`score` to the baseline run just before it. With --max-ratio it exits 1 when the ratio is above it. With
--breakdown it then says where the time of `score` goes (benchmarks/startup_breakdown.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2022-zhengwu-fuwu.yaml"


def command() -> list[str]:
    score = shutil.which("score")
    return [score] if score else [sys.executable, "-m", "scorer"]


# As on a user's machine: bytecode is written once and then read (some shells set PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--max-ratio", type=float, default=None)
    parser.add_argument("--breakdown", action="store_true", help="then say where the time of score goes")
    parser.add_argument(
        "-f", "--format", choices=("table", "json"), default="table", help="score run's output format"
    )
    args = parser.parse_args()
    baseline = [sys.executable, "-c", "import typer, rich"]
    score = [*command(), "run", str(EXAMPLE), "--rules", "2022", "-f", args.format]
    env_note = os.environ.get("SCORE_LANG", "(locale)")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "scorer"), str(ROOT / "cli.py")], env=ENV
    )
    for warm in (baseline, score):  # write the bytecode and rules caches first, as a user's machine has them
        timed(warm)
    base_times, score_times = [], []
    for _ in range(args.runs):
        base_times.append(timed(baseline))
        score_times.append(timed(score))
    base, ours = statistics.median(base_times), statistics.median(score_times)
    # Each run of `score` against the baseline run just before it: a machine whose load drifts during the
    # measurement slows both of a pair alike, where it would shift one median more than the other.
    ratio = statistics.median(s / b for b, s in zip(base_times, score_times, strict=True))
    print(f"import typer, rich      median {base * 1000:7.1f} ms")
    print(f"score run ({args.format}, {env_note}) median {ours * 1000:7.1f} ms")
    print(
        f"ratio                   {ratio:.2f}x  (median of {args.runs} alternating pairs; of the medians {ours / base:.2f}x)"
    )
    if args.breakdown:
        from startup_breakdown import breakdown

        print(breakdown(baseline, score, max(args.runs // 2, 5), ENV, ROOT))
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"above the limit of {args.max_ratio}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
