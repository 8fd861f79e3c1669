"""Where the start of `score` goes: each module's own import time (`python -X importtime`, the median over runs)
summed by what it belongs to, the modules the baseline imports too apart, and the rest of the wall time as the
remainder: parsing the command line, reading, checking, scoring and writing (some 12 ms on a quiet machine), and
Python's teardown, which clears every module imported (typer's alone take some 10 ms to clear)."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")

# A module's group by its name's start; the standard library modules a library alone imports go with it.
_GROUPS = [
    (
        "scorer's modules: the model types",
        (
            "scorer.rules.model",
            "scorer.engine.result",
            "scorer.inputs.model",
            "scorer.kinds.targets.model",
            "scorer.facts",
            "scorer.errors",
            "scorer.kinds.base",
            "scorer.sources.file_plan",
        ),
    ),
    ("scorer's other modules", ("scorer",)),
    ("PyYAML (the inputs file)", ("yaml", "_yaml", "base64", "binascii")),
    (
        "jsonschema-rs (and the email, socket, calendar modules it imports), for a document that does not plainly fit",
        ("jsonschema_rs", "email", "socket", "calendar", "array", "quopri", "random"),
    ),
    (
        "hashlib (the results' digest and the rules cache's key)",
        ("hashlib", "_hashlib", "_blake2", "_sha512"),
    ),
    ("msgspec (the model's Structs)", ("msgspec", "typing_extensions", "_socket")),
]


def _group(module: str) -> str:
    for name, starts in _GROUPS:
        if any(module == start or module.startswith(start + ".") for start in starts):
            return name
    return "other standard modules (decimal, fractions, json, …)"


def _timed(command: list[str], env: dict[str, str], root: Path) -> tuple[float, dict[str, int]]:
    """One run of `command` under -X importtime: its wall time (ms) and each module's own import time (µs)."""
    args = command[1:] if command[0] == sys.executable else ["-m", "scorer", *command[1:]]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    wall = (time.perf_counter() - start) * 1000
    return wall, {m.group(2): int(m.group(1)) for m in map(_LINE.match, done.stderr.splitlines()) if m}


def breakdown(baseline: list[str], score: list[str], runs: int, env: dict[str, str], root: Path) -> str:
    """The table: milliseconds by group. `score` and a Python that does nothing are run in alternation, both
    under -X importtime, so that every figure comes from the same runs: the remainder is by difference."""
    theirs = set(_timed(baseline, env, root)[1])
    walls: dict[str, list[float]] = defaultdict(list)
    times: dict[str, list[int]] = defaultdict(list)
    bare_times: dict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        for name, command, into in (
            ("bare", [sys.executable, "-c", "pass"], bare_times),
            ("score", score, times),
        ):
            wall, imported = _timed(command, env, root)
            walls[name].append(wall)
            for module, micros in imported.items():
                into[module].append(micros)
    groups: dict[str, float] = defaultdict(float)
    for module, micros in times.items():
        name = "modules the baseline imports too (typer, click, …)" if module in theirs else _group(module)
        groups[name] += statistics.median(micros) / 1000
    bare_imports = sum(statistics.median(micros) / 1000 for micros in bare_times.values())
    groups["the interpreter's start and end (python -c pass, less its imports)"] = (
        statistics.median(walls["bare"]) - bare_imports
    )
    wall = statistics.median(walls["score"])
    rows = sorted(groups.items(), key=lambda item: -item[1])
    lines = [f"where the {wall:.1f} ms of score go, run under -X importtime (the median of {runs} runs)"]
    lines += [f"  {ms:6.1f}  {name}" for name, ms in rows]
    rest = wall - sum(groups.values())
    lines.append(
        f"  {rest:6.1f}  the rest, by difference: the command line, the work, Python's teardown of each module"
    )
    return "\n".join(lines)
