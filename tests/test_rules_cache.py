"""The rules cache: data only, keyed by the files' bytes, read only from a folder and entries no one else could
have written, written whole. Each test runs `score` as a user does where it can; ownership cannot be given away
by a test that runs as root, so "another user's" folder or entry is simulated by a link, group-writable modes,
and a different `os.getuid` in the unit tests of the check itself."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scorer.rules import cache
from scorer.rules.read import load_rules

from .conftest import FIXTURE_RULES, ROOT, VALID_INPUTS

SCORE = [
    sys.executable,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import cli; cli.main()",
    str(ROOT),
]
FORMULA = "formula: weight * min(execution_rate, 100) / 100"
HALVED = "formula: weight * min(execution_rate, 100) / 200"  # the same size: a valid rubric, other scores


# Runs a command within 1.5 GB and says its peak memory (in KB) on the last line of stderr.
_MEASURED = """
import resource, subprocess, sys
limit = 1536 * 1024 * 1024
done = subprocess.run(sys.argv[1:], preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def score_json(
    inputs: Path, rules: Path, cache_folder: Path, measured: list[int] | None = None
) -> tuple[int, dict[str, Any], str]:
    """`score run INPUTS --rules RULES -f json` as a user runs it, with the given cache folder. With `measured`,
    within 1.5 GB, and its peak memory (KB) appended there."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "SCORE_NO_CACHE")}
    command = [*SCORE, "run", str(inputs), "--rules", str(rules), "-f", "json"]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command] if measured is not None else command,
        capture_output=True,
        text=True,
        timeout=60,
        env=env | {"SCORE_CACHE_DIR": str(cache_folder)},
    )
    stderr = done.stderr
    if measured is not None:
        stderr, _, peak = stderr.rstrip("\n").rpartition("\n")
        measured.append(int(peak))
    return done.returncode, json.loads(done.stdout) if done.returncode == 0 else {}, stderr


def scores(result: dict[str, Any]) -> dict[str, Any]:
    return {"total": result["total"], "digest": result["rules"]["digest"]} | {
        row["id"]: row["score"] for row in result["indicators"]
    }


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    path = tmp_path / "dept.yaml"
    path.write_text(VALID_INPUTS, encoding="utf-8")
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.json"))


def forge(entry: Path, edit: Callable[[list[tuple[Any, Any]]], None]) -> None:
    """Rewrite a stored entry as a local user could: its documents changed by `edit`, in place, owned by the
    user and private, under its right name and key."""
    stored = json.loads(entry.read_bytes())
    parts = cache._parts(entry.read_bytes(), stored["key"], len(stored["documents"]))
    assert parts is not None
    edit(parts)  # type: ignore[arg-type]
    entry.write_bytes(cache.encode_entry(stored["key"], parts))
    entry.chmod(0o600)


def document(parts: list[tuple[Any, Any]], ident: str) -> dict[str, Any]:
    return next(data for data, _ in parts if data.get("id") == ident)


def halve(parts: list[tuple[Any, Any]]) -> None:
    document(parts, "budget_execution")["formula"] = HALVED.removeprefix("formula: ")


# ---- nothing in the cache runs -----------------------------------------------------------------------------


class _Runs:
    """A pickle that, when loaded, writes a file: what a planted cache entry could do if it were unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_a_pickle_planted_in_place_of_every_entry_never_runs(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    folder, cached = rules_copy(), tmp_path / "cache"
    code, first, _ = score_json(inputs, folder, cached)
    assert code == 0
    planted = [p for p in cached.iterdir() if p.is_file()]
    assert planted  # the entries the run stored, whatever their names
    marker = tmp_path / "ran"
    for path in planted:
        path.write_bytes(pickle.dumps((path.name, _Runs(marker))))
        path.chmod(0o600)
    code, again, stderr = score_json(inputs, folder, cached)
    assert code == 0, stderr
    assert not marker.exists()
    assert again == first
    assert [p.name for p in cached.iterdir()] == [entries(cached)[0].name]  # written again, as data


def test_only_the_caches_own_files_are_ever_removed(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    """The cache folder may be one the user keeps other files in: what is not an entry stays."""
    kept = tmp_path / "mine"
    kept.mkdir(mode=0o700)
    names = ["model.pickle", "rules-notes.json", "rules-0123.pickle", "file-x-y.pickle", "rubric.yaml"]
    for name in names:
        (kept / name).write_text("mine", encoding="utf-8")
    old_entry = kept / "rules-0123456789abcdef-0123456789abcdef.pickle"  # as an earlier version named one
    old_entry.write_bytes(b"an old entry")
    code, _, stderr = score_json(inputs, rules_copy(), kept)
    assert code == 0, stderr
    assert all((kept / name).read_text(encoding="utf-8") == "mine" for name in names)
    assert (
        not old_entry.exists() and len(entries(kept)) == 2
    )  # its own entry, and the user's rules-notes.json


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(
                formula="__import__('os').system('touch x')"
            ),
            id="a formula outside the allow-list",
        ),
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(weight="10; rm -rf ~"),
            id="a weight as text",
        ),
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(weight=-10), id="a negative weight"
        ),
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(rounding={"places": 2, "mode": "evil"}),
            id="a rounding mode no schema allows",
        ),
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(weight=11),
            id="weights that do not add up",
        ),
        pytest.param(
            lambda parts: document(parts, "budget_execution").update(unknown_key=1),
            id="a key no schema allows",
        ),
        pytest.param(lambda parts: parts.pop(), id="a document missing"),
        pytest.param(lambda parts: parts[0][1].lines.update({("id",): "evil"}), id="a line that is no line"),
    ],
)
def test_an_entry_that_fails_any_check_is_ignored_and_replaced(
    rules_copy: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[..., None],
) -> None:
    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    folder = rules_copy()
    fresh = load_rules(folder)
    [entry] = entries(tmp_path / "cache")
    forge(entry, edit)
    assert load_rules(folder) == fresh  # the files decided
    assert load_rules(folder).digest == fresh.digest
    stored = json.loads(entry.read_bytes())  # and the entry was written again from them
    assert (
        document(cache._parts(entry.read_bytes(), stored["key"], 27) or [], "budget_execution")["weight"]
        == 10
    )


@pytest.mark.parametrize("garbage", [b"", b"not json", b'{"key": 1}', b"[" * 100_000, b'{"key": NaN}'])
def test_an_entry_that_is_not_one_is_ignored(
    rules_copy: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    folder = rules_copy()
    fresh = load_rules(folder)
    [entry] = entries(tmp_path / "cache")
    entry.write_bytes(garbage)
    assert load_rules(folder) == fresh


@pytest.mark.parametrize("number", ["1E-999999999", "0E-999999999", "1E+999999999"])
def test_a_huge_number_in_an_entry_is_refused_as_read_not_written_out(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path, number: str
) -> None:
    """Writing out a billion digits (for the digest) would take a gigabyte and more: the entry is refused as its
    numbers are read, and the files decide."""
    folder, cached = rules_copy(), tmp_path / "cache"
    code, honest, _ = score_json(inputs, folder, cached)
    [entry] = entries(cached)
    stored = entry.read_bytes()
    at = stored.index(b'"weight":10,', stored.index(b'"id":"budget_execution"'))  # an indicator's weight
    entry.write_bytes(stored[:at] + b'"weight":%s,' % number.encode() + stored[at + len(b'"weight":10,') :])
    peak: list[int] = []
    code, result, stderr = score_json(inputs, folder, cached, peak)
    assert code == 0, stderr
    assert scores(result) == scores(honest)
    assert peak[0] < 300 * 1024, peak  # a run takes some tens of megabytes; a billion digits, a gigabyte


def test_a_forged_entry_that_passes_every_check_gives_what_such_rule_files_would(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    """The worst a planted entry can do: stand for other rule files that pass every check. The result then names
    those rules (the digest is of what was scored), exactly as scoring such files would."""
    folder, cached = rules_copy(), tmp_path / "cache"
    other = rules_copy({"indicators/budget_execution.yaml": (FORMULA, HALVED)}, name="other")
    code, first, _ = score_json(inputs, folder, cached)
    [entry] = entries(cached)
    forge(entry, halve)
    code, forged, stderr = score_json(inputs, folder, cached)
    code_other, expected, _ = score_json(inputs, other, tmp_path / "elsewhere")
    assert code == code_other == 0, stderr
    assert scores(forged) == scores(expected) != scores(first)


# ---- the folder and the entries are checked as opened ------------------------------------------------------


def planted_halving_entry(rules: Path, where: Path) -> None:
    """A valid entry for `rules` that halves budget_execution, left in `where` (as another user could)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCORE_CACHE_DIR", str(where))
        load_rules(rules)
    [entry] = entries(where)
    forge(entry, halve)


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    folder = rules_copy()
    theirs = tmp_path / "theirs"
    planted_halving_entry(folder, theirs)
    _, honest, _ = score_json(inputs, folder, tmp_path / "mine")
    link = tmp_path / "link"
    link.symlink_to(theirs, target_is_directory=True)
    before = sorted(p.name for p in theirs.iterdir())
    code, result, stderr = score_json(inputs, folder, link)
    assert code == 0, stderr
    assert scores(result) == scores(honest)  # the planted entry was not read
    assert sorted(p.name for p in theirs.iterdir()) == before  # nor anything written there


@pytest.mark.parametrize("mode", [0o770, 0o777, 0o720])
def test_a_cache_folder_others_may_write_is_neither_read_nor_written(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path, mode: int
) -> None:
    folder = rules_copy()
    shared = tmp_path / "shared"
    planted_halving_entry(folder, shared)
    _, honest, _ = score_json(inputs, folder, tmp_path / "mine")
    shared.chmod(mode)
    before = sorted(p.name for p in shared.iterdir())
    code, result, stderr = score_json(inputs, folder, shared)
    assert code == 0, stderr
    assert scores(result) == scores(honest)
    assert sorted(p.name for p in shared.iterdir()) == before


@pytest.mark.parametrize("how", ["group-writable", "a link to an entry", "a FIFO"])
def test_an_entry_others_could_have_written_is_not_read(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path, how: str
) -> None:
    folder, cached = rules_copy(), tmp_path / "cache"
    code, honest, _ = score_json(inputs, folder, cached)
    [entry] = entries(cached)
    if how == "group-writable":
        forge(entry, halve)
        entry.chmod(0o620)
    elif how == "a link to an entry":
        elsewhere = tmp_path / "elsewhere.json"
        entry.rename(elsewhere)
        forge(elsewhere, halve)
        entry.symlink_to(elsewhere)
    else:
        entry.unlink()
        os.mkfifo(entry, 0o600)  # opened without blocking, then refused as not a regular file
    code, result, stderr = score_json(inputs, folder, cached)
    assert code == 0, stderr
    assert scores(result) == scores(honest)


def test_the_check_refuses_what_another_user_owns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root and cannot give a file away: the owner check is pinned with another `os.getuid`."""
    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    load_rules(FIXTURE_RULES)
    [entry] = entries(tmp_path / "cache")
    folder = cache.open_folder()
    assert folder is not None and cache.read_entry(folder, entry.name) is not None
    shared = tmp_path / "shared"
    shared.write_bytes(b"")
    shared.chmod(0o664)
    assert cache.trusted(os.stat(entry)) and not cache.trusted(os.stat(shared))
    monkeypatch.setattr(os, "getuid", lambda: os.stat(entry).st_uid + 1)
    assert cache.read_entry(folder, entry.name) is None
    assert cache.open_folder() is None
    os.close(folder)


# ---- keyed by content --------------------------------------------------------------------------------------


def test_an_edit_that_keeps_the_size_and_restores_the_modification_time_is_seen(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    folder, cached = rules_copy(), tmp_path / "cache"
    code, before, _ = score_json(inputs, folder, cached)
    path = folder / "indicators" / "budget_execution.yaml"
    info = path.stat()
    with path.open("r+b") as handle:  # in place: the same inode
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(FORMULA.encode(), HALVED.encode()))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after_info = path.stat()
    assert (after_info.st_size, after_info.st_mtime_ns, after_info.st_ino) == (
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
    )
    code, after, stderr = score_json(inputs, folder, cached)
    assert code == 0, stderr
    assert after["indicators"] != before["indicators"]
    assert next(r for r in after["indicators"] if r["id"] == "budget_execution")["score"] == 4.94


def test_a_hit_reads_no_yaml_and_gives_the_same_rules(
    rules_copy: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scorer.rules.read

    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    folder = rules_copy()
    fresh = load_rules(folder)
    monkeypatch.setattr(scorer.rules.read, "parse_yaml", None)  # parsing again would fail: from the cache
    monkeypatch.setattr(scorer.rules.read, "load_yaml_file", None)
    again = load_rules(folder)
    assert again == fresh and again.digest == fresh.digest
    assert [i.path for i in again.indicators] == [i.path for i in fresh.indicators]
    assert again.indicator("budget_execution").lines == fresh.indicator("budget_execution").lines  # type: ignore[union-attr]


# ---- written whole ------------------------------------------------------------------------------------------

_WRITER = """
import os, sys
from scorer.rules import cache
folder = cache.open_folder()
size = int(sys.argv[1])
payload = b'{"key": "%d", "fill": "' % size + b"x" * size + b'"}'
for _ in range(40):
    cache._store(folder, "rules-race-entry.json", lambda: payload)
"""


def test_writers_racing_for_one_entry_never_leave_it_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = tmp_path / "cache"
    cached.mkdir(mode=0o700)
    env = os.environ | {"SCORE_CACHE_DIR": str(cached), "PYTHONPATH": str(ROOT)}
    sizes = [10, 200_000, 1_000_000, 3_000]
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(size)], env=env, cwd=ROOT) for size in sizes
    ]
    monkeypatch.setenv("SCORE_CACHE_DIR", str(cached))
    folder = cache.open_folder()
    assert folder is not None
    seen = set()
    try:
        while any(w.poll() is None for w in writers):
            data = cache.read_entry(folder, "rules-race-entry.json")
            if data is not None:
                seen.add(int(json.loads(data)["key"]))  # always a whole entry of one writer
        last = cache.read_entry(folder, "rules-race-entry.json")
    finally:
        os.close(folder)
    assert all(w.wait() == 0 for w in writers)
    assert seen <= set(sizes) and last is not None and int(json.loads(last)["key"]) in sizes
    assert [p.name for p in cached.iterdir()] == ["rules-race-entry.json"]  # no temporary file left


def test_runs_racing_on_a_cold_cache_all_score_and_leave_one_entry(
    rules_copy: Callable[..., Path], inputs: Path, tmp_path: Path
) -> None:
    folder, cached = rules_copy(), tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k != "SCORE_NO_CACHE"} | {"SCORE_CACHE_DIR": str(cached)}
    runs = [
        subprocess.Popen(
            [*SCORE, "run", str(inputs), "--rules", str(folder), "-f", "json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    [entry] = entries(cached)
    stored = json.loads(entry.read_bytes())
    assert cache._parts(entry.read_bytes(), stored["key"], 27) is not None
    assert [p.name for p in cached.iterdir()] == [entry.name]


@pytest.mark.parametrize("where", [".", "cache", "indicators/cache"])
def test_a_cache_folder_inside_the_rules_folder_is_never_written(
    rules_copy: Callable[..., Path], inputs: Path, where: str
) -> None:
    folder = rules_copy()
    before = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    code, result, stderr = score_json(inputs, folder, folder / where)
    assert code == 0, stderr
    assert result["total"] is not None
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == before  # nothing written there
