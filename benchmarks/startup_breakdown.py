"""Where the start of `score` goes: each module's own import time (`python -X importtime`, the median over runs)
summed by what it belongs to, the modules the baseline imports too apart, and the rest of the wall time (the
interpreter's start, reading and scoring, the output, the end) as the remainder."""

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
        "jsonschema-rs (and the email, socket, calendar modules it imports)",
        ("jsonschema_rs", "email", "socket", "_socket", "calendar", "array", "string", "_string", "quopri"),
    ),
    ("hashlib (the rules cache's key)", ("hashlib", "_hashlib", "_blake2", "_sha512")),
    ("msgspec (the model's Structs)", ("msgspec", "typing_extensions")),
]


def _group(module: str) -> str:
    for name, starts in _GROUPS:
        if any(module == start or module.startswith(start + ".") for start in starts):
            return name
    return "other standard modules (decimal, fractions, json, simpleeval, …)"


def _self_times(command: list[str], env: dict[str, str], root: Path) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]]
        if command[0] == sys.executable
        else [sys.executable, "-X", "importtime", "-m", "scorer", *command[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    return {m.group(2): int(m.group(1)) for m in map(_LINE.match, done.stderr.splitlines()) if m}


def _bare(env: dict[str, str], root: Path, runs: int) -> float:
    """The median wall time (ms) of a Python that does nothing."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, cwd=root, check=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls) * 1000


def breakdown(
    baseline: list[str], score: list[str], wall: float, runs: int, env: dict[str, str], root: Path
) -> str:
    """The table: milliseconds by group, for `score` (wall: its median wall time, in seconds)."""
    theirs = set(_self_times(baseline, env, root))
    times: dict[str, list[int]] = defaultdict(list)
    for _ in range(max(runs // 2, 5)):
        for module, micros in _self_times(score, env, root).items():
            times[module].append(micros)
    groups: dict[str, float] = defaultdict(float)
    for module, micros in times.items():
        name = "modules the baseline imports too (typer, click, …)" if module in theirs else _group(module)
        groups[name] += statistics.median(micros) / 1000
    groups["the interpreter's start and end (python -c pass, less its imports)"] = _bare(
        env, root, runs
    ) - sum(
        statistics.median(times[module]) / 1000
        for module in _self_times([sys.executable, "-c", "pass"], env, root)
        if module in times
    )
    rows = sorted(groups.items(), key=lambda item: -item[1])
    rest = wall * 1000 - sum(groups.values())
    lines = [
        f"where the {wall * 1000:.1f} ms of score go (imports: the median self time under -X importtime)"
    ]
    lines += [f"  {ms:6.1f}  {name}" for name, ms in rows]
    lines.append(f"  {rest:6.1f}  the rest: parsing the command line, reading, checking, scoring, writing")
    return "\n".join(lines)
